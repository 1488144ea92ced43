/**
 * Where each shard's nodes go: primaries rotate across the AZs and each replica takes the next AZ after its primary,
 * so losing one AZ never takes a shard's primary and all its replicas while there are at least as many AZs as nodes
 * in a shard. ElastiCache would otherwise be free to put a whole shard in one AZ.
 */
export interface ShardPlacement {
    /** ElastiCache's node group id: "0001", "0002", … */
    readonly nodeGroupId: string;
    /** Index into the AZ list of the primary. */
    readonly primaryZone: number;
    /** Index into the AZ list of each replica, one entry per replica. */
    readonly replicaZones: readonly number[];
}

export function placeShards(shards: number, replicasPerShard: number, zoneCount: number): ShardPlacement[] {
    return Array.from({ length: shards }, (_, shard) => ({
        nodeGroupId: String(shard + 1).padStart(4, "0"),
        primaryZone: shard % zoneCount,
        replicaZones: Array.from({ length: replicasPerShard }, (_, replica) => (shard + replica + 1) % zoneCount),
    }));
}

/** Nodes each AZ receives under `placeShards`. */
export function nodesPerZone(shards: number, replicasPerShard: number, zoneCount: number): number[] {
    const counts = new Array<number>(zoneCount).fill(0);
    for (const shard of placeShards(shards, replicasPerShard, zoneCount)) {
        for (const zone of [shard.primaryZone, ...shard.replicaZones]) counts[zone]++;
    }
    return counts;
}
