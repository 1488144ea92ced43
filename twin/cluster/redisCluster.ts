/**
 * A real Redis Cluster on loopback, started from Debian's `redis-server`, shaped like an ElastiCache cluster-mode
 * replication group: one node per address (127.0.0.1, 127.0.0.2, …), every node on the same port, optional TLS
 * and AUTH. Used by the integration tests, `npm start` and the benchmarks.
 *
 * @example
 * const cluster = await startRedisCluster({ shards: 3, replicasPerShard: 1, tls: true, password: "x".repeat(32) });
 * try {
 *     const client = cluster.newClusterClient();
 *     await client.set(cluster.keyForShard(2), "v");
 *     await client.quit();
 * } finally {
 *     await cluster.stop();
 * }
 */
import * as fs from "fs";
import { Cluster, ClusterOptions } from "ioredis";
import * as os from "os";
import * as path from "path";
import { disagreements, healthProblems, NodeView, readNodeView } from "./clusterHealth";
import { ClusterNodesEntry, ownerOfSlot, roleMapSignature, SlotRange, slotMapSignature } from "./clusterNodesParser";
import hashSlot from "cluster-key-slot";
import { CLUSTER_BUS_OFFSET, findFreeClusterPort, loopbackAddresses, portUsableEverywhere } from "./loopbackPorts";
import { waitUntil, WaitAborted } from "../process/polling";
import {
    ManagedProcess,
    removeTempDir,
    signalProcess,
    spawnManaged,
    terminateProcess,
    trackTempDir,
} from "../process/processes";
import { adminCommand, AdminTarget, withAdminConnection } from "./redisAdmin";
import { launchNode, launchNodes, NodeSpec } from "./redisNodes";
import { createTlsMaterial, issueNodeCertificate, TlsMaterial } from "./tlsCertificates";

/** Number of hash slots in a Redis Cluster. */
export const SLOT_COUNT = 16384;
export { hashSlot };
export type { SlotRange } from "./clusterNodesParser";
export type { TlsMaterial } from "./tlsCertificates";

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
    /**
     * Number of shards (node groups): primaries that split the 16384 slots evenly between them.
     * Automatic failover needs a majority of primaries to agree, so with fewer than 3 shards
     * {@link LocalRedisCluster.waitForFailover} promotes the replica itself, as ElastiCache's control plane would.
     * @default 1
     */
    readonly shards?: number;
    /**
     * Replicas per shard (ElastiCache allows 0-5).
     * @default 1
     */
    readonly replicasPerShard?: number;
    /**
     * Serve TLS only (in-transit encryption): clients, the cluster bus and replication all use TLS, with a
     * throw-away CA whose certificate is exposed as {@link LocalRedisCluster.tls}.
     * @default false
     */
    readonly tls?: boolean;
    /**
     * The AUTH token (`requirepass`, and `masterauth` for replicas). No AUTH when omitted.
     * @default undefined
     */
    readonly password?: string;
    /**
     * With `password`: the harness authenticates as this user (every right) and the `default` user is off from the
     * start, as with an ElastiCache user group whose default user is disabled; the program's own users are then added
     * with {@link applyRedisUsers} (redisUsers.ts). Without it, `password` is the default user's AUTH token.
     * @default undefined
     */
    readonly adminUser?: string;
    /**
     * Port every node listens on (the cluster bus uses port + 10000). Must be free on every address used.
     * @default a free port in 17000-21999, picked per run
     */
    readonly port?: number;
    /**
     * `cluster-node-timeout`, in ms: how long a node may be unreachable before failover starts.
     * @default 2000
     */
    readonly clusterNodeTimeoutMs?: number;
    /**
     * Upper bound, in ms, on the whole startup; past it, startup fails with the state it was waiting on.
     * @default 60000
     */
    readonly startTimeoutMs?: number;
    /**
     * The redis-server executable.
     * @default "redis-server" (from PATH)
     */
    readonly redisServer?: string;
    /**
     * Called after each startup step with what was done and the ms elapsed since the start.
     * @example (step, ms) => console.log(`${(ms / 1000).toFixed(1)}s ${step}`)
     */
    readonly onProgress?: (step: string, elapsedMs: number) => void;
}

/** A role in a shard. */
export type NodeRole = "primary" | "replica";

/**
 * What the harness knows of a node's process: `stopped` means SIGSTOPped by {@link LocalRedisCluster.kill}; `exited`
 * means it exited or was sent SIGKILL / SIGTERM.
 */
export type NodeState = "running" | "stopped" | "exited";

/**
 * One redis-server process of the cluster, as started; {@link LocalRedisCluster.topology} has current roles.
 */
export interface RedisClusterNode {
    /** Position in {@link LocalRedisCluster.nodes}, 0-based; shard by shard, each shard's primary first. */
    readonly index: number;
    /** The loopback address the node binds and announces (127.0.0.<index + 1>). */
    readonly host: string;
    readonly port: number;
    readonly pid: number;
    /** The cluster node id (40 hex characters). */
    readonly id: string;
    /** The shard the node was created in (0-based); its slots are {@link LocalRedisCluster.slotRange}(shard). */
    readonly shard: number;
    /** The role it was given at startup; after a failover, {@link LocalRedisCluster.topology} has the current one. */
    readonly initialRole: NodeRole;
    /** The node's log file, in the cluster's temp dir. */
    readonly logFile: string;
}

/** A host and port a cluster client seeds itself with, like ElastiCache's configuration endpoint. */
export interface ConfigurationEndpoint {
    readonly host: string;
    readonly port: number;
}

