/**
 * What each alarm watches and when it fires, as plain data: the Monitoring component turns it into resources, the
 * runbook (docs/runbook.md §3) has a section per `role`, and a test keeps the two in step. Pure.
 */
import { AlarmThresholds } from "../../config/alarms";

/** How CloudWatch judges periods with no data points. */
export type MissingData = "missing" | "notBreaching" | "breaching" | "ignore";

export interface AlarmDefinition {
    /** A stable, short name: part of each alarm's resource name and the runbook's heading. */
    readonly role: string;
    readonly namespace: "AWS/ElastiCache" | "AWS/Lambda";
    readonly metricName: string;
    /** A simple statistic, or a percentile such as `p99` (CloudWatch's extended statistic). */
    readonly statistic: "Average" | "Maximum" | "Sum" | "SampleCount" | "p99";
    /** Seconds per data point. */
    readonly periodSeconds: number;
    /** Data points judged, and how many of them must breach: `evaluationPeriods` of 5 at 60 s is "held 5 minutes". */
    readonly evaluationPeriods: number;
    /** The threshold, from the stack's thresholds (and, for the duration, the function's timeout in ms). */
    readonly threshold: (thresholds: AlarmThresholds, functionTimeoutMs: number) => number;
    readonly missingData: MissingData;
    /** One line for the alarm's description: what crossing the threshold means. */
    readonly meaning: string;
    /**
     * Watches the node query's selection itself, as one series (its data points), and breaches below the threshold;
     * the other alarms breach at or above theirs, per node.
     */
    readonly selection?: true;
}

const HELD_FIVE_MINUTES = { periodSeconds: 60, evaluationPeriods: 5 } as const;
const OVER_FIVE_MINUTES = { periodSeconds: 300, evaluationPeriods: 1 } as const;

/**
 * One alarm of each over every cache node of the group (a Metrics Insights query grouped by node: see nodeQuery.ts),
 * so the count does not follow the shape. Gauges must hold for 5 minutes so a failover or a snapshot's brief spike does
 * not page anyone; counts are summed over 5 minutes. Each node is a contributor of its own: the alarm fires when any
 * node breaches, and a node that is gone simply stops contributing. That the query selects any node at all is
 * `nodes-watched`'s job.
 */
export const NODE_ALARMS: readonly AlarmDefinition[] = [
    {
        role: "cpu",
        namespace: "AWS/ElastiCache",
        metricName: "EngineCPUUtilization",
        statistic: "Average",
        ...HELD_FIVE_MINUTES,
        threshold: (t) => t.engineCpuPercent,
        missingData: "missing",
        meaning: "the Redis engine thread is saturated; commands queue and latency rises",
    },
    {
        role: "memory",
        namespace: "AWS/ElastiCache",
        metricName: "DatabaseMemoryUsagePercentage",
        statistic: "Average",
        ...HELD_FIVE_MINUTES,
        threshold: (t) => t.memoryPercent,
        missingData: "missing",
        meaning: "the node's data is close to maxmemory; next come evictions or OOM errors on writes",
    },
    {
        role: "evictions",
        namespace: "AWS/ElastiCache",
        metricName: "Evictions",
        statistic: "Sum",
        ...OVER_FIVE_MINUTES,
        threshold: (t) => t.evictions,
        missingData: "notBreaching",
        meaning: "keys were evicted for lack of memory: written data is gone",
    },
    {
        role: "replication-lag",
        namespace: "AWS/ElastiCache",
        metricName: "ReplicationLag",
        statistic: "Maximum",
        ...HELD_FIVE_MINUTES,
        threshold: (t) => t.replicationLagSeconds,
        // Only a node that is a replica right now publishes it; the primary's alarm must stay OK, not INSUFFICIENT_DATA.
        missingData: "notBreaching",
        meaning: "this replica trails its primary; a failover now would lose the writes it has not received",
    },
    {
        role: "connections",
        namespace: "AWS/ElastiCache",
        metricName: "CurrConnections",
        statistic: "Maximum",
        ...HELD_FIVE_MINUTES,
        threshold: (t) => t.connections,
        missingData: "missing",
        meaning:
            "the node nears ElastiCache's fixed limit of 65,000 connections; beyond it new connections are refused",
    },
];

/**
 * The guard of the node alarms: the number of nodes their query selects, which must not be 0. Zero means every node
 * alarm above watches nothing: the account's resource tags on telemetry are off (the query selects nodes by tag), the
 * tags are gone, or the group stopped reporting. Missing data breaches for that reason. It checks that the selection
 * is not empty, not the exact node count: COUNT counts observations, and how many a node sends per minute is AWS's.
 */
export const SELECTION_ALARM: AlarmDefinition = {
    role: "nodes-watched",
    namespace: "AWS/ElastiCache",
    metricName: "EngineCPUUtilization",
    statistic: "SampleCount",
    ...HELD_FIVE_MINUTES,
    threshold: () => 1,
    missingData: "breaching",
    meaning: "the node alarms' query selects no node of the group, so they watch nothing",
    selection: true,
};

/** The alarms on the Lambda function. No invocations means no data, which is not a problem. */
export const FUNCTION_ALARMS: readonly AlarmDefinition[] = [
    {
        role: "function-errors",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        statistic: "Sum",
        ...OVER_FIVE_MINUTES,
        threshold: (t) => t.functionErrors,
        missingData: "notBreaching",
        meaning: "invocations failed (a crash or a timeout: Redis failures are answered 503 and are not errors)",
    },
    {
        role: "function-throttles",
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        statistic: "Sum",
        ...OVER_FIVE_MINUTES,
        // Any throttle: callers got 429 and the function never ran.
        threshold: () => 1,
        missingData: "notBreaching",
        meaning: "invocations were refused for lack of concurrency; callers received 429",
    },
    {
        role: "function-duration",
        namespace: "AWS/Lambda",
        metricName: "Duration",
        statistic: "p99",
        ...OVER_FIVE_MINUTES,
        threshold: (t, timeoutMs) => Math.round((timeoutMs * t.functionDurationPercent) / 100),
        missingData: "notBreaching",
        meaning: "the slowest 1% of calls come close to the timeout, after which Lambda kills them",
    },
];

/**
 * The node alarms a group gets: replication lag only when it has, or its scaler may add, replicas to lag. A plain
 * boolean, not the shape: the number of alarms never depends on how many shards or replicas there are.
 */
export function nodeAlarmsFor(mayHaveReplicas: boolean): readonly AlarmDefinition[] {
    return NODE_ALARMS.filter((alarm) => alarm.role !== "replication-lag" || mayHaveReplicas);
}
