import {
    ClusterNodesEntry,
    parseClusterNodes,
    parseInfo,
    roleMapSignature,
    slotMapSignature,
} from "./clusterNodesParser";
import { AdminTarget, textReply, withAdminConnection } from "./redisAdmin";

/** What one node reports about the cluster and its own replication, read over one connection. */
export interface NodeView {
    /** host:port, for messages. */
    readonly label: string;
    readonly clusterInfo: Record<string, string>;
    readonly entries: readonly ClusterNodesEntry[];
    readonly replication: Record<string, string>;
}

/** Reads one node's CLUSTER INFO, CLUSTER NODES and INFO replication. */
export function readNodeView(target: AdminTarget, timeoutMs: number): Promise<NodeView> {
    return withAdminConnection(
        target,
        async (client) => ({
            label: `${target.host}:${target.port}`,
            clusterInfo: parseInfo(await textReply(client, ["CLUSTER", "INFO"])),
            entries: parseClusterNodes(await textReply(client, ["CLUSTER", "NODES"])),
            replication: parseInfo(await textReply(client, ["INFO", "replication"])),
        }),
        timeoutMs,
    );
}

/** What a healthy cluster must look like, beyond every node agreeing with every other. */
export interface HealthExpectations {
    /** Ids of the nodes that are running; each must be known, reachable and in agreement. */
    readonly runningIds: ReadonlySet<string>;
    /** If given, the role map (see {@link roleMapSignature}) of the running nodes must be exactly this. */
    readonly roleMap?: string;
}

/**
 * Lists what keeps the cluster, as seen by `views` (one per running node), from being healthy: cluster_state ok
 * everywhere, every running node known and reachable from every other, one slot map and one role map shared by all,
 * and every replica's link to its primary up. An empty list means healthy.
 */
export function healthProblems(views: readonly NodeView[], expect: HealthExpectations): string[] {
    const problems: string[] = [];
    for (const view of views) {
        const state = view.clusterInfo.cluster_state;
        if (state !== "ok") problems.push(`${view.label} has cluster_state:${state}`);
        const joining = view.entries.filter((entry) => entry.joining);
        if (joining.length > 0) problems.push(`${view.label} is still handshaking with ${joining.length} node(s)`);
        for (const id of expect.runningIds) {
            const entry = view.entries.find((candidate) => candidate.id === id);
            if (entry === undefined) problems.push(`${view.label} does not know node ${id}`);
            else if (entry.failing) problems.push(`${view.label} flags ${entry.host} ${entry.flags.join(",")}`);
            else if (!entry.myself && !entry.linkConnected) problems.push(`${view.label} has no link to ${entry.host}`);
        }
        const myself = view.entries.find((entry) => entry.myself);
        if (myself?.role === "replica") {
            const link = view.replication.master_link_status;
            if (link !== "up") problems.push(`${view.label} (replica) has master_link_status:${link}`);
            else if (view.replication.master_sync_in_progress === "1") problems.push(`${view.label} is still syncing`);
        }
    }
    problems.push(...disagreements(views, "slot map", (view) => slotMapSignature(view.entries)));
    const runningRoles = (view: NodeView): string =>
        roleMapSignature(view.entries.filter((entry) => expect.runningIds.has(entry.id)));
    problems.push(...disagreements(views, "roles", runningRoles));
    if (expect.roleMap !== undefined) {
        for (const view of views) {
            if (runningRoles(view) !== expect.roleMap) {
                problems.push(`${view.label} does not see the intended roles yet`);
            }
        }
    }
    return problems;
}

/** One problem if the views do not all give the same `signature`, naming who sees what. */
export function disagreements(
    views: readonly NodeView[],
    what: string,
    signature: (view: NodeView) => string,
): string[] {
    const groups = new Map<string, string[]>();
    for (const view of views) {
        const key = signature(view);
        groups.set(key, [...(groups.get(key) ?? []), view.label]);
    }
    if (groups.size <= 1) return [];
    const versions = [...groups.entries()].map(([key, labels]) => `${labels.join(",")} see "${key}"`);
    return [`nodes disagree on ${what}: ${versions.join(" vs ")}`];
}
