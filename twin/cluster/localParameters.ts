/**
 * The stack's engine parameters (config key `parameters`) on a local cluster, as ElastiCache applies a parameter group
 * to every node: `CONFIG SET` on each running node (and on each that joins later), then `CONFIG GET` to report what
 * each node runs with.
 */
import { CLUSTER_ENABLED } from "../../config/engineParameters";
import type { LocalRedisCluster } from "./redisCluster";

export interface AppliedParameter {
    readonly name: string;
    readonly value: string;
    /** What each running node answers to CONFIG GET afterwards, in node order. */
    readonly nodeValues: readonly string[];
    /** Why the local redis-server refused it (a parameter only ElastiCache has); undefined when set on every node. */
    readonly refused?: string;
}

/**
 * Sets every parameter on every running node and reads it back. `cluster-enabled` is left out: a local cluster node is
 * started with it, and Redis cannot change it at run time. A parameter the local server does not know is reported, not
 * thrown: ElastiCache has parameters of its own (e.g. reserved-memory-percent) that no redis-server takes.
 */
export async function applyLocalParameters(
    cluster: Pick<LocalRedisCluster, "nodes" | "command" | "setConfig">,
    parameters: Readonly<Record<string, string>>,
): Promise<AppliedParameter[]> {
    const applied: AppliedParameter[] = [];
    for (const [name, value] of Object.entries(parameters)) {
        if (name === CLUSTER_ENABLED) continue;
        // The cluster remembers it, so nodes that join later (a reshape, a rehearsal) get it too.
        const results = await cluster.setConfig(name, value);
        const failure = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
        const nodeValues = await Promise.all(
            cluster.nodes.map(async (node) => {
                const reply = (await cluster.command(node, ["CONFIG", "GET", name])) as unknown[];
                return reply.length >= 2 ? String(reply[1]) : "(unknown)";
            }),
        );
        applied.push({
            name,
            value,
            nodeValues,
            refused: failure ? String((failure.reason as Error)?.message ?? failure.reason) : undefined,
        });
    }
    return applied;
}

/** One line per parameter: what was set and what every node reports. */
export function describeAppliedParameters(applied: readonly AppliedParameter[]): string[] {
    return applied.map((parameter) =>
        parameter.refused
            ? `parameters: ${parameter.name}=${parameter.value} refused by the local redis-server (${parameter.refused}); ElastiCache may still take it`
            : `parameters: ${parameter.name} set with CONFIG SET on every node; CONFIG GET ${parameter.name} → ${parameter.nodeValues.join(", ")}`,
    );
}
