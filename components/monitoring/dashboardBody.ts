/**
 * The CloudWatch dashboard's body, built from plain values: a row for the group's nodes (CPU, memory, commands,
 * latency, connections, replication lag), each graph one Metrics Insights query with a line per node (nodeQuery.ts),
 * and a row for the function (invocations, errors and throttles, duration). Pure, so a test reads the widgets without
 * mocks. The body does not depend on the shape: nodes the scaler adds are drawn on their first data point, and the
 * dashboard never needs an `up` to follow them.
 *
 * CloudWatch quotas: 500 widgets per dashboard; a Metrics Insights query returns at most 500 time series, more than
 * the 500 nodes a cluster can have (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-limits.html).
 */
import { AlarmThresholds } from "../../config/alarms";
import { perNodeQuery } from "./nodeQuery";

export interface DashboardInput {
    readonly region: string;
    readonly replicationGroupId: string;
    /** The tags every node of the group carries, which the queries select nodes by. */
    readonly nodeTags: Readonly<Record<string, string>>;
    /** The group has, or its scaler may add, replicas: replication lag is drawn. */
    readonly mayHaveReplicas: boolean;
    readonly functionName: string;
    readonly functionTimeoutMs: number;
    readonly thresholds: AlarmThresholds;
    /** The function's duration alarm threshold, in ms, drawn on its graph. */
    readonly functionDurationThresholdMs: number;
}

/** CloudWatch's per-dashboard quotas. */
export const DASHBOARD_LIMITS = { widgets: 500, metrics: 2500 } as const;

type MetricRow = readonly unknown[];
interface Widget {
    readonly type: "metric" | "text";
    readonly x: number;
    readonly y: number;
    readonly width: number;
    readonly height: number;
    readonly properties: Record<string, unknown>;
}

const ROW_HEIGHT = 6;

export function dashboardBody(input: DashboardInput): { widgets: Widget[] } {
    return { widgets: [...functionRow(input, 0), ...nodeRow(input, ROW_HEIGHT)] };
}

/** Every node of the group, a line each, whatever the shape. */
function nodeRow(input: DashboardInput, y: number): Widget[] {
    const t = input.thresholds;
    const query = (metricName: string, statistic: string, label: string): MetricRow => [
        { expression: perNodeQuery(metricName, statistic, input.nodeTags), label, id: "q1" },
    ];
    return [
        text(
            0,
            y,
            4,
            ROW_HEIGHT,
            [
                `### Nodes of ${input.replicationGroupId}`,
                "",
                "A line per node (`CacheClusterId`), selected by the group's tags, so nodes added or removed by scaling " +
                    "or resharding appear and leave by themselves. Empty graphs: the account's resource tags on telemetry " +
                    "are off (docs/runbook.md §2).",
            ].join("\n"),
        ),
        graph(input, 4, y, "Nodes: engine CPU %", [query("EngineCPUUtilization", "Average", "")], {
            max: 100,
            threshold: t.engineCpuPercent,
        }),
        graph(input, 8, y, "Nodes: memory % of maxmemory", [query("DatabaseMemoryUsagePercentage", "Average", "")], {
            max: 100,
            threshold: t.memoryPercent,
        }),
        graph(input, 12, y, "Nodes: key commands per minute", [query("KeyBasedCmds", "Sum", "")], {}),
        graph(input, 16, y, "Nodes: GET-type latency µs", [query("GetTypeCmdsLatency", "Average", "")], {}),
        input.mayHaveReplicas
            ? graph(input, 20, y, "Nodes: replication lag s", [query("ReplicationLag", "Maximum", "")], {
                  threshold: t.replicationLagSeconds,
              })
            : text(
                  20,
                  y,
                  4,
                  ROW_HEIGHT,
                  "### Replication lag\nNo replicas (replicaCount 0): nothing replicates, and a failed primary loses its shard.",
              ),
        graph(
            input,
            0,
            y + ROW_HEIGHT,
            "Nodes: connections",
            [query("CurrConnections", "Maximum", "")],
            {
                threshold: t.connections,
            },
            12,
        ),
        graph(
            input,
            12,
            y + ROW_HEIGHT,
            "Nodes: SET-type latency µs",
            [query("SetTypeCmdsLatency", "Average", "")],
            {},
            12,
        ),
    ];
}

function functionRow(input: DashboardInput, y: number): Widget[] {
    const fn = (metricName: string, stat: string, label: string): MetricRow => [
        "AWS/Lambda",
        metricName,
        "FunctionName",
        input.functionName,
        { stat, label },
    ];
    return [
        graph(input, 0, y, "Function: invocations", [fn("Invocations", "Sum", "invocations")], {}, 8),
        graph(
            input,
            8,
            y,
            "Function: errors and throttles",
            [fn("Errors", "Sum", "errors"), fn("Throttles", "Sum", "throttles")],
            { threshold: input.thresholds.functionErrors },
            8,
        ),
        graph(
            input,
            16,
            y,
            "Function: duration ms",
            [fn("Duration", "p50", "p50"), fn("Duration", "p99", "p99"), fn("Duration", "Maximum", "max")],
            { threshold: input.functionDurationThresholdMs, max: input.functionTimeoutMs, label: "alarm (p99)" },
            8,
        ),
    ];
}

function graph(
    input: DashboardInput,
    x: number,
    y: number,
    title: string,
    metrics: MetricRow[],
    scale: { max?: number; threshold?: number; label?: string },
    width = 4,
): Widget {
    return {
        type: "metric",
        x,
        y,
        width,
        height: ROW_HEIGHT,
        properties: {
            title,
            region: input.region,
            view: "timeSeries",
            stacked: false,
            period: 60,
            metrics,
            yAxis: { left: { min: 0, ...(scale.max !== undefined ? { max: scale.max } : {}) } },
            ...(scale.threshold !== undefined
                ? { annotations: { horizontal: [{ label: scale.label ?? "alarm", value: scale.threshold }] } }
                : {}),
        },
    };
}

function text(x: number, y: number, width: number, height: number, markdown: string): Widget {
    return { type: "text", x, y, width, height, properties: { markdown } };
}

/** Metrics the body draws, as CloudWatch counts them against its quota (each row of a `metrics` array). */
export function metricCount(body: { widgets: readonly Widget[] }): number {
    return body.widgets.reduce(
        (sum, widget) => sum + ((widget.properties.metrics as unknown[] | undefined)?.length ?? 0),
        0,
    );
}
