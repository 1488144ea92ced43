/**
 * Changes the shape of a running local cluster while it serves, with the Redis operations ElastiCache carries each
 * change out with: shards join and slots move online (IMPORTING / MIGRATING, MIGRATE, SETSLOT NODE), shards are
 * drained then leave, replicas join and sync or leave, and nodes are replaced one by one with a failover. Each
 * function is one step a change is made of, so a caller chooses steps (a config change, a scaler's next step) and
 * this module runs them.
 */
import type { LocalRedisCluster, RedisClusterNode } from "./redisCluster";
import { evenSplitMoves, migrateSlots, SlotMove, withConnections } from "./slotMigration";
import { waitUntil } from "../process/polling";

/** Told each step as it is taken, in a few words. */
export type ReshapeProgress = (step: string) => void;

/** Slots moved together in one batch: their keys move one MIGRATE per slot, their state changes in one pipeline. */
const SLOTS_PER_BATCH = 256;
/** Upper bound on the cluster converging after a step (gossip of the new slot owners, a failover). */
const SETTLE_TIMEOUT_MS = 30000;

const silent: ReshapeProgress = () => undefined;

/**
 * Adds `count` shards (a primary + the cluster's current replicas-per-shard each), then moves slots online to an
 * even split (as ElastiCache's default rebalance).
 */
export async function addShards(cluster: LocalRedisCluster, count: number, progress: ReshapeProgress = silent) {
    checkCount("addShards", count, 1);
    const first = cluster.shards;
    const added = Array.from({ length: count }, (_, i) => first + i);
    const primaries = await Promise.all(added.map((shard) => cluster.addNode(shard, "primary")));
    progress(
        `${count} new primar${count === 1 ? "y" : "ies"} joined: ${primaries.map((node) => node.host).join(", ")}`,
    );
    await addReplicasTo(cluster, added, cluster.replicasPerShard, progress);
    await rebalance(cluster, [...Array(first + count).keys()], progress);
    cluster.recordShape({ shards: first + count });
    progress(`${first + count} shards serve the 16384 slots evenly`);
}

/**
 * Moves every slot of the shards ElastiCache would remove to the remaining ones, evenly and online, then those
 * shards' nodes leave (CLUSTER FORGET everywhere) and stop.
 *
 * Which shards: the highest-numbered. terraform-provider-aws sends ModifyReplicationGroupShardConfiguration with
 * NodeGroupCount and NodeGroupsToRemove = the last `old - new` node group ids, sorted (0001, 0002, …), and no
 * NodeGroupsToRetain (terraform-provider-aws v6.66.0 internal/service/elasticache/replication_group.go,
 * modifyReplicationGroupShardConfigurationNumNodeGroups). Shard n
 * here is node group n + 1, so shards `shards - count` … `shards - 1` leave.
 */
export async function removeShards(cluster: LocalRedisCluster, count: number, progress: ReshapeProgress = silent) {
    const total = cluster.shards;
    checkCount("removeShards", count, 1, total - 1);
    const keep = [...Array(total - count).keys()];
    const leaving = Array.from({ length: count }, (_, i) => total - count + i);
    progress(`shard(s) ${leaving.join(", ")} leave (the highest node group ids, as the provider asks)`);
    await rebalance(cluster, keep, progress);
    const nodes = (await cluster.topology()).filter((status) => leaving.includes(status.node.shard));
    // A drained primary and its replicas may have become replicas of the shard that took its last slot (Redis 7's
    // cluster-allow-replica-migration); either way, nodes whose primary also leaves go first: a node refuses to
    // forget its own primary.
    const leavingIds = new Set(nodes.map((status) => status.node.id));
    const followsLeaving = (status: (typeof nodes)[number]) =>
        status.primary !== undefined && leavingIds.has(status.primary.id);
    const ordered = [...nodes.filter(followsLeaving), ...nodes.filter((status) => !followsLeaving(status))];
    for (const status of ordered) await cluster.removeNode(status.node);
    cluster.recordShape({ shards: total - count });
    await cluster.waitUntilHealthy({ timeoutMs: SETTLE_TIMEOUT_MS });
    progress(`${ordered.length} node(s) of shard(s) ${leaving.join(", ")} left; ${total - count} shards remain`);
}

