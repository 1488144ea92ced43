/**
 * The cache nodes of a cluster-mode-enabled replication group, named as ElastiCache names them in CloudWatch, for the
 * local twin's node status (the alarms select nodes by tag and need no list: components/monitoring/nodeQuery.ts). Pure.
 *
 * ElastiCache publishes node metrics under the `CacheClusterId` dimension, which for cluster mode enabled is
 * `<replicationGroupId>-<node group id, 4 digits>-<node, 3 digits>` (e.g. `my-group-0002-001`): node groups are
 * numbered 0001… and the nodes of each 001…. Source: "Monitoring use with CloudWatch Metrics" and "Finding connection
 * endpoints" in the ElastiCache developer guide (the node endpoints carry the same ids).
 *
 * Resharding keeps the ids of the nodes that stay: the provider adds node groups after the last one and, scaling in,
 * removes the highest-numbered ones (`modifyReplicationGroupShardConfigurationNumNodeGroups`, which sorts the ids and
 * drops from the end; terraform-provider-aws v6.66.0 internal/service/elasticache/replication_group.go). Which replicas `DecreaseReplicaCount` removes is AWS's choice, not the
 * provider's: see docs/runbook.md §5 for checking the ids after such a change.
 */

/** One node, as CloudWatch names it. */
export interface CacheNode {
    /** The node group id, `0001`…; the shard's slots stay with it through failovers. */
    readonly shardId: string;
    /** The node's number in its group, `001`…; `001` is the primary at creation only (failover moves the role). */
    readonly nodeId: string;
    /** `0001-001`: the suffix of the CacheClusterId, and a stable part of resource names. */
    readonly suffix: string;
}

/** The nodes of `numNodeGroups` shards with `replicasPerNodeGroup` replicas each, shard by shard. */
export function cacheNodes(numNodeGroups: number, replicasPerNodeGroup: number): CacheNode[] {
    const nodes: CacheNode[] = [];
    for (let shard = 1; shard <= numNodeGroups; shard++) {
        for (let node = 1; node <= replicasPerNodeGroup + 1; node++) {
            const shardId = String(shard).padStart(4, "0");
            const nodeId = String(node).padStart(3, "0");
            nodes.push({ shardId, nodeId, suffix: `${shardId}-${nodeId}` });
        }
    }
    return nodes;
}
