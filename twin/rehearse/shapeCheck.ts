/**
 * The cluster's shape after a change, read from the cluster itself (CLUSTER NODES), checked against what the *after*
 * evaluation says: shards, replicas per shard, all 16384 slots served by a healthy primary, and every known key found
 * on the primary that, by the server's own slot map, serves it (asked directly, no redirection followed).
 */
import type Redis from "ioredis";
import { ClusterNodesEntry, parseClusterNodes } from "../cluster/clusterNodesParser";
import { withAdminConnection } from "../cluster/redisAdmin";
import { hashSlot, LocalRedisCluster, RedisClusterNode, SLOT_COUNT } from "../cluster/redisCluster";
import { knownValue } from "./knownKeys";

export interface ExpectedShape {
    readonly shards: number;
    readonly replicasPerShard: number;
}

export interface ShapeAfter {
    readonly shards: number;
    /** Replicas of each shard, in slot order. */
    readonly replicasPerShard: readonly number[];
    /** Slots served by a running primary no node flags as failing, every running node agreeing. */
    readonly slotsCovered: number;
    /** Known keys asked of the primary the slot map names: found there with their value / not. */
    readonly keysOnTheirShard: number;
    readonly keysElsewhere: number;
    /** What differs from the expected shape; empty when it matches. */
    readonly problems: readonly string[];
}

export async function checkShape(
    cluster: LocalRedisCluster,
    expected: ExpectedShape,
    knownKeys: readonly string[],
    /** The keys should be there (false after a replacement: they are expected lost, not misplaced). */
    keysExpected = true,
): Promise<ShapeAfter> {
    const entries = await readEntries(cluster);
    const primaries = entries
        .filter((entry) => entry.role === "primary" && entry.slots.length > 0)
        .sort((a, b) => a.slots[0][0] - b.slots[0][0]);
    const replicasPerShard = primaries.map(
        (primary) => entries.filter((entry) => entry.primaryId === primary.id && !entry.failing).length,
    );
    // Coverage as every running node sees it (they must agree), not one node's view.
    const ownership = await cluster.slotOwners();
    const slotsCovered = ownership.covered;

    const byOwner = new Map<RedisClusterNode, string[]>();
    for (const key of knownKeys) {
        const owner = ownership.owners[hashSlot(key)];
        if (!owner) continue;
        const keys = byOwner.get(owner);
        if (keys) keys.push(key);
        else byOwner.set(owner, [key]);
    }
    let keysOnTheirShard = 0;
    for (const [owner, keys] of byOwner) {
        keysOnTheirShard += await withAdminConnection(
            cluster.adminTarget(owner),
            (client) => countHeld(client, keys),
            10_000,
        );
    }
    const keysElsewhere = knownKeys.length - keysOnTheirShard;

    const problems: string[] = [];
    if (primaries.length !== expected.shards)
        problems.push(`${primaries.length} shards serve slots, ${expected.shards} expected`);
    const wrongReplicas = replicasPerShard.filter((count) => count !== expected.replicasPerShard);
    if (wrongReplicas.length > 0)
        problems.push(
            `replicas per shard ${replicasPerShard.join("/")}, ${expected.replicasPerShard} expected in every shard`,
        );
    if (slotsCovered !== SLOT_COUNT)
        problems.push(`${slotsCovered} of ${SLOT_COUNT} slots served by a healthy primary`);
    if (keysExpected && keysElsewhere > 0)
        problems.push(`${keysElsewhere} known keys not on the primary the slot map names`);
    return {
        shards: primaries.length,
        replicasPerShard,
        slotsCovered,
        keysOnTheirShard,
        keysElsewhere,
        problems,
    };
}

/** CLUSTER NODES from the first running node that answers. */
async function readEntries(cluster: LocalRedisCluster): Promise<ClusterNodesEntry[]> {
    const errors: string[] = [];
    for (const node of cluster.nodes.filter((candidate) => cluster.nodeState(candidate) === "running")) {
        try {
            return parseClusterNodes(String(await cluster.command(node, ["CLUSTER", "NODES"])));
        } catch (error) {
            errors.push(`${node.host}: ${(error as Error).message}`);
        }
    }
    throw new Error(`no node answered CLUSTER NODES: ${errors.join("; ") || "none running"}`);
}

/** How many of `keys` this node holds with their known value; a MOVED or ASK answer counts as not held. */
async function countHeld(client: Redis, keys: readonly string[]): Promise<number> {
    const pipeline = client.pipeline();
    for (const key of keys) pipeline.get(key);
    const replies = (await pipeline.exec()) ?? [];
    return replies.filter(([error, value], index) => error === null && value === knownValue(keys[index])).length;
}
