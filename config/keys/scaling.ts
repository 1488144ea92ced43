/**
 * Auto scaling of shards and replicas (Application Auto Scaling, target tracking on ElastiCache's predefined metrics).
 * Off unless a maximum is set; when one is, the configured count (`numNodeGroups`, `replicaCount`) is the minimum, and
 * a later `pulumi up` leaves the live count alone (the replication group ignores changes to it). The rules relating
 * these keys to the node type, engine and placement are in config/validate.ts; the prerequisites in config/autoScaling.ts.
 */
import { MAX_REPLICAS_PER_SHARD, MAX_SHARDS } from "../catalog";
import type { StackSettings } from "../settings";
import { scalableNodeType } from "../autoScaling";
import { integer, refused } from "./declaration";

const NOT_A_NODE =
    "the scaler's bounds and target change no node; rehearse the scaler's own step with --scale-out or --scale-in";

/** The guide judges scaling on a node type auto scaling supports: dev's cache.t4g.micro is refused. */
function scalable(s: StackSettings): Record<string, string> {
    return scalableNodeType(s.nodeType) ? {} : { nodeType: "cache.r7g.large" };
}

const TARGET_ONLY =
    "RegisterScalableTarget with the new bounds, in place; the replication group is untouched. Application Auto Scaling then moves the count into the new range itself (on paper: AWS's own decision, not rehearsed).";

export const SCALING_KEYS = {
    /** The most shards the scaler may add up to; 0 turns shard scaling off. */
    maxNumNodeGroups: integer({
        default: 0,
        min: 0,
        max: MAX_SHARDS,
        unit: "shards (0 = off)",
        description:
            "Auto scaling of shards: the most the scaler may reach, numNodeGroups (the minimum) to 500; 0 = off. Needs an r7g/r6g/r6gd/r5/m7g/m6g/m5/c7gn node type of size large, xlarge or 2xlarge, Redis OSS 6.0+ or Valkey 7.2+, shardPlacement auto (docs/scaling.md).",
        change: {
            label: (s): string => `0 → ${s.numNodeGroups + 2}`,
            from: scalable,
            to: (s): Record<string, string> => ({ maxNumNodeGroups: String(s.numNodeGroups + 2) }),
            note: "Creates the scalable target (NodeGroups) and its target-tracking policy; the replication group gets only a description without counts (in place). From then on `numNodeGroups` is the minimum and a later `up` leaves the live shard count alone (`ignoreChanges`). Back to 0: target and policy deleted, and the next `up` reshards to `numNodeGroups` ([scaling.md](scaling.md)).",
        },
        furtherChanges: [
            {
                label: (s): string => `max ${s.numNodeGroups + 2} → ${s.numNodeGroups + 3}`,
                from: (s): Record<string, string> => ({
                    ...scalable(s),
                    maxNumNodeGroups: String(s.numNodeGroups + 2),
                }),
                to: (s): Record<string, string> => ({ maxNumNodeGroups: String(s.numNodeGroups + 3) }),
                note: TARGET_ONLY,
            },
            {
                row: "numNodeGroups",
                label: (s): string => `${s.numNodeGroups} → ${s.numNodeGroups + 1} with maxNumNodeGroups set`,
                from: (s): Record<string, string> => ({
                    ...scalable(s),
                    maxNumNodeGroups: String(s.numNodeGroups + 3),
                }),
                to: (s): Record<string, string> => ({ numNodeGroups: String(s.numNodeGroups + 1) }),
                note: `While the scaler owns the count, numNodeGroups is its minimum: ${TARGET_ONLY}`,
            },
        ],
        rehearsal: refused(NOT_A_NODE),
    }),
    /** The most replicas per shard the scaler may add up to; 0 turns replica scaling off. */
    maxReplicaCount: integer({
        default: 0,
        min: 0,
        max: MAX_REPLICAS_PER_SHARD,
        unit: "replicas per shard (0 = off)",
        description:
            "Auto scaling of replicas (added and removed uniformly in every shard): the most the scaler may reach, replicaCount (the minimum) to 5; 0 = off. Same prerequisites as maxNumNodeGroups.",
        change: {
            label: (s): string => `0 → ${Math.min(s.replicaCount + 1, MAX_REPLICAS_PER_SHARD)}`,
            from: scalable,
            to: (s): Record<string, string> => ({
                maxReplicaCount: String(Math.min(s.replicaCount + 1, MAX_REPLICAS_PER_SHARD)),
            }),
            note: "Creates the scalable target (Replicas) and its target-tracking policy; the replication group gets only a description without counts (in place). From then on `replicaCount` is the minimum and a later `up` leaves the live replica count alone (`ignoreChanges`). Back to 0: the next `up` sets `replicaCount` again (Increase/DecreaseReplicaCount).",
        },
        furtherChanges: [
            {
                row: "replicaCount",
                label: (s): string => `${s.replicaCount} → ${s.replicaCount + 1} with maxReplicaCount set`,
                from: (s): Record<string, string> => ({
                    ...scalable(s),
                    maxReplicaCount: String(MAX_REPLICAS_PER_SHARD),
                }),
                to: (s): Record<string, string> => ({ replicaCount: String(s.replicaCount + 1) }),
                note: `While the scaler owns the count, replicaCount is its minimum: ${TARGET_ONLY} Multi-AZ follows the minimum (on with 1 or more).`,
            },
        ],
        rehearsal: refused(NOT_A_NODE),
    }),
    /** The engine CPU each scaling policy keeps its metric at. */
    scalingCpuPercent: integer({
        default: 60,
        min: 35,
        max: 70,
        unit: "percent",
        description:
            "Target of the scaling policies: average EngineCPUUtilization of the primaries (shards) and of the replicas (replicas), 35-70 (the range ElastiCache's console offers).",
        change: {
            label: (s): string =>
                `${s.scalingCpuPercent} → ${s.scalingCpuPercent === 70 ? 35 : s.scalingCpuPercent + 5}`,
            from: (s): Record<string, string> => ({ ...scalable(s), maxNumNodeGroups: String(s.numNodeGroups + 2) }),
            to: (s): Record<string, string> => ({
                scalingCpuPercent: String(s.scalingCpuPercent === 70 ? 35 : s.scalingCpuPercent + 5),
            }),
            note: "PutScalingPolicy with the new target value, in place; no node changes until the metric crosses it.",
        },
        rehearsal: refused(NOT_A_NODE),
    }),
};
