/**
 * The local cluster watched the way CloudWatch watches ElastiCache: each node under the id ElastiCache would give it
 * (`0001-002`), its current role, and the INFO fields behind the alarms' metrics, read once at start; plus the exact
 * `redis-cli` commands that show the same figures live, one per node, to paste.
 */
import { parseInfo } from "../cluster/clusterNodesParser";
import type { LocalRedisCluster, RedisClusterNode } from "../cluster/redisCluster";
import { cacheNodes } from "./cacheNodeIds";

/** INFO fields and the CloudWatch metric each stands in for. */
export const LOCAL_FIGURES = [
    ["used_memory / maxmemory", "DatabaseMemoryUsagePercentage"],
    ["instantaneous_ops_per_sec", "commands/s on the dashboard"],
    ["connected_clients", "CurrConnections"],
    ["evicted_keys", "Evictions"],
    ["master_last_io_seconds_ago (on a replica)", "ReplicationLag"],
] as const;

export interface NodeFigures {
    readonly node: RedisClusterNode;
    /** `0001-001`: shard and node number as ElastiCache names them (the node keeps it when its role changes). */
    readonly elastiCacheSuffix: string;
    readonly role: string;
    readonly usedMemory: string;
    readonly maxMemory: string;
    readonly opsPerSecond: number;
    readonly clients: number;
    readonly evictedKeys: number;
}

/** Reads INFO from every node; a node that does not answer is reported as such, not skipped. */
export async function readNodeFigures(
    cluster: LocalRedisCluster,
): Promise<(NodeFigures | { node: RedisClusterNode; elastiCacheSuffix: string; error: string })[]> {
    // The harness starts nodes shard by shard, each shard's primary first: the order ElastiCache numbers them in.
    const suffixes = cacheNodes(cluster.shards, cluster.replicasPerShard).map((node) => node.suffix);
    return Promise.all(
        cluster.nodes.map(async (node, index) => {
            const elastiCacheSuffix = suffixes[index];
            try {
                const info = parseInfo(String(await cluster.command(node, ["INFO"])));
                const maxMemory = Number(info.maxmemory ?? 0);
                return {
                    node,
                    elastiCacheSuffix,
                    role: info.role === "master" ? "primary" : "replica",
                    usedMemory: info.used_memory_human ?? "?",
                    maxMemory: maxMemory === 0 ? "no maxmemory" : (info.maxmemory_human ?? String(maxMemory)),
                    opsPerSecond: Number(info.instantaneous_ops_per_sec ?? 0),
                    clients: Number(info.connected_clients ?? 0),
                    evictedKeys: Number(info.evicted_keys ?? 0),
                };
            } catch (error) {
                return { node, elastiCacheSuffix, error: (error as Error).message };
            }
        }),
    );
}

/** The status lines and the commands to paste, for `npm start`'s summary. */
export async function renderNodeStatus(cluster: LocalRedisCluster, redisCliFlags: string): Promise<string[]> {
    const figures = await readNodeFigures(cluster);
    const lines = figures.map((figure) => {
        const where = `${figure.node.host}:${figure.node.port}`;
        if ("error" in figure)
            return `    ${figure.elastiCacheSuffix}  ${where.padEnd(17)}  no answer: ${figure.error}`;
        return (
            `    ${figure.elastiCacheSuffix}  ${where.padEnd(17)}  ${figure.role.padEnd(7)}  memory ${figure.usedMemory} (${figure.maxMemory})  ` +
            `${figure.opsPerSecond} ops/s  ${figure.clients} clients  ${figure.evictedKeys} evicted`
        );
    });
    return [
        "Watch it as the alarms watch ElastiCache (node ids as ElastiCache names them; figures read at start):",
        ...lines,
        `  live figures, one node each (a line per second: keys, memory, clients, requests):`,
        ...cluster.nodes.map((node) => `    redis-cli${redisCliFlags} -h ${node.host} -p ${node.port} --stat`),
        `  the INFO fields behind the alarms: ${LOCAL_FIGURES.map(([field, metric]) => `${field} → ${metric}`).join("; ")}:`,
        `    redis-cli${redisCliFlags} -h <node> -p ${cluster.port} INFO   (or INFO memory | stats | clients | replication)`,
    ];
}
