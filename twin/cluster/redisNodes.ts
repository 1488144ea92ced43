import * as fs from "fs";
import * as path from "path";
import { WaitAborted, waitUntil } from "../process/polling";
import { ManagedProcess, terminateProcess } from "../process/processes";
import { adminCommand, AdminTarget } from "./redisAdmin";
import { redisNodeConfig } from "./redisNodeConfig";
import { TlsMaterial } from "./tlsCertificates";

/** One started redis-server, before it has joined a cluster. */
export interface NodeSpec {
    readonly index: number;
    readonly host: string;
    readonly port: number;
    readonly shard: number;
    readonly role: "primary" | "replica";
    readonly logFile: string;
    readonly process: ManagedProcess;
    /** Cluster node id, read once the node answers. */
    readonly id: string;
}

/** Everything {@link launchNodes} needs. */
export interface LaunchInput {
    readonly dir: string;
    /** One address per node, shard by shard, each shard's primary first. */
    readonly addresses: readonly string[];
    readonly shards: number;
    readonly replicasPerShard: number;
    /** The port the caller asked for; when set, a port conflict is an error instead of a retry. */
    readonly fixedPort?: number;
    readonly pickPort: () => Promise<number>;
    readonly clusterNodeTimeoutMs: number;
    readonly password?: string;
    /** See `RedisNodeConfigInput.adminUser`. */
    readonly adminUser?: string;
    readonly tls?: TlsMaterial;
    readonly spawn: (configFile: string, cwd: string) => ManagedProcess;
    /** Time left for the whole startup, in ms. */
    readonly timeoutMs: () => number;
}

class PortTaken extends WaitAborted {}

/**
 * Writes each node's redis.conf, starts every redis-server and waits until all answer. A free port can be taken
 * by someone else between our check and redis-server binding it; then the nodes are stopped and started again
 * on another port (at most 3 tries), unless the caller fixed the port.
 */
export async function launchNodes(input: LaunchInput): Promise<NodeSpec[]> {
    for (let attempt = 1; ; attempt++) {
        const port = input.fixedPort ?? (await input.pickPort());
        const started = await startProcesses(input, port, initialPlans(input));
        try {
            return await identify(started, input);
        } catch (error) {
            if (!(error instanceof PortTaken) || input.fixedPort !== undefined || attempt >= 3) throw error;
            await Promise.all(started.map((node) => terminateProcess(node.process, 500)));
        }
    }
}

type StartedNode = Omit<NodeSpec, "id"> & { readonly target: AdminTarget };

/** Where one node goes and what it is for. */
interface NodePlan {
    readonly index: number;
    readonly host: string;
    readonly shard: number;
    readonly role: "primary" | "replica";
    /** The node's own certificate, when it is not the one in `tls`. */
    readonly certificate?: { readonly certPath: string; readonly keyPath: string };
}

/** Everything {@link launchNode} needs: one node that joins a running cluster later, on the cluster's port. */
export type ExtraNodeInput = Omit<LaunchInput, "addresses" | "shards" | "replicasPerShard" | "fixedPort" | "pickPort"> &
    NodePlan & { readonly port: number };

/** Writes one node's redis.conf, starts it with the cluster's settings and waits until it answers. */
export async function launchNode(input: ExtraNodeInput): Promise<NodeSpec> {
    const [started] = await startProcesses(input, input.port, [input]);
    try {
        const [spec] = await identify([started], input);
        return spec;
    } catch (error) {
        await terminateProcess(started.process, 500);
        throw error;
    }
}

function initialPlans(input: LaunchInput): NodePlan[] {
    const perShard = input.replicasPerShard + 1;
    return input.addresses.map((host, index) => ({
        index,
        host,
        shard: Math.floor(index / perShard),
        role: index % perShard === 0 ? "primary" : "replica",
    }));
}

async function startProcesses(
    input: Omit<LaunchInput, "addresses" | "shards" | "replicasPerShard" | "fixedPort" | "pickPort">,
    port: number,
    plans: readonly NodePlan[],
): Promise<StartedNode[]> {
    return Promise.all(
        plans.map(async ({ index, host, shard, role, certificate }) => {
            const tls = input.tls && certificate ? { ...input.tls, ...certificate } : input.tls;
            const dir = path.join(input.dir, `node-${index + 1}`);
            await fs.promises.rm(dir, { recursive: true, force: true });
            await fs.promises.mkdir(dir);
            const configFile = path.join(dir, "redis.conf");
            const config = redisNodeConfig({
                host,
                port,
                dir,
                clusterNodeTimeoutMs: input.clusterNodeTimeoutMs,
                password: input.password,
                adminUser: input.adminUser,
                tls,
            });
            await fs.promises.writeFile(configFile, config, { mode: 0o600 });
            return {
                index,
                host,
                port,
                shard,
                role,
                logFile: path.join(dir, "redis.log"),
                process: input.spawn(configFile, dir),
                target: { host, port, username: input.adminUser, password: input.password, ca: tls?.ca },
            };
        }),
    );
}

async function identify(nodes: StartedNode[], input: Pick<LaunchInput, "timeoutMs">): Promise<NodeSpec[]> {
    const answering = new Set<number>();
    const what = `${nodes.length} redis-server processes to answer on port ${nodes[0].port}`;
    await waitUntil(
        what,
        input.timeoutMs(),
        async () => {
            await Promise.all(
                nodes
                    .filter((node) => !answering.has(node.index))
                    .map(async (node) => {
                        if (node.process.hasExited()) throw exitError(node);
                        await adminCommand(node.target, ["PING"], 1000);
                        answering.add(node.index);
                    }),
            );
            const silent = nodes.filter((node) => !answering.has(node.index)).map((node) => node.host);
            if (silent.length === 0) return { done: true, value: undefined };
            return { done: false, detail: `${silent.join(", ")} not answering yet` };
        },
        50,
    );
    return Promise.all(
        nodes.map(async (node) => {
            const id = String(await adminCommand(node.target, ["CLUSTER", "MYID"]));
            const { target: _target, ...spec } = node;
            return { ...spec, id };
        }),
    );
}

function exitError(node: StartedNode): WaitAborted {
    const log = fs.existsSync(node.logFile) ? fs.readFileSync(node.logFile, "utf8") : "";
    const tail = log.trim().split("\n").slice(-5).join(" | ");
    const message =
        `redis-server for ${node.host}:${node.port} (pid ${node.process.pid}) exited during startup; ` +
        `log: ${tail || "(empty)"}`;
    return /Address already in use/i.test(log) ? new PortTaken(message) : new WaitAborted(message);
}
