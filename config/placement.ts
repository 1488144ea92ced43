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
    /** The shard's hash slots, `first-last`: see `slotRanges`. */
    readonly slots: string;
}

/** Redis Cluster's hash slots: every key maps to one of 0–16383. */
export const HASH_SLOTS = 16384;

/**
 * An even split of the 16384 hash slots into `shards` contiguous ranges, the first `16384 % shards` one slot larger
 * (redis-cli --cluster create's split). Sent explicitly with `spread` placement, so ElastiCache stores exactly these
 * ranges and reads them back unchanged: the provider compares configured `slots` with the read-back ones and forces
 * a replacement when they differ (terraform-provider-aws v6.66.0 internal/service/elasticache/replication_group.go,
 * `hasSignificantNodeGroupConfigChanges`).
 */
export function slotRanges(shards: number): string[] {
    const base = Math.floor(HASH_SLOTS / shards);
    const larger = HASH_SLOTS % shards;
    const ranges: string[] = [];
    let first = 0;
    for (let shard = 0; shard < shards; shard++) {
        const size = base + (shard < larger ? 1 : 0);
        ranges.push(`${first}-${first + size - 1}`);
        first += size;
    }
    return ranges;
}

export function placeShards(shards: number, replicasPerShard: number, zoneCount: number): ShardPlacement[] {
    const slots = slotRanges(shards);
    return Array.from({ length: shards }, (_, shard) => ({
        nodeGroupId: String(shard + 1).padStart(4, "0"),
        primaryZone: shard % zoneCount,
        replicaZones: Array.from({ length: replicasPerShard }, (_, replica) => (shard + replica + 1) % zoneCount),
        slots: slots[shard],
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