/** `perShard` new replicas join every shard and complete their sync. */
export async function addReplicas(cluster: LocalRedisCluster, perShard: number, progress: ReshapeProgress = silent) {
    checkCount("addReplicas", perShard, 1);
    await addReplicasTo(cluster, [...Array(cluster.shards).keys()], perShard, progress);
    cluster.recordShape({ replicasPerShard: cluster.replicasPerShard + perShard });
    await cluster.waitUntilHealthy({ timeoutMs: SETTLE_TIMEOUT_MS });
}

/**
 * `perShard` replicas leave every shard.
 *
 * Which ones: the provider sends DecreaseReplicaCount with NewReplicaCount only, no ReplicasToRemove
 * (replication_group.go, modifyReplicationGroupShardConfigurationReplicasPerNodeGroup, same commit as above), so AWS
 * picks, and does not say how. Here the most recently started replicas leave: the choice is deterministic, never
 * the primary, and an add followed by a remove gives back the nodes the cluster had.
 */
export async function removeReplicas(cluster: LocalRedisCluster, perShard: number, progress: ReshapeProgress = silent) {
    checkCount("removeReplicas", perShard, 1, cluster.replicasPerShard);
    const topology = await cluster.topology();
    const leaving: RedisClusterNode[] = [];
    for (let shard = 0; shard < cluster.shards; shard++) {
        const replicas = topology
            .filter((status) => status.role === "replica" && status.shard === shard)
            .map((status) => status.node)
            .sort((a, b) => b.index - a.index);
        if (replicas.length < perShard)
            throw new Error(`removeReplicas: shard ${shard} has ${replicas.length} replicas`);
        leaving.push(...replicas.slice(0, perShard));
    }
    for (const node of leaving) await cluster.removeNode(node);
    cluster.recordShape({ replicasPerShard: cluster.replicasPerShard - perShard });
    await cluster.waitUntilHealthy({ timeoutMs: SETTLE_TIMEOUT_MS });
    progress(`${leaving.length} replica(s) left: ${leaving.map((node) => node.host).join(", ")}`);
}

/**
 * One shard at a time: each replica replaced by a fresh node (synced before the old one leaves), then a failover to a
 * fresh replica, then the old primary replaced. `redisServer` = the binary standing in for the new version/type.
 */
export async function rollingReplace(
    cluster: LocalRedisCluster,
    options: { redisServer?: string } = {},
    progress: ReshapeProgress = silent,
): Promise<void> {
    const add = { redisServer: options.redisServer };
    for (let shard = 0; shard < cluster.shards; shard++) {
        const topology = await cluster.topology();
        const oldPrimary = await cluster.currentPrimaryOf(shard);
        const oldReplicas = topology.filter((s) => s.role === "replica" && s.shard === shard).map((s) => s.node);
        const newReplica = () => cluster.addNode(shard, "replica", { ...add, primary: oldPrimary });
        let fresh: RedisClusterNode | undefined;
        for (const [i, old] of oldReplicas.entries()) {
            // The old primary's replacement joins with the last replica's (as a replica of the old primary: after
            // the failover it follows the new one by itself), so both sync at once.
            const last = i === oldReplicas.length - 1;
            const [replacement, primaryReplacement] = await Promise.all([
                newReplica(),
                last ? newReplica() : Promise.resolve(undefined),
            ]);
            fresh = replacement;
            await cluster.removeNode(old);
            progress(`shard ${shard}: replica ${old.host} replaced by ${fresh.host}`);
            if (primaryReplacement) {
                progress(`shard ${shard}: ${primaryReplacement.host} joined to take ${oldPrimary.host}'s place`);
            }
        }
        // Without replicas there is none to fail over to: a fresh one joins first, as ElastiCache adds a node.
        fresh ??= await newReplica();
        await failOver(cluster, fresh, oldPrimary);
        progress(`shard ${shard}: failed over from ${oldPrimary.host} to ${fresh.host}`);
        await cluster.removeNode(oldPrimary);
        await cluster.waitUntilHealthy({ timeoutMs: SETTLE_TIMEOUT_MS });
        progress(`shard ${shard}: old primary ${oldPrimary.host} left`);
    }
}

/**
 * A coordinated failover (CLUSTER FAILOVER on the replica: the primary stops taking writes, the replica catches up,
 * then takes over), as ElastiCache does before replacing a primary. Falls back to TAKEOVER if the vote does not
 * happen within the node timeout's worth of tries (a primary alone in its cluster cannot always win one).
 */
