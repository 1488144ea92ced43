import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AutoScaling, ScaledDimension } from "../../config/autoScaling";

/**
 * Application Auto Scaling of one replication group: per scaled dimension a scalable target and a target-tracking
 * policy on ElastiCache's predefined engine CPU metric. The target's `resourceId` is `replication-group/<id>` and its
 * namespace `elasticache` ("Registering a scalable target",
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling-Scaling-Registering-Policy-CLI.html); the
 * service-linked role `AWSServiceRoleForApplicationAutoScaling_ElastiCacheRG` is created by AWS on the first
 * registration, so no role is passed.
 *
 * What a later `pulumi up` does: min and max are sent again with RegisterScalableTarget, in place; the policy's target
 * value with PutScalingPolicy, in place; resource id, dimension and namespace are ForceNew
 * (terraform-provider-aws v6.66.0 internal/service/appautoscaling/target.go and policy.go, read in older stored
 * copies of the provider: target.go at commit 0105d2191ae7, policy.go at 048320e88399).
 */
export const SCALABLE_DIMENSIONS: Readonly<Record<ScaledDimension, string>> = {
    shards: "elasticache:replication-group:NodeGroups",
    replicas: "elasticache:replication-group:Replicas",
};

/**
 * The predefined metric of each dimension: the primaries' average engine CPU for shards
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling-Scaling-Defining-Policy-API.html), the
 * replicas' for replicas
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling-Scaling-Policies-Replicas-Replicas.html).
 * Engine CPU rather than memory: ElastiCacheDatabaseMemoryUsageCountedForEvictPercentage is not offered on r6gd (data
 * tiering), one of the families validation accepts.
 */
export const PREDEFINED_METRICS: Readonly<Record<ScaledDimension, string>> = {
    shards: "ElastiCachePrimaryEngineCPUUtilization",
    replicas: "ElastiCacheReplicaEngineCPUUtilization",
};

/** The replication group's inputs a scaler owns, by dimension (the camelCase names `ignoreChanges` takes). */
export const SCALED_INPUTS: Readonly<Record<ScaledDimension, string>> = {
    shards: "numNodeGroups",
    replicas: "replicasPerNodeGroup",
};

/** The dimensions a scaling asks for, shards first (the order ElastiCache's guide registers them in). */
export function scaledDimensions(scaling: AutoScaling | undefined): ScaledDimension[] {
    return (["shards", "replicas"] as const).filter((dimension) => scaling?.[dimension] !== undefined);
}

/** A target and its policy per scaled dimension, children of `parent`, named `${name}-<dimension>-scaling(-policy)`. */
export function createScalers(
    name: string,
    replicationGroupId: pulumi.Input<string>,
    scaling: AutoScaling,
    parent: pulumi.Resource,
    tags?: Record<string, string>,
): { targets: aws.appautoscaling.Target[]; policies: aws.appautoscaling.Policy[] } {
    const targets: aws.appautoscaling.Target[] = [];
    const policies: aws.appautoscaling.Policy[] = [];
    for (const dimension of scaledDimensions(scaling)) {
        const bounds = scaling[dimension]!;
        const target = new aws.appautoscaling.Target(
            `${name}-${dimension}-scaling`,
            {
                serviceNamespace: "elasticache",
                resourceId: pulumi.interpolate`replication-group/${replicationGroupId}`,
                scalableDimension: SCALABLE_DIMENSIONS[dimension],
                minCapacity: bounds.min,
                maxCapacity: bounds.max,
                tags,
            },
            { parent },
        );
        targets.push(target);
        policies.push(
            new aws.appautoscaling.Policy(
                `${name}-${dimension}-scaling-policy`,
                {
                    policyType: "TargetTrackingScaling",
                    serviceNamespace: target.serviceNamespace,
                    resourceId: target.resourceId,
                    scalableDimension: target.scalableDimension,
                    targetTrackingScalingPolicyConfiguration: {
                        predefinedMetricSpecification: { predefinedMetricType: PREDEFINED_METRICS[dimension] },
                        targetValue: scaling.targetCpuPercent,
                    },
                },
                { parent },
            ),
        );
    }
    return { targets, policies };
}
