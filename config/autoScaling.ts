/**
 * What ElastiCache auto scaling accepts, and what a stack's scaling keys ask for. Pure: validation (config/validate.ts)
 * refuses what AWS would refuse, the cache component and the plan read the same bounds.
 *
 * Prerequisites, from "Auto Scaling Valkey and Redis OSS clusters"
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html): cluster mode enabled (this program's
 * only mode); Valkey 7.2 onwards or Redis OSS 6.0 onwards; instance sizes Large, XLarge, 2XLarge; instance families
 * R7g, R6g, R6gd, R5, M7g, M6g, M5, C7gn (the English page's list; translated copies already list newer families: the
 * conservative list is kept until the English page changes). Not supported in Global Datastores, Outposts or Local
 * Zones, none of which this program creates.
 */
import type { Engine } from "./catalog";
import { parseNodeType } from "./nodeTypes";

/** The families the prerequisites page lists, as node types spell them (`cache.<family>.<size>`). */
export const AUTO_SCALING_FAMILIES = ["r7g", "r6g", "r6gd", "r5", "m7g", "m6g", "m5", "c7gn"] as const;
/** The sizes the prerequisites page lists. */
export const AUTO_SCALING_SIZES = ["large", "xlarge", "2xlarge"] as const;
/** The oldest engine version auto scaling supports, per engine. */
export const AUTO_SCALING_MINIMUM_VERSION: Readonly<Record<Engine, string>> = { redis: "6.0", valkey: "7.2" };
export const AUTO_SCALING_PAGE = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html";

/** One count a scaler owns: the configured count is its minimum. */
export interface ScaledCount {
    readonly min: number;
    readonly max: number;
}

/** What the stack's scaling keys ask for; a dimension is absent when its maximum is unset or 0. */
export interface AutoScaling {
    /** `elasticache:replication-group:NodeGroups`: `numNodeGroups` … `maxNumNodeGroups`. */
    readonly shards?: ScaledCount;
    /** `elasticache:replication-group:Replicas`: `replicaCount` … `maxReplicaCount`, uniformly across shards. */
    readonly replicas?: ScaledCount;
    /** The engine CPU (%) each policy keeps its metric at. */
    readonly targetCpuPercent: number;
}

export type ScaledDimension = "shards" | "replicas";

/** The key that sets a dimension's maximum, and the one whose value is its minimum. */
export const DIMENSION_KEYS: Readonly<Record<ScaledDimension, { readonly max: string; readonly min: string }>> = {
    shards: { max: "maxNumNodeGroups", min: "numNodeGroups" },
    replicas: { max: "maxReplicaCount", min: "replicaCount" },
};

/** The scaling a stack's settings ask for; undefined when both maxima are off (unset or 0). */
export function autoScalingOf(settings: {
    readonly numNodeGroups: number;
    readonly replicaCount: number;
    readonly maxNumNodeGroups: number;
    readonly maxReplicaCount: number;
    readonly scalingCpuPercent: number;
}): AutoScaling | undefined {
    const shards =
        settings.maxNumNodeGroups > 0 ? { min: settings.numNodeGroups, max: settings.maxNumNodeGroups } : undefined;
    const replicas =
        settings.maxReplicaCount > 0 ? { min: settings.replicaCount, max: settings.maxReplicaCount } : undefined;
    if (!shards && !replicas) return undefined;
    return { shards, replicas, targetCpuPercent: settings.scalingCpuPercent };
}

/** Whether auto scaling supports the node type (`cache.<family>.<size>`). */
export function scalableNodeType(nodeType: string): boolean {
    const parsed = parseNodeType(nodeType);
    return (
        parsed !== undefined &&
        (AUTO_SCALING_FAMILIES as readonly string[]).includes(parsed.family) &&
        (AUTO_SCALING_SIZES as readonly string[]).includes(parsed.size)
    );
}

/** The largest shape the scaler may reach: every count at its maximum. */
export function maximumShape(
    settings: { readonly numNodeGroups: number; readonly replicaCount: number },
    scaling: AutoScaling | undefined,
): { shards: number; replicasPerShard: number } {
    return {
        shards: scaling?.shards?.max ?? settings.numNodeGroups,
        replicasPerShard: scaling?.replicas?.max ?? settings.replicaCount,
    };
}