/** A node's current place in the cluster, as one running node sees it. */
export interface NodeStatus {
    readonly node: RedisClusterNode;
    readonly role: NodeRole;
    /** For a replica, the primary it replicates (if that primary is one of ours). */
    readonly primary?: RedisClusterNode;
    /** The shard whose slots it serves or replicates; undefined for a primary left without slots. */
    readonly shard?: number;
    /** Flagged `fail` or `fail?` (unreachable) by the node that answered. */
    readonly failing: boolean;
    /** What the harness knows of its process. */
    readonly state: NodeState;
}

/** Options of the waits on a running cluster. */
export interface WaitOptions {
    /**
     * Give up after this many ms, with an error naming the node and state waited on.
     * @default 30000
     */
    readonly timeoutMs?: number;
}

interface Settings {
    readonly shards: number;
    readonly replicasPerShard: number;
    readonly tls: boolean;
    readonly password?: string;
    readonly adminUser?: string;
    readonly port?: number;
    readonly clusterNodeTimeoutMs: number;
    readonly startTimeoutMs: number;
    readonly redisServer: string;
}

/**
 * Throws one error listing every problem with `options`, if any. {@link startRedisCluster} does the same
 * first; exported so a script can check its arguments before doing anything else.
 */
export function validateRedisClusterOptions(options: RedisClusterOptions): void {
    resolveSettings(options);
}

function resolveSettings(options: RedisClusterOptions): Settings {
    const settings: Settings = {
        shards: options.shards ?? 1,
        replicasPerShard: options.replicasPerShard ?? 1,
        tls: options.tls ?? false,
        password: options.password,
        adminUser: options.adminUser,
        port: options.port,
        clusterNodeTimeoutMs: options.clusterNodeTimeoutMs ?? 2000,
        startTimeoutMs: options.startTimeoutMs ?? 60000,
        redisServer: options.redisServer ?? "redis-server",
    };
    const problems: string[] = [];
    const isInt = (value: number, min: number, max: number): boolean =>
        Number.isInteger(value) && value >= min && value <= max;
    if (!isInt(settings.shards, 1, 254)) problems.push(`shards must be an integer 1-254, got ${settings.shards}`);
    if (!isInt(settings.replicasPerShard, 0, 253)) {
        problems.push(`replicasPerShard must be an integer >= 0, got ${settings.replicasPerShard}`);
    }
    const total = settings.shards * (settings.replicasPerShard + 1);
    if (problems.length === 0 && total > 254) {
        problems.push(`shards x (replicasPerShard + 1) = ${total} nodes do not fit on 127.0.0.1-254`);
    }
    if (settings.port !== undefined && !isInt(settings.port, 1, 65535 - CLUSTER_BUS_OFFSET)) {
        const max = 65535 - CLUSTER_BUS_OFFSET;
        problems.push(`port must be an integer 1-${max} (bus port = port + 10000), got ${settings.port}`);
    }
    if (!isInt(settings.clusterNodeTimeoutMs, 100, 600000)) {
        problems.push(`clusterNodeTimeoutMs must be an integer 100-600000, got ${settings.clusterNodeTimeoutMs}`);
    }
    if (!(settings.startTimeoutMs > 0)) problems.push(`startTimeoutMs must be > 0, got ${settings.startTimeoutMs}`);
    if (settings.password === "") problems.push("password must not be empty (omit it for no AUTH)");
    if (settings.adminUser !== undefined && settings.password === undefined)
        problems.push("adminUser needs a password");
    if (settings.adminUser !== undefined && !/^[a-z][a-z0-9-]*$/.test(settings.adminUser)) {
        problems.push(
            `adminUser must be lower-case letters, digits and hyphens, got ${JSON.stringify(settings.adminUser)}`,
        );
    }
    if (problems.length > 0) throw new Error(`Invalid Redis Cluster options: ${problems.join("; ")}`);
    return settings;
}

/**
 * Starts a Redis Cluster and resolves once it is fully formed: `cluster_state:ok` on every node, every node
 * agreeing on the slot map and roles, and every replica's `master_link_status:up`. On any failure everything
 * started so far is stopped and removed before the error is thrown. Always call {@link LocalRedisCluster.stop}.
 *
 * The cluster is formed by hand (CLUSTER ADDSLOTSRANGE, MEET, REPLICATE) for every shape, because
 * `redis-cli --cluster create` refuses fewer than 3 primaries.
 *
 * The redis-server processes do not keep Node's event loop alive, so a forgotten `stop()` cannot hang a test run;
 * a script that serves the cluster until Ctrl-C must keep itself alive. If the process exits or gets SIGINT,
 * SIGTERM or SIGHUP, every redis-server still running is SIGKILLed and the temp dir removed.
 */
export function startRedisCluster(options: RedisClusterOptions = {}): Promise<LocalRedisCluster> {
    return LocalRedisCluster.start(options);
}

/** Which primary serves each slot, as the running nodes see it (see {@link LocalRedisCluster.slotOwners}). */
export interface SlotOwnership {
    /** Indexed by slot: the primary every running node names as its owner; undefined when none does or they differ. */
    readonly owners: readonly (RedisClusterNode | undefined)[];
    /** Indexed by slot: the shard of that owner (the shard the node was started for). */
    readonly shards: readonly (number | undefined)[];
    /** Slots served by a running primary that no running node flags as failing, all nodes agreeing. */
    readonly covered: number;
    /** All 16384 slots covered. */
    readonly complete: boolean;
    /** What keeps coverage from being complete (disagreeing nodes, unowned or failing ranges). */
    readonly problems: readonly string[];
}