async function failOver(cluster: LocalRedisCluster, replica: RedisClusterNode, primary: RedisClusterNode) {
    await cluster.command(replica, ["CLUSTER", "FAILOVER"]);
    const started = Date.now();
    let takeover = false;
    await waitUntil(`${replica.host} to take over from ${primary.host}`, SETTLE_TIMEOUT_MS, async () => {
        const status = (await cluster.topology()).find((s) => s.node.id === replica.id);
        if (status?.role === "primary") return { done: true, value: undefined };
        if (!takeover && Date.now() - started > 2 * cluster.clusterNodeTimeoutMs) {
            takeover = true;
            await cluster.command(replica, ["CLUSTER", "FAILOVER", "TAKEOVER"]);
        }
        return { done: false, detail: `${replica.host} is still a ${status?.role ?? "stranger"}` };
    });
    await cluster.waitUntilHealthy({ timeoutMs: SETTLE_TIMEOUT_MS });
}

async function addReplicasTo(
    cluster: LocalRedisCluster,
    shards: readonly number[],
    perShard: number,
    progress: ReshapeProgress,
): Promise<void> {
    if (perShard === 0) return;
    const joined = await Promise.all(
        shards.map(async (shard) => {
            const primary = await cluster.currentPrimaryOf(shard);
            return Promise.all(Array.from({ length: perShard }, () => cluster.addNode(shard, "replica", { primary })));
        }),
    );
    progress(
        `${joined.flat().length} replica(s) joined and synced: ${joined
            .flat()
            .map((node) => node.host)
            .join(", ")}`,
    );
}

/** Moves slots online until the shards in `keep` serve all of them evenly, then waits until every node agrees. */
async function rebalance(cluster: LocalRedisCluster, keep: readonly number[], progress: ReshapeProgress) {
    // A primary that has just joined reports the cluster down for its first 2 s (Redis' rejoin delay) and meanwhile
    // refuses the keys MIGRATE brings it: every node must say ok first. Its replicas joined during that wait.
    await cluster.waitUntilHealthy({ timeoutMs: SETTLE_TIMEOUT_MS });
    const ownership = await cluster.slotOwners();
    if (!ownership.complete) throw new Error(`Cannot move slots now: ${ownership.problems.join("; ")}`);
    const moves = evenSplitMoves(ownership.shards, keep);
    const shardsInvolved = [...new Set([...keep, ...moves.map((move) => move.from)])].sort((a, b) => a - b);
    const primaries = await Promise.all(shardsInvolved.map((shard) => cluster.currentPrimaryOf(shard)));
    const primaryOf = new Map(shardsInvolved.map((shard, i) => [shard, primaries[i]]));
    const started = Date.now();
    let keys = 0;
    await withConnections(
        primaries.map((node) => cluster.adminTarget(node)),
        async (clients) => {
            const clientOf = (shard: number) => clients[shardsInvolved.indexOf(shard)];
            for (const [pair, slots] of groupByPair(moves)) {
                const [from, to] = pair;
                for (let i = 0; i < slots.length; i += SLOTS_PER_BATCH) {
                    const batch = slots.slice(i, i + SLOTS_PER_BATCH);
                    const others = shardsInvolved.filter((shard) => shard !== from && shard !== to).map(clientOf);
                    keys += await migrateSlots(
                        batch,
                        { source: clientOf(from), destination: clientOf(to), others },
                        { source: primaryOf.get(from)!.id, destination: primaryOf.get(to)!.id },
                        cluster.adminTarget(primaryOf.get(to)!),
                    );
                    for (const slot of batch) cluster.recordSlotShard(slot, to);
                }
                progress(`${slots.length} slots moved from shard ${from} to shard ${to}`);
            }
        },
    );
    await cluster.waitUntilHealthy({ timeoutMs: SETTLE_TIMEOUT_MS });
    progress(`${moves.length} slots and ${keys} keys moved online in ${Date.now() - started} ms; every node agrees`);
}

function groupByPair(moves: readonly SlotMove[]): Map<[number, number], number[]> {
    const byKey = new Map<string, { pair: [number, number]; slots: number[] }>();
    for (const move of moves) {
        const key = `${move.from}>${move.to}`;
        const group = byKey.get(key) ?? { pair: [move.from, move.to], slots: [] };
        group.slots.push(move.slot);
        byKey.set(key, group);
    }
    return new Map([...byKey.values()].map((group) => [group.pair, group.slots]));
}

function checkCount(what: string, count: number, min: number, max = Infinity): void {
    if (!Number.isInteger(count) || count < min || count > max) {
        const range = max === Infinity ? `>= ${min}` : `${min}-${max}`;
        throw new Error(`${what}: count must be an integer ${range}, got ${count}`);
    }
}
