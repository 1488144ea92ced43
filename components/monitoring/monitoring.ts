import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmThresholds } from "../../config/alarms";
import { AlarmDefinition, FUNCTION_ALARMS, nodeAlarmsFor } from "./alarmDefinitions";
import { CacheNode, cacheClusterId, cacheNodes } from "./cacheNodeIds";
import { dashboardBody } from "./dashboardBody";

export interface MonitoringArgs {
    /** The topic every alarm notifies, on ALARM and on OK (the {@link AlertTopic}'s). */
    readonly topicArn: pulumi.Input<string>;
    /** The replication group's id: the prefix of every node's `CacheClusterId` dimension. */
    readonly replicationGroupId: pulumi.Input<string>;
    /**
     * Shards of the replication group. A plain number: with `replicasPerNodeGroup` it decides how many alarms exist,
     * which must be known at preview (never read back from the cloud inside an `apply`).
     * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.NodeGroups.html
     */
    readonly numNodeGroups: number;
    /** Replicas per shard, 0–5: each shard has `replicasPerNodeGroup + 1` nodes, each with its own alarms. */
    readonly replicasPerNodeGroup: number;
    /** The Lambda function whose errors, throttles and duration are watched. */
    readonly functionName: pulumi.Input<string>;
    /** The function's timeout, in seconds: the duration alarm fires at a percentage of it. */
    readonly functionTimeoutSeconds: number;
    /** When each alarm fires; the defaults and their reasons are in config/keys/monitoring.ts. */
    readonly thresholds: AlarmThresholds;
    readonly tags?: Record<string, string>;
}

/**
 * Alarms on every cache node (engine CPU, memory, evictions, connections, and replication lag when there are
 * replicas), alarms on the function (errors, throttles, p99 duration near the timeout), all notifying one topic on
 * ALARM and on OK, and a CloudWatch dashboard.
 *
 * Its own component rather than part of RedisCluster or SetGetFunction: it watches both, and receiving their ids and
 * the shape as plain inputs keeps it from reaching into either (and lets `monitoring: false` drop it whole). Each node's
 * alarms are named by shard and node (`-0002-001-cpu`), never by position in a list, so adding a shard adds alarms
 * without renaming (and so replacing) the others'.
 *
 * What a later `pulumi up` does: an alarm's name is its only ForceNew input (`alarm_name`,
 * terraform-provider-aws v6.66.0 internal/service/cloudwatch/metric_alarm.go); every
 * other change — a threshold, the node id after a replacement of the group — is one `PutMetricAlarm` in place. The
 * dashboard is replaced only when its name changes (`dashboard_name` ForceNew; the body is compared as JSON,
 * terraform-provider-aws v6.66.0 internal/service/cloudwatch/dashboard.go).
 */
export class Monitoring extends pulumi.ComponentResource {
    /** The alarms, by resource name: node alarms first, shard by shard, then the function's. */
    public readonly alarms: aws.cloudwatch.MetricAlarm[];
    public readonly dashboardName: pulumi.Output<string>;
    /** The `CacheClusterId`s the node alarms watch, to compare with the group's `memberClusters` after a reshard. */
    public readonly watchedCacheClusterIds: pulumi.Output<string[]>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-cluster:monitoring:Monitoring", name, {}, opts);

        const nodes = cacheNodes(args.numNodeGroups, args.replicasPerNodeGroup);
        const functionTimeoutMs = args.functionTimeoutSeconds * 1000;
        const nodeAlarms = nodes.flatMap((node) =>
            nodeAlarmsFor(args.replicasPerNodeGroup).map((definition) =>
                this.alarm(`${name}-${node.suffix}-${definition.role}`, definition, args, functionTimeoutMs, {
                    dimensions: {
                        CacheClusterId: pulumi.output(args.replicationGroupId).apply((id) => cacheClusterId(id, node)),
                    },
                    subject: pulumi.interpolate`${args.replicationGroupId}-${node.suffix}`,
                }),
            ),
        );
        const functionAlarms = FUNCTION_ALARMS.map((definition) =>
            this.alarm(`${name}-${definition.role}`, definition, args, functionTimeoutMs, {
                dimensions: { FunctionName: pulumi.output(args.functionName) },
                subject: pulumi.output(args.functionName),
            }),
        );
        this.alarms = [...nodeAlarms, ...functionAlarms];

        const region = aws.getRegionOutput({}, { parent: this }).region;
        const durationAlarm = FUNCTION_ALARMS.find((definition) => definition.role === "function-duration");
        const dashboard = new aws.cloudwatch.Dashboard(
            `${name}-dashboard`,
            {
                // Dashboard names are unique per account across regions; the replication group's id already is.
                dashboardName: args.replicationGroupId,
                dashboardBody: pulumi
                    .all([region, args.replicationGroupId, args.functionName])
                    .apply(([regionName, replicationGroupId, functionName]) =>
                        JSON.stringify(
                            dashboardBody({
                                region: regionName,
                                replicationGroupId,
                                nodes,
                                replicasPerNodeGroup: args.replicasPerNodeGroup,
                                functionName,
                                functionTimeoutMs,
                                thresholds: args.thresholds,
                                functionDurationThresholdMs: durationAlarm!.threshold(
                                    args.thresholds,
                                    functionTimeoutMs,
                                ),
                            }),
                        ),
                    ),
            },
            { parent: this },
        );

        this.dashboardName = dashboard.dashboardName;
        this.watchedCacheClusterIds = pulumi
            .output(args.replicationGroupId)
            .apply((id) => nodes.map((node: CacheNode) => cacheClusterId(id, node)));
        this.registerOutputs({
            dashboardName: this.dashboardName,
            watchedCacheClusterIds: this.watchedCacheClusterIds,
        });
    }

    private alarm(
        resourceName: string,
        definition: AlarmDefinition,
        args: MonitoringArgs,
        functionTimeoutMs: number,
        target: { dimensions: pulumi.Input<Record<string, pulumi.Input<string>>>; subject: pulumi.Input<string> },
    ): aws.cloudwatch.MetricAlarm {
        const threshold = definition.threshold(args.thresholds, functionTimeoutMs);
        const percentile = definition.statistic.startsWith("p");
        return new aws.cloudwatch.MetricAlarm(
            resourceName,
            {
                alarmDescription: pulumi.interpolate`${target.subject}: ${definition.metricName} ${definition.statistic} >= ${threshold}: ${definition.meaning}. Runbook: docs/operations.md §13 "${definition.role}".`,
                namespace: definition.namespace,
                metricName: definition.metricName,
                dimensions: target.dimensions,
                ...(percentile ? { extendedStatistic: definition.statistic } : { statistic: definition.statistic }),
                period: definition.periodSeconds,
                evaluationPeriods: definition.evaluationPeriods,
                datapointsToAlarm: definition.evaluationPeriods,
                comparisonOperator: "GreaterThanOrEqualToThreshold",
                threshold,
                treatMissingData: definition.missingData,
                alarmActions: [args.topicArn],
                okActions: [args.topicArn],
                tags: args.tags,
            },
            { parent: this },
        );
    }
}
