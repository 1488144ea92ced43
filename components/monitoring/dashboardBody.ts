/**
 * The CloudWatch dashboard's body, built from plain values: a row per shard (its nodes' CPU, memory, commands/s,
 * latency and replication lag) and a row for the function (invocations, errors and throttles, duration). Pure, so a
 * test reads the widgets without mocks; the component calls it once the replication group's id is known.
 *
 * Dashboard limits (CloudWatch quotas: 500 widgets and 2,500 metrics per dashboard) bound how many shard rows fit;
 * shards beyond that are named in a text widget rather than breaking the dashboard.
 */
import { AlarmThresholds } from "../../config/alarms";
import { CacheNode, cacheClusterId } from "./cacheNodeIds";

export interface DashboardInput {
    readonly region: string;
    readonly replicationGroupId: string;
    readonly nodes: readonly CacheNode[];
    readonly replicasPerNodeGroup: number;
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
/** Metrics a node adds to its shard's row: CPU, memory, commands (count + rate expression), 2 latencies, lag. */
const METRICS_PER_NODE = 7;
const FUNCTION_METRICS = 6;
const FUNCTION_WIDGETS = 3;

export function dashboardBody(input: DashboardInput): { widgets: Widget[] } {
    const shards = groupByShard(input.nodes);
    const nodesPerShard = input.replicasPerNodeGroup + 1;
    const byMetrics = Math.floor((DASHBOARD_LIMITS.metrics - FUNCTION_METRICS) / (METRICS_PER_NODE * nodesPerShard));
    const byWidgets = Math.floor((DASHBOARD_LIMITS.widgets - FUNCTION_WIDGETS - 1) / 6);
    const shown = shards.slice(0, Math.min(byMetrics, byWidgets));

    const widgets: Widget[] = [...functionRow(input, 0)];
    shown.forEach(([shardId, nodes], index) =>
        widgets.push(...shardRow(input, shardId, nodes, (index + 1) * ROW_HEIGHT)),
    );
    if (shown.length < shards.length) {
        const hidden = shards.slice(shown.length).map(([shardId]) => shardId);
        widgets.push(
            text(
                0,
                (shown.length + 1) * ROW_HEIGHT,
                24,
                2,
                `Shards ${hidden[0]}–${hidden[hidden.length - 1]} (${hidden.length}) are not drawn: a dashboard holds at most ` +
                    `${DASHBOARD_LIMITS.metrics} metrics. Their alarms exist; see their metrics in CloudWatch's metric explorer ` +
                    `(AWS/ElastiCache, CacheClusterId ${input.replicationGroupId}-<shard>-<node>).`,
            ),
        );
    }
    return { widgets };
}

function groupByShard(nodes: readonly CacheNode[]): [string, CacheNode[]][] {
    const shards = new Map<string, CacheNode[]>();
    for (const node of nodes) shards.set(node.shardId, [...(shards.get(node.shardId) ?? []), node]);
    return [...shards];
}

function shardRow(input: DashboardInput, shardId: string, nodes: readonly CacheNode[], y: number): Widget[] {
    const ids = nodes.map((node) => ({ node, id: cacheClusterId(input.replicationGroupId, node) }));
    const perNode = (metricName: string, stat: string): MetricRow[] =>
        ids.map(({ node, id }) => ["AWS/ElastiCache", metricName, "CacheClusterId", id, { stat, label: node.suffix }]);
    const t = input.thresholds;
    const lines = ids.map(({ node, id }) => `- \`${id}\`${node.nodeId === "001" ? " (primary at creation)" : ""}`);
    return [
        text(
            0,
            y,
            4,
            ROW_HEIGHT,
            [
                `### Shard ${shardId}`,
                ...lines,
                "",
                "Roles move on failover: a replica is the node with replication lag.",
            ].join("\n"),
        ),
        graph(input, 4, y, `Shard ${shardId}: engine CPU %`, perNode("EngineCPUUtilization", "Average"), {
            max: 100,
            threshold: t.engineCpuPercent,
        }),
        graph(
            input,
            8,
            y,
            `Shard ${shardId}: memory % of maxmemory`,
            perNode("DatabaseMemoryUsagePercentage", "Average"),
            { max: 100, threshold: t.memoryPercent },
        ),
        graph(
            input,
            12,
            y,
            `Shard ${shardId}: key commands/s`,
            ids.flatMap(({ node, id }, index) => [
                [
                    "AWS/ElastiCache",
                    "KeyBasedCmds",
                    "CacheClusterId",
                    id,
                    { stat: "Sum", id: `m${index}`, visible: false },
                ],
                [{ expression: `m${index} / PERIOD(m${index})`, label: node.suffix, id: `e${index}` }],
            ]),
            {},
        ),
        graph(
            input,
            16,
            y,
            `Shard ${shardId}: latency µs (GET / SET types)`,
            [...perNode("GetTypeCmdsLatency", "Average"), ...perNode("SetTypeCmdsLatency", "Average")].map(
                labelled(nodes.length),
            ),
            {},
        ),
        input.replicasPerNodeGroup > 0
            ? graph(input, 20, y, `Shard ${shardId}: replication lag s`, perNode("ReplicationLag", "Maximum"), {
                  threshold: t.replicationLagSeconds,
              })
            : text(
                  20,
                  y,
                  4,
                  ROW_HEIGHT,
                  "### Replication lag\nNo replicas (replicaCount 0): nothing replicates, and a failed primary loses its shard.",
              ),
    ];
}

/** Suffixes the latency lines with GET or SET: the first `count` rows are GET-type, the rest SET-type. */
function labelled(count: number): (row: MetricRow, index: number) => MetricRow {
    return (row, index) => {
        const options = row[4] as { label: string };
        return [...row.slice(0, 4), { ...options, label: `${options.label} ${index < count ? "GET" : "SET"}` }];
    };
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