/** Options of {@link LocalRedisCluster.addNode}. */
export interface AddNodeOptions {
    /** The executable the node runs (a stand-in for another engine version or node type). @default the cluster's */
    readonly redisServer?: string;
    /** For a replica: the primary it replicates. @default the shard's current primary */
    readonly primary?: RedisClusterNode;
    /** @default 30000 */
    readonly timeoutMs?: number;
}

/** A running cluster started by {@link startRedisCluster}. */
export class LocalRedisCluster {
    /** The port every node listens on. */
    readonly port: number;
    /** The CA (PEM and path) clients must trust, when started with `tls: true`. */
    readonly tls: TlsMaterial | undefined;
    /** The AUTH token, or the admin user's password, when started with one. */
    readonly password: string | undefined;
    /** The harness's own user when the default user is off (see {@link RedisClusterOptions.adminUser}). */
    readonly adminUser: string | undefined;
    /** The temp dir holding configs, logs and certificates; removed by {@link stop}. */
    readonly dir: string;
    readonly clusterNodeTimeoutMs: number;

    private readonly settings: Settings;
    /** The current members; a node added joins, a node removed leaves (its process is stopped). */
    private members: RedisClusterNode[];
    /** Every process ever started, by node index (addresses are never reused within one cluster). */
    private readonly processes = new Map<number, ManagedProcess>();
    private shardCount: number;
    private replicaCount: number;
    /** The shard serving each slot, as the harness moved them (-1: none). */
    private readonly slotShard = new Int16Array(SLOT_COUNT).fill(-1);
    /** ACL SETUSER arguments applied to every node, by user name, so that a node that joins gets them too. */
    private readonly aclUsers = new Map<string, readonly string[]>();
    /** Engine parameters set so far (the stack's `parameters`), by name: a node that joins later gets them too. */
    private readonly configParameters = new Map<string, string>();
    private nextIndex: number;
    private readonly stoppedBySignal = new Set<number>();
    private readonly killedBySignal = new Set<number>();
    private stopping: Promise<void> | undefined;

