/**
 * A second way of choosing steps (besides deriveSteps.ts's config change): the scaler's next step, as ElastiCache takes
 * it. A target-tracking policy moves one count at a time: for shards, one shard added with slots moved to it online, or
 * one removed after its slots leave; for replicas, one replica added to (or removed from) every shard, since
 * "the scaling policy adds or removes replicas uniformly across all shards"
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling-Scaling-Policies-Replicas-Replicas.html).
 * The steps run through carryOut.ts like any other. Pure but for reading the stack files; refusals are one line
 * naming the key.
 */
import { autoScalingOf, DIMENSION_KEYS, ScaledDimension } from "../../config/autoScaling";
import { LoadedStack, loadStack } from "../program/stackSettings";
import { oneLine, RehearsalRefused } from "./changePlan";
import type { ExpectedShape } from "./shapeCheck";
import type { ReshapeStep } from "./steps";

export type ScaleDirection = "out" | "in";

export interface ScaleRequest {
    readonly stack: string;
    /** The stack's settings over its file, as `pulumi config set` would make them (the scaler's bounds among them). */
    readonly config: Readonly<Record<string, string>>;
    readonly from?: Readonly<Record<string, string>>;
    readonly direction: ScaleDirection;
    /** The count to scale; default: shards when the stack scales them, else replicas. */
    readonly dimension?: ScaledDimension;
    /**
     * The count the scaler has reached when it takes the step. Default: the minimum for a scale-out (its first step),
     * one above it for a scale-in (its last step back).
     */
    readonly at?: number;
}

export interface ScalePlan {
    /** The stack as configured: what a later `pulumi up` evaluates. */
    readonly configured: LoadedStack;
    /** The stack at the count the scaler has reached: the shape the local cluster starts in. */
    readonly before: LoadedStack;
    readonly dimension: ScaledDimension;
    readonly count: { readonly before: number; readonly after: number };
    readonly step: ReshapeStep;
    readonly expected: ExpectedShape;
}

export function planScalerStep(request: ScaleRequest): ScalePlan {
    const overrides = { ...request.from, ...request.config };
    const configured = oneLine(() => loadStack(request.stack, overrides));
    const scaling = autoScalingOf(configured.settings);
    const dimension = request.dimension ?? (scaling?.shards || !scaling?.replicas ? "shards" : "replicas");
    const keys = DIMENSION_KEYS[dimension];
    const bounds = scaling?.[dimension];
    if (!bounds) {
        throw new RehearsalRefused(
            `${keys.max}: stack ${request.stack} has no scaler for ${dimension} (unset or 0); give it one, e.g. --config ${keys.max}=<most ${dimension}>`,
        );
    }
    const outward = request.direction === "out";
    const current = request.at ?? (outward ? bounds.min : Math.min(bounds.min + 1, bounds.max));
    if (current < bounds.min || current > bounds.max) {
        throw new RehearsalRefused(
            `--at: ${current} ${dimension} is outside the scaler's range; allowed ${keys.min} ${bounds.min} to ${keys.max} ${bounds.max}`,
        );
    }
    const next = current + (outward ? 1 : -1);
    if (next > bounds.max) {
        throw new RehearsalRefused(
            `${keys.max}: ${bounds.max} ${dimension} reached, the scaler adds no more; allowed a scale-out from below ${bounds.max} (--at), or a larger ${keys.max}`,
        );
    }
    if (next < bounds.min) {
        throw new RehearsalRefused(
            `${keys.min}: ${bounds.min} is the scaler's minimum, it removes no more ${dimension}; allowed a scale-in from above it (--at ${bounds.min + 1} or more)`,
        );
    }
    const before = oneLine(() => loadStack(request.stack, { ...overrides, [keys.min]: String(current) }));
    const shards = before.settings.numNodeGroups;
    const replicas = before.settings.replicaCount;
    const step: ReshapeStep =
        dimension === "shards"
            ? outward
                ? { kind: "add shards", count: 1 }
                : { kind: "remove shards", count: 1 }
            : outward
              ? { kind: "add replicas", perShard: 1 }
              : { kind: "remove replicas", perShard: 1 };
    const expected =
        dimension === "shards" ? { shards: next, replicasPerShard: replicas } : { shards, replicasPerShard: next };
    return { configured, before, dimension, count: { before: current, after: next }, step, expected };
}
