import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmThresholds } from "../../config/alarms";
import { AlarmDefinition, FUNCTION_ALARMS, nodeAlarmsFor, SELECTION_ALARM } from "./alarmDefinitions";
import { dashboardBody } from "./dashboardBody";
import { alarmQuery, tagFilter } from "./nodeQuery";

export interface MonitoringArgs {
    /** The topic every alarm notifies, on ALARM and on OK (the {@link AlertTopic}'s). */
    readonly topicArn: pulumi.Input<string>;
    /** The replication group's id: the alarms' subject and the dashboard's name. */
    readonly replicationGroupId: pulumi.Input<string>;
    /**
     * The tags on the replication group, which ElastiCache copies to every node: the node alarms' queries select the
     * group's nodes by them (nodeQuery.ts). Plain values, known at preview.
     */
    readonly nodeTags: Readonly<Record<string, string>>;
    /**
     * The group has replicas, or its scaler may add some: the replication-lag alarm exists. A plain boolean: no
     * count of shards or replicas decides how many alarms exist.
     */
    readonly mayHaveReplicas: boolean;
    /** The Lambda function whose errors, throttles and duration are watched. */
    readonly functionName: pulumi.Input<string>;
    /** The function's timeout, in seconds: the duration alarm fires at a percentage of it. */
    readonly functionTimeoutSeconds: number;
    /** When each alarm fires; the defaults and their reasons are in config/keys/monitoring.ts. */
    readonly thresholds: AlarmThresholds;
    readonly tags?: Record<string, string>;
}

/**
 * Alarms over every cache node (engine CPU, memory, evictions, connections, and replication lag when there are
 * replicas), each one Metrics Insights query with a contributor per node, whatever the number of shards and replicas;
 * an alarm that the query selects nodes at all; alarms on the function (errors, throttles, p99 duration near the
 * timeout); all notifying one topic on ALARM and on OK; and a CloudWatch dashboard drawn from the same queries.
 *
 * Its own component rather than part of RedisCluster or SetGetFunction: it watches both, and receiving their ids as
 * plain inputs keeps it from reaching into either (and lets `monitoring: false` drop it whole). Nothing here depends
 * on the shape, so a resharding or the scaler's step changes no alarm: no node is left unwatched after a scale-out and
 * no alarm stays on a node that is gone.
 *
 * Cost and quota: a Metrics Insights alarm is billed by the metrics it analyses, about one per node (priced in
 * `npm run plan`), and an account has a default of 200 Metrics Insights alarms per region
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarm-limits.html): 6 per stack.
 *
 * What a later `pulumi up` does: an alarm's name is its only ForceNew input (`alarm_name`,
 * terraform-provider-aws v6.66.0 internal/service/cloudwatch/metric_alarm.go); every other change — a threshold, the
 * query — is one `PutMetricAlarm` in place. The dashboard is replaced only when its name changes (`dashboard_name`
 * ForceNew; the body is compared as JSON, terraform-provider-aws v6.66.0 internal/service/cloudwatch/dashboard.go).
 */
export class Monitoring extends pulumi.ComponentResource {
    /** The alarms: the node alarms, the selection's guard, then the function's. */
    public readonly alarms: aws.cloudwatch.MetricAlarm[];
    public readonly dashboardName: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-cluster:monitoring:Monitoring", name, {}, opts);
        // Refuses tags a query cannot match before any alarm is registered.
        tagFilter(args.nodeTags);

        const functionTimeoutMs = args.functionTimeoutSeconds * 1000;
        const nodeAlarms = [...nodeAlarmsFor(args.mayHaveReplicas), SELECTION_ALARM].map((definition) =>
            this.alarm(`${name}-nodes-${definition.role}`, definition, args, functionTimeoutMs),
        );
        const functionAlarms = FUNCTION_ALARMS.map((definition) =>
            this.alarm(`${name}-${definition.role}`, definition, args, functionTimeoutMs),
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
                                nodeTags: args.nodeTags,
                                mayHaveReplicas: args.mayHaveReplicas,
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
        this.registerOutputs({ dashboardName: this.dashboardName });
    }

    /**
     * One alarm: a node alarm is a Metrics Insights query over the group's nodes (`nodes-watched` fires below its
     * threshold); a function alarm names its metric and the function's dimension.
     */
    private alarm(
        resourceName: string,
        definition: AlarmDefinition,
        args: MonitoringArgs,
        functionTimeoutMs: number,
    ): aws.cloudwatch.MetricAlarm {
        const threshold = definition.threshold(args.thresholds, functionTimeoutMs);
        const guard = definition.selection === true;
        const onNodes = definition.namespace === "AWS/ElastiCache";
        const condition = guard
            ? `${definition.metricName} data points < ${threshold}`
            : `${onNodes ? "any node's " : ""}${definition.metricName} ${definition.statistic} >= ${threshold}`;
        const subject = onNodes ? args.replicationGroupId : args.functionName;
        return new aws.cloudwatch.MetricAlarm(
            resourceName,
            {
                alarmDescription: pulumi.interpolate`${subject}: ${condition}: ${definition.meaning}. Runbook: docs/operations.md §13 "${definition.role}".`,
                ...(onNodes ? nodeQueryOf(definition, args) : functionMetricOf(definition, args)),
                evaluationPeriods: definition.evaluationPeriods,
                datapointsToAlarm: definition.evaluationPeriods,
                comparisonOperator: guard ? "LessThanThreshold" : "GreaterThanOrEqualToThreshold",
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

/** A node alarm's one query, a series per node of the group. */
function nodeQueryOf(definition: AlarmDefinition, args: MonitoringArgs) {
    return {
        metricQueries: [
            {
                id: "q1",
                expression: alarmQuery(definition, args.nodeTags),
                period: definition.periodSeconds,
                returnData: true,
            },
        ],
    };
}

/** A function alarm's metric: a simple or a percentile statistic on the function's own dimension. */
function functionMetricOf(definition: AlarmDefinition, args: MonitoringArgs) {
    const percentile = definition.statistic.startsWith("p");
    return {
        namespace: definition.namespace,
        metricName: definition.metricName,
        dimensions: { FunctionName: pulumi.output(args.functionName) },
        ...(percentile ? { extendedStatistic: definition.statistic } : { statistic: definition.statistic }),
        period: definition.periodSeconds,
    };
}