    /** Same as {@link startRedisCluster}. */
    static async start(options: RedisClusterOptions = {}): Promise<LocalRedisCluster> {
        const settings = resolveSettings(options);
        const started = Date.now();
        const deadline = started + settings.startTimeoutMs;
        const progress = (step: string): void => options.onProgress?.(step, Date.now() - started);
        const remaining = (): number => Math.max(0, deadline - Date.now());

        const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "redis-cluster-"));
        trackTempDir(dir);
        const processes: ManagedProcess[] = [];
        try {
            const nodeCount = settings.shards * (settings.replicasPerShard + 1);
            const addresses = loopbackAddresses(nodeCount);
            let tls: TlsMaterial | undefined;
            if (settings.tls) {
                tls = await createTlsMaterial(path.join(dir, "tls"), addresses, ["localhost"]);
                progress("TLS certificates created");
            }
            const specs = await launchNodes({
                dir,
                addresses,
                shards: settings.shards,
                replicasPerShard: settings.replicasPerShard,
                fixedPort: settings.port,
                pickPort: () => findFreeClusterPort(addresses),
                clusterNodeTimeoutMs: settings.clusterNodeTimeoutMs,
                password: settings.password,
                adminUser: settings.adminUser,
                tls,
                spawn: (conf, cwd) => {
                    const proc = spawnManaged(settings.redisServer, [conf], cwd);
                    processes.push(proc);
                    return proc;
                },
                timeoutMs: remaining,
            });
            progress(`${specs.length} redis-server processes answering on port ${specs[0].port}`);

            const cluster = new LocalRedisCluster(settings, dir, tls, specs);
            await cluster.form(progress, remaining);
            progress(`cluster healthy: ${cluster.describe()}`);
            return cluster;
        } catch (error) {
            await Promise.allSettled(processes.map((proc) => terminateProcess(proc, 500)));
            await removeTempDir(dir);
            const shape = `${settings.shards}x${settings.replicasPerShard}${settings.tls ? " TLS" : ""}`;
            const elapsed = Date.now() - started;
            throw new Error(
                `Starting a ${shape} Redis Cluster failed after ${elapsed} ms (everything started was stopped): ` +
                    (error as Error).message,
                { cause: error },
            );
        }
    }

    private constructor(settings: Settings, dir: string, tls: TlsMaterial | undefined, specs: readonly NodeSpec[]) {
        this.settings = settings;
        this.shardCount = settings.shards;
        this.replicaCount = settings.replicasPerShard;
        this.port = specs[0].port;
        this.tls = tls;
        this.password = settings.password;
        this.adminUser = settings.adminUser;
        this.dir = dir;
        this.clusterNodeTimeoutMs = settings.clusterNodeTimeoutMs;
        for (const spec of specs) this.processes.set(spec.index, spec.process);
        this.members = specs.map(nodeOf);
        this.nextIndex = specs.length;
        for (let shard = 0; shard < this.shardCount; shard++) {
            const first = Math.floor((shard * SLOT_COUNT) / this.shardCount);
            this.slotShard.fill(shard, first, Math.floor(((shard + 1) * SLOT_COUNT) / this.shardCount));
        }
    }

    /** The current members, shard by shard, each shard's first primary first; nodes added or removed are reflected. */
    get nodes(): readonly RedisClusterNode[] {
        return [...this.members].sort(
            (a, b) =>
                a.shard - b.shard ||
                Number(a.initialRole === "replica") - Number(b.initialRole === "replica") ||
                a.index - b.index,
        );
    }

    /** Number of shards (node groups) now. */
    get shards(): number {
        return this.shardCount;
    }

    /** Replicas per shard now. */
    get replicasPerShard(): number {
        return this.replicaCount;
    }

    /**
     * Where a cluster client seeds itself: 127.0.0.1 (the first shard's primary at startup) while it is a member,
     * else the first running member, as ElastiCache's configuration endpoint always names a current node.
     */
    get configurationEndpoint(): ConfigurationEndpoint {
        const running = this.runningNodes();
        const seed = running.find((node) => node.index === 0) ?? running[0] ?? this.members[0];
        return { host: seed.host, port: this.port };
    }

    /** Assigns slots, joins the nodes, attaches replicas and waits for a healthy cluster. */
    private async form(progress: (step: string) => void, remaining: () => number): Promise<void> {
        const primaries = this.nodes.filter((node) => node.initialRole === "primary");
        // Distinct config epochs up front, as redis-cli does, so nodes need not resolve epoch collisions later.
        await Promise.all(
            this.nodes.map((node) => this.command(node, ["CLUSTER", "SET-CONFIG-EPOCH", node.index + 1])),
        );
        await Promise.all(
            primaries.map((node) => this.command(node, ["CLUSTER", "ADDSLOTSRANGE", ...this.slotRange(node.shard)])),
        );
        progress(`slots assigned to ${primaries.length} primaries`);

        // Every pair meets directly: learning peers only through gossip takes seconds on larger shapes.
        await Promise.all(
            this.nodes.map((node) =>
                withAdminConnection(this.adminTarget(node), async (client) => {
                    for (const peer of this.nodes.slice(node.index + 1)) {
                        await client.call("CLUSTER", ["MEET", peer.host, peer.port, peer.port + CLUSTER_BUS_OFFSET]);
                    }
                }),
            ),
        );
        const allIds = new Set(this.nodes.map((node) => node.id));
        await waitUntil(`all ${this.nodes.length} nodes to know each other`, remaining(), async () => {
            const problems = (await this.readViews(this.nodes)).flatMap((view) => {
                const known = view.entries.filter((entry) => allIds.has(entry.id) && !entry.joining).length;
                return known === allIds.size ? [] : [`${view.label} knows ${known} of ${allIds.size}`];
            });
            return problems.length === 0
                ? { done: true, value: undefined }
                : { done: false, detail: problems.join("; ") };
        });
        progress("nodes met");

        const replicas = this.nodes.filter((node) => node.initialRole === "replica");
        const primaryOf = (replica: RedisClusterNode): RedisClusterNode =>
            primaries.find((primary) => primary.shard === replica.shard)!;
        await Promise.all(
            replicas.map((replica) =>
                // Retried: the replica may not yet have learnt from gossip that its primary is a primary.
                waitUntil(`${replica.host} to accept CLUSTER REPLICATE`, remaining(), async () => {
                    await this.command(replica, ["CLUSTER", "REPLICATE", primaryOf(replica).id]);
                    return { done: true, value: undefined };
                }),
            ),
        );
        if (replicas.length > 0) progress(`${replicas.length} replicas attached`);

        const roleMap = roleMapSignature(
            this.nodes.map((node) => ({
                id: node.id,
                role: node.initialRole,
                primaryId: node.initialRole === "replica" ? primaryOf(node).id : undefined,
            })),
        );
        await this.waitForHealth(remaining(), roleMap);
    }

    /**
     * The slots shard `shard` serves, when they form one range (at startup: the 16384 slots split evenly, in shard
     * order); after a reshape a shard may serve several ranges: see {@link slotRanges}.
     */
    slotRange(shard: number): SlotRange {
        const ranges = this.slotRanges(shard);
        if (ranges.length !== 1) {
            const text = ranges.map(([first, last]) => `${first}-${last}`).join(",") || "none";
            throw new Error(`Shard ${shard} serves ${ranges.length} slot ranges (${text}); use slotRanges()`);
        }
        return ranges[0];
    }

    /** Every range of slots shard `shard` serves, in slot order (as the harness assigned and moved them). */
    slotRanges(shard: number): SlotRange[] {
        this.checkShard(shard);
        const ranges: SlotRange[] = [];
        for (let slot = 0; slot < SLOT_COUNT; slot++) {
            if (this.slotShard[slot] !== shard) continue;
            const first = slot;
            while (slot + 1 < SLOT_COUNT && this.slotShard[slot + 1] === shard) slot++;
            ranges.push([first, slot]);
        }
        return ranges;
    }

    /** The shard serving `slot`, as the harness assigned it (and moved it, when the cluster was reshaped). */
    shardOfSlot(slot: number): number {
        if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) throw new Error(`No slot ${slot}`);
        const shard = this.slotShard[slot];
        if (shard < 0) throw new Error(`Slot ${slot} is assigned to no shard`);
        return shard;
    }

    /** A deterministic key (`${prefix}-<n>`) whose hash slot belongs to `shard`. */
    keyForShard(shard: number, prefix = "key"): string {
        this.checkShard(shard);
        for (let n = 0; ; n++) {
            const key = `${prefix}-${n}`;
            if (this.shardOfSlot(hashSlot(key)) === shard) return key;
        }
    }

    /** What the harness knows of a node's process. */
    nodeState(node: RedisClusterNode): NodeState {
        if (this.processOf(node).hasExited() || this.killedBySignal.has(node.index)) return "exited";
        return this.stoppedBySignal.has(node.index) ? "stopped" : "running";
    }

    /**
     * Sends a signal to one node's process: SIGKILL (crash), SIGSTOP (hang: it keeps its sockets but never
     * answers), SIGCONT (resume), SIGTERM. Returns false if the process had already exited.
     */
    kill(node: RedisClusterNode, signal: "SIGKILL" | "SIGSTOP" | "SIGCONT" | "SIGTERM"): boolean {
        if (this.stopping) throw new Error("kill() after stop()");
        const sent = signalProcess(this.processOf(node), signal);
        if (signal === "SIGSTOP" && sent) this.stoppedBySignal.add(node.index);
        // The exit is reported a moment later; the node is gone for the cluster from now on.
        if ((signal === "SIGKILL" || signal === "SIGTERM") && sent) this.killedBySignal.add(node.index);
        if (signal === "SIGCONT") this.stoppedBySignal.delete(node.index);
        return sent;
    }

    /**
     * Every node's current role and shard, re-read from the first running node that answers
     * (roles change on failover; {@link RedisClusterNode.initialRole} does not).
     */
    async topology(): Promise<NodeStatus[]> {
        const errors: string[] = [];
        for (const node of this.runningNodes()) {
            try {
                const [view] = await this.readViews([node]);
                return this.statusesFrom(view.entries);
            } catch (error) {
                errors.push(`${node.host}: ${(error as Error).message}`);
            }
        }
        throw new Error(`No running node answered: ${errors.join("; ") || "none is running"}`);
    }

    /** The current primaries that serve slots, in shard order. */
    async primaries(): Promise<RedisClusterNode[]> {
        return (await this.topology())
            .filter((status) => status.role === "primary" && status.shard !== undefined)
            .sort((a, b) => a.shard! - b.shard!)
            .map((status) => status.node);
    }

    /** The primary currently serving `key`'s hash slot. */
    async nodeForKey(key: string | Buffer): Promise<RedisClusterNode> {
        const shard = this.shardOfSlot(hashSlot(key));
        const owner = (await this.topology()).find((status) => status.role === "primary" && status.shard === shard);
        if (owner === undefined) throw new Error(`No primary serves slot ${hashSlot(key)} (shard ${shard}) right now`);
        return owner.node;
    }

    /**
     * Waits until the shard `oldPrimary` served is served by another running node, every running node has
     * `cluster_state:ok` and all agree on the slot map; resolves with the new primary. `oldPrimary` must have been
     * killed or stopped first. With fewer than 3 shards Redis cannot reach the majority a failover needs, so after
     * `cluster-node-timeout` the harness sends CLUSTER FAILOVER TAKEOVER to a replica (ElastiCache's control plane
     * promotes the replica in that case).
     */
    async waitForFailover(oldPrimary: RedisClusterNode, options: WaitOptions = {}): Promise<RedisClusterNode> {
        if (this.nodeState(oldPrimary) === "running") {
            throw new Error(`waitForFailover: ${oldPrimary.host} is still running; kill or SIGSTOP it first`);
        }
        const running = this.runningNodes();
        const started = Date.now();
        const quorumPossible = this.shards >= 3;
        let takeoverSent = false;
        const topology = await this.topology();
        const shard = topology.find((status) => status.node.id === oldPrimary.id)?.shard ?? oldPrimary.shard;
        const candidates = topology.filter(
            (status) => status.shard === shard && status.node.id !== oldPrimary.id && status.state === "running",
        );
        if (candidates.length === 0) {
            throw new Error(`waitForFailover: shard ${shard} of ${oldPrimary.host} has no running replica to promote`);
        }
        const [[firstSlot]] = this.slotRanges(shard);
        const what = `a replica of ${oldPrimary.host} to take over shard ${shard}`;
        return waitUntil(what, options.timeoutMs ?? 30000, async () => {
            if (!quorumPossible && !takeoverSent && Date.now() - started >= this.clusterNodeTimeoutMs) {
                takeoverSent = await this.takeOver(oldPrimary, running);
            }
            const views = await this.readViews(running);
            const problems = views
                .filter((view) => view.clusterInfo.cluster_state !== "ok")
                .map((view) => `${view.label} has cluster_state:${view.clusterInfo.cluster_state}`);
            const owners = new Set(views.map((view) => ownerOfSlot(view.entries, firstSlot)));
            const owner = running.find((node) => owners.size === 1 && owners.has(node.id));
            if (owner === undefined) {
                const names = [...owners].map((id) => this.nodes.find((node) => node.id === id)?.host ?? String(id));
                problems.push(`slot ${firstSlot} is served by ${names.join(" / ")}`);
            }
            if (owner !== undefined && problems.length === 0) return { done: true, value: owner };
            return { done: false, detail: problems.join("; ") };
        });
    }

    /**
     * Waits until the running nodes form a healthy cluster: `cluster_state:ok` everywhere, all know and reach each
     * other, agree on slot map and roles, and every running replica's link is up (e.g. after SIGCONT or failover).
     */
    waitUntilHealthy(options: WaitOptions = {}): Promise<void> {
        return this.waitForHealth(options.timeoutMs ?? 30000);
    }

    private async waitForHealth(timeoutMs: number, roleMap?: string): Promise<void> {
        const running = this.runningNodes();
        const runningIds = new Set(running.map((node) => node.id));
        await waitUntil("a healthy cluster", timeoutMs, async () => {
            const problems = healthProblems(await this.readViews(running), { runningIds, roleMap });
            return problems.length === 0
                ? { done: true, value: undefined }
                : { done: false, detail: problems.join("; ") };
        });
    }

    /**
     * Closes every client connection on every running node (`CLIENT KILL TYPE normal`), as a network blip or
     * an ElastiCache maintenance would. Resolves with the number of connections closed.
     */
    async killClientConnections(): Promise<number> {
        const counts = await Promise.all(
            this.runningNodes().map((node) => this.command(node, ["CLIENT", "KILL", "TYPE", "normal"])),
        );
        return counts.reduce<number>((sum, count) => sum + Number(count), 0);
    }

    /** Runs one command on one node (its own connection, authenticated, bounded by `timeoutMs`). */
    command(node: RedisClusterNode, args: (string | number)[], timeoutMs = 3000): Promise<unknown> {
        return adminCommand(this.adminTarget(node), args, timeoutMs);
    }

    /**
     * A new ioredis `Cluster` seeded with the configuration endpoint, with the options ElastiCache needs: host
     * names kept as given (TLS certificates name them), the CA trusted, the AUTH token. The caller quits it.
     */
    newClusterClient(options: ClusterOptions = {}): Cluster {
        return new Cluster([this.configurationEndpoint], {
            dnsLookup: (address, callback) => callback(null, address),
            ...options,
            redisOptions: {
                ...(this.tls ? { tls: { ca: this.tls.ca } } : {}),
                ...(this.password !== undefined ? { password: this.password } : {}),
                ...(this.adminUser !== undefined ? { username: this.adminUser } : {}),
                ...options.redisOptions,
            },
        });
    }

    /**
     * Runs `use` with a {@link newClusterClient} of its own and closes it afterwards, whatever `use` did. Errors reach
     * the caller through the commands' promises; the listener only keeps ioredis from logging them as well.
     */
    async withClusterClient<T>(use: (client: Cluster) => Promise<T>, options: ClusterOptions = {}): Promise<T> {
        const client = this.newClusterClient(options);
        client.on("error", () => undefined);
        try {
            return await use(client);
        } finally {
            await client.quit().catch(() => client.disconnect());
        }
    }

    /**
     * Makes every running node's ACL users exactly these (`ACL SETUSER` argument lists, one per user, each resetting
     * the user first) and remembers them, so that a node that joins later gets the same users, as ElastiCache applies
     * a user group to every node. Users applied before and not named again stay as they were.
     */
    async applyAclUsers(setUserArgs: readonly (readonly string[])[]): Promise<void> {
        if (this.adminUser === undefined) throw new Error("applyAclUsers: start the cluster with an adminUser first");
        for (const args of setUserArgs) {
            if (args[0] !== "ACL" || args[1] !== "SETUSER" || args[2] === undefined) {
                throw new Error(`applyAclUsers: not an ACL SETUSER command: ${args.slice(0, 3).join(" ")}`);
            }
            this.aclUsers.set(args[2], args);
        }
        await Promise.all(
            this.runningNodes().map(async (node) => {
                for (const args of setUserArgs) await this.command(node, [...args]);
            }),
        );
    }

    /**
     * Sets an engine parameter on every running node (`CONFIG SET`) and remembers it, so that a node that joins later
     * runs with it too, as ElastiCache applies a parameter group to every node. Each running node's outcome, in node
     * order: a parameter only ElastiCache has is refused by redis-server, which is for the caller to report.
     */
    async setConfig(name: string, value: string): Promise<PromiseSettledResult<unknown>[]> {
        this.configParameters.set(name, value);
        return Promise.allSettled(
            this.runningNodes().map((node) => this.command(node, ["CONFIG", "SET", name, value])),
        );
    }

    /**
     * Deletes these ACL users on every running node and forgets them, so that a node joining later does not get them
     * back (a user removed from an ElastiCache user group leaves every node).
     */
    async removeAclUsers(userNames: readonly string[]): Promise<void> {
        if (userNames.length === 0) return;
        for (const name of userNames) this.aclUsers.delete(name);
        await Promise.all(this.runningNodes().map((node) => this.command(node, ["ACL", "DELUSER", ...userNames])));
    }

    /**
     * Starts one more node with the cluster's settings (its own address and a certificate naming it, the admin user,
     * the ACL users and engine parameters applied so far) and joins it to the cluster: a primary without slots for `shard`, or a replica
     * of `shard`'s primary, synced before this resolves. Counts in {@link shards} / {@link replicasPerShard} are the
     * caller's to record ({@link recordShape}): a shard's worth of nodes joins one node at a time.
     */
    async addNode(shard: number, role: NodeRole, options: AddNodeOptions = {}): Promise<RedisClusterNode> {
        if (this.stopping) throw new Error("addNode() after stop()");
        const deadline = Date.now() + (options.timeoutMs ?? 30000);
        const remaining = (): number => Math.max(0, deadline - Date.now());
        const primary = role === "replica" ? (options.primary ?? (await this.currentPrimaryOf(shard))) : undefined;
        const { index, host } = await this.freeAddress();
        const certificate = this.tls
            ? await issueNodeCertificate(path.dirname(this.tls.caPath), `node-${index + 1}`, [host], ["localhost"])
            : undefined;
        const spec = await launchNode({
            dir: this.dir,
            index,
            host,
            port: this.port,
            shard,
            role,
            certificate,
            clusterNodeTimeoutMs: this.clusterNodeTimeoutMs,
            password: this.password,
            adminUser: this.adminUser,
            tls: this.tls,
            spawn: (conf, cwd) => {
                const proc = spawnManaged(options.redisServer ?? this.settings.redisServer, [conf], cwd);
                // Registered at once, so stop() ends it even if joining fails below.
                this.processes.set(index, proc);
                return proc;
            },
            timeoutMs: remaining,
        });
        const node = nodeOf(spec);
        const peers = this.runningNodes();
        for (const args of this.aclUsers.values()) await adminCommand(this.adminTarget(node), [...args]);
        // A parameter the running nodes refused (one only ElastiCache has) was reported when it was set: this node
        // refuses it the same way, and joins without it like them.
        for (const [name, value] of this.configParameters) {
            await adminCommand(this.adminTarget(node), ["CONFIG", "SET", name, value]).catch(() => undefined);
        }
        await withAdminConnection(this.adminTarget(node), async (client) => {
            for (const peer of peers) {
                await client.call("CLUSTER", ["MEET", peer.host, peer.port, peer.port + CLUSTER_BUS_OFFSET]);
            }
        });
        await waitUntil(`${host} to be known by all ${peers.length + 1} nodes`, remaining(), async () => {
            const views = await this.readViews([...peers, node]);
            const problems = views.flatMap((view) => {
                const unknown = [...peers, node].filter(
                    (member) => !view.entries.some((entry) => entry.id === member.id && !entry.joining),
                );
                return unknown.length === 0 ? [] : [`${view.label} does not know ${unknown.map((n) => n.host)}`];
            });
            return problems.length === 0
                ? { done: true, value: undefined }
                : { done: false, detail: problems.join("; ") };
        });
        if (primary !== undefined) {
            // Retried: the new node may not yet have learnt from gossip that its primary is a primary.
            await waitUntil(`${host} to accept CLUSTER REPLICATE`, remaining(), async () => {
                await this.command(node, ["CLUSTER", "REPLICATE", primary.id]);
                return { done: true, value: undefined };
            });
            // Every node must also know it as a replica: a primary still seeing the primary it started as refuses
            // it a vote, so a failover onto it right after would not happen.
            await waitUntil(`${host} to finish its sync from ${primary.host}`, remaining(), async () => {
                const views = await this.readViews([...peers, node]);
                const link = views[views.length - 1].replication;
                const problems = views
                    .filter((view) => !view.entries.some((e) => e.id === node.id && e.primaryId === primary.id))
                    .map((view) => `${view.label} does not see it replicate ${primary.host} yet`);
                if (link.master_link_status !== "up" || link.master_sync_in_progress !== "0") {
                    problems.push(`master_link_status:${link.master_link_status}`);
                }
                return problems.length === 0
                    ? { done: true, value: undefined }
                    : { done: false, detail: problems.join("; ") };
            });
        }
        this.members.push(node);
        return node;
    }

    /**
     * Takes a node out of the cluster as `redis-cli --cluster del-node` does: every other running node forgets it
     * (CLUSTER FORGET), then its process is stopped. A primary must serve no slots and have no replicas left.
     */
    async removeNode(node: RedisClusterNode): Promise<void> {
        const member = this.members.find((candidate) => candidate.id === node.id);
        if (member === undefined) throw new Error(`removeNode: ${node.host} is not a member`);
        const others = this.runningNodes().filter((other) => other.id !== node.id);
        // After a failover the shard's other replicas follow the new primary only once gossip brings them its epoch;
        // until then a replica refuses to forget its old master ("Can't forget my master!"), so it is asked again.
        await Promise.all(
            others.map((other) =>
                waitUntil(`${other.host} to forget ${node.host}`, 15_000, async () => {
                    try {
                        await this.command(other, ["CLUSTER", "FORGET", node.id]);
                        return { done: true, value: undefined };
                    } catch (error) {
                        if (!/forget my master/i.test((error as Error).message))
                            throw new WaitAborted((error as Error).message, { cause: error });
                        return { done: false, detail: `${other.host} still replicates ${node.host}` };
                    }
                }),
            ),
        );
        this.members = this.members.filter((candidate) => candidate.id !== node.id);
        await terminateProcess(this.processes.get(node.index)!, 2000);
    }

    /** Records that `slot` now belongs to `shard` (the reshaping steps call it once the cluster agrees). */
    recordSlotShard(slot: number, shard: number): void {
        this.slotShard[slot] = shard;
    }

    /** Records the cluster's shape once a reshaping step has completed. */
    recordShape(shape: { readonly shards?: number; readonly replicasPerShard?: number }): void {
        this.shardCount = shape.shards ?? this.shardCount;
        this.replicaCount = shape.replicasPerShard ?? this.replicaCount;
    }

    /**
     * Which primary serves each slot, read from every running node: a slot is covered when all agree on one owner,
     * that owner is running, and no node flags it failing.
     */
    async slotOwners(): Promise<SlotOwnership> {
        const running = this.runningNodes();
        const views = await this.readViews(running);
        const problems = disagreements(views, "slot map", (view) => slotMapSignature(view.entries));
        const byId = new Map(this.members.map((node) => [node.id, node]));
        const failing = new Set(views.flatMap((view) => view.entries.filter((e) => e.failing).map((e) => e.id)));
        const owners: (RedisClusterNode | undefined)[] = new Array(SLOT_COUNT).fill(undefined);
        if (problems.length === 0 && views.length > 0) {
            for (const entry of views[0].entries) {
                if (entry.role !== "primary") continue;
                for (const [first, last] of entry.slots) owners.fill(byId.get(entry.id), first, last + 1);
            }
        }
        const runningIds = new Set(running.map((node) => node.id));
        const healthy = (owner: RedisClusterNode | undefined): boolean =>
            owner !== undefined && runningIds.has(owner.id) && !failing.has(owner.id);
        const covered = owners.filter(healthy).length;
        if (problems.length === 0 && covered < SLOT_COUNT) {
            const first = owners.findIndex((owner) => !healthy(owner));
            problems.push(`${SLOT_COUNT - covered} slots lack a healthy primary (the first: slot ${first})`);
        }
        // A node keeps the shard it was created for (a replica promoted in a failover serves its own shard's slots).
        const shards = owners.map((owner) => owner?.shard);
        return { owners, shards, covered, complete: covered === SLOT_COUNT, problems };
    }

    /** The primary serving `shard` now: the one owning its slots, or, for a shard without slots yet, its first node. */
    async currentPrimaryOf(shard: number): Promise<RedisClusterNode> {
        const topology = await this.topology();
        const primary =
            topology.find((status) => status.role === "primary" && status.shard === shard) ??
            topology.find(
                (status) => status.role === "primary" && status.shard === undefined && status.node.shard === shard,
            );
        if (primary === undefined) throw new Error(`Shard ${shard} has no primary right now`);
        return primary.node;
    }

    private async freeAddress(): Promise<{ index: number; host: string }> {
        // Each index is taken before the await, so nodes added concurrently never get the same address.
        while (this.nextIndex < 254) {
            const index = this.nextIndex++;
            const host = `127.0.0.${index + 1}`;
            if (await portUsableEverywhere([host], this.port)) return { index, host };
        }
        throw new Error(`No loopback address left with port ${this.port} free (127.0.0.1-254 used or taken)`);
    }

    /** One line: shape, TLS/AUTH, port and each node's address, role and pid. */
    describe(): string {
        const auth = this.adminUser !== undefined ? ["ACL users"] : this.password !== undefined ? ["AUTH"] : [];
        const security = [this.tls ? "TLS" : "plain", ...auth].join("+");
        const nodes = this.nodes.map((node) => `${node.host} ${node.initialRole} shard ${node.shard} pid ${node.pid}`);
        return `${this.shards}x${this.replicasPerShard} ${security} on port ${this.port}: ${nodes.join(", ")}`;
    }

    /**
     * Stops every process by pid (SIGCONT, SIGTERM, SIGKILL after a grace period), waits until each pid has left
     * the process table, and removes the temp dir. Safe to call more than once.
     */
    stop(): Promise<void> {
        this.stopping ??= (async () => {
            const results = await Promise.allSettled(
                [...this.processes.values()].map((proc) => terminateProcess(proc)),
            );
            await removeTempDir(this.dir);
            const failures = results.flatMap((result) => (result.status === "rejected" ? [String(result.reason)] : []));
            if (failures.length > 0) throw new Error(`stop() left processes behind: ${failures.join("; ")}`);
        })();
        return this.stopping;
    }

    private async takeOver(oldPrimary: RedisClusterNode, running: RedisClusterNode[]): Promise<boolean> {
        const views = await this.readViews(running);
        const replicaIndex = views.findIndex((view) =>
            view.entries.some((entry) => entry.myself && entry.primaryId === oldPrimary.id),
        );
        if (replicaIndex === -1) return false;
        await this.command(running[replicaIndex], ["CLUSTER", "FAILOVER", "TAKEOVER"]);
        return true;
    }

    private statusesFrom(entries: readonly ClusterNodesEntry[]): NodeStatus[] {
        const byId = new Map(this.members.map((node) => [node.id, node]));
        const shardOf = (entry: ClusterNodesEntry | undefined): number | undefined =>
            entry?.role === "primary" && entry.slots.length > 0 ? this.shardOfSlot(entry.slots[0][0]) : undefined;
        return entries
            .filter((entry) => byId.has(entry.id))
            .map((entry) => {
                const primaryEntry = entries.find((candidate) => candidate.id === entry.primaryId);
                return {
                    node: byId.get(entry.id)!,
                    role: entry.role,
                    primary: entry.primaryId === undefined ? undefined : byId.get(entry.primaryId),
                    shard: entry.role === "primary" ? shardOf(entry) : shardOf(primaryEntry),
                    failing: entry.failing,
                    state: this.nodeState(byId.get(entry.id)!),
                };
            })
            .sort((a, b) => a.node.index - b.node.index);
    }

    private readViews(nodes: readonly RedisClusterNode[]): Promise<NodeView[]> {
        return Promise.all(nodes.map((node) => readNodeView(this.adminTarget(node), 2000)));
    }

    private runningNodes(): RedisClusterNode[] {
        return this.nodes.filter((node) => this.nodeState(node) === "running");
    }

    /** How the harness reaches `node` as its admin user (for a connection of the caller's own). */
    adminTarget(node: RedisClusterNode): AdminTarget {
        return {
            host: node.host,
            port: node.port,
            username: this.adminUser,
            password: this.password,
            ca: this.tls?.ca,
        };
    }

    private processOf(node: RedisClusterNode): ManagedProcess {
        const proc = this.processes.get(node.index);
        if (proc === undefined || !this.members.some((member) => member.id === node.id)) {
            throw new Error(`${node.host} is not a node of this cluster`);
        }
        return proc;
    }

    private checkShard(shard: number): void {
        // A shard being added has a number before shardCount is raised; one being removed keeps its number meanwhile.
        const known = Math.max(this.shardCount, ...this.members.map((node) => node.shard + 1));
        if (!Number.isInteger(shard) || shard < 0 || shard >= known) {
            throw new Error(`No shard ${shard}: this cluster has shards 0-${this.shardCount - 1}`);
        }
    }
}

function nodeOf(spec: NodeSpec): RedisClusterNode {
    return {
        index: spec.index,
        host: spec.host,
        port: spec.port,
        pid: spec.process.pid,
        id: spec.id,
        shard: spec.shard,
        initialRole: spec.role,
        logFile: spec.logFile,
    };
}
