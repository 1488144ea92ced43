/**
 * The CloudWatch Metrics Insights queries that select every node of one replication group, whatever its shape. Pure.
 *
 * CloudWatch alarms on a Metrics Insights query, including one returning many time series: with GROUP BY and ORDER BY
 * each series (here: each node's `CacheClusterId`) is a contributor with its own state, and the alarm fires when any
 * contributor breaches ("Create an alarm on a Metrics Insights query",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create_Metrics_Insights_Alarm.html). Nodes the scaler
 * adds become contributors on their first data point; nodes it removes stop contributing.
 *
 * Selecting exactly this group's nodes: WHERE takes only `=`, `!=` and AND ("Query components and syntax",
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-querylanguage.html), so no
 * prefix match on `<group id>-…`; and per-node metrics carry `CacheClusterId` (and `CacheNodeId`) only, the
 * `ReplicationGroupId` dimension being on the aggregated `Role` metrics. What every node does carry is the group's
 * tags: "When you add or remove tags on replication groups, those actions will be replicated to all nodes in the
 * replication group" (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_Tag.html). So the query
 * selects by tag (`WHERE tag.<key> = '<value>'`), which CloudWatch answers once the account has "resource tags on
 * telemetry" enabled (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/EnableResourceTagsOnTelemetry.html),
 * an account-wide setting this program does not change. Without it the selection is empty, which the `nodes-watched`
 * alarm reports. Checked on paper only: no query here ran against an account.
 */
import type { AlarmDefinition } from "./alarmDefinitions";

/** CloudWatch's per-node view of ElastiCache: metrics with exactly the `CacheClusterId` dimension. */
export const NODE_SCHEMA = 'SCHEMA("AWS/ElastiCache", CacheClusterId)';

/** Metrics Insights' function for an alarm statistic. */
const FUNCTIONS: Readonly<Record<string, string>> = {
    Average: "AVG",
    Maximum: "MAX",
    Sum: "SUM",
    SampleCount: "COUNT",
};

/** Tags' keys and values as the query compares them: letters, digits and `._-:/` only, so nothing needs quoting. */
const PLAIN = /^[A-Za-z0-9._:/-]+$/;

/** `tag.k = 'v' AND …` for each of the group's tags, sorted by key so the query text is stable. */
export function tagFilter(tags: Readonly<Record<string, string>>): string {
    const entries = Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1));
    if (entries.length === 0) throw new Error("the node alarms select nodes by tag: give the replication group a tag");
    for (const [key, value] of entries) {
        if (!PLAIN.test(key) || !PLAIN.test(value))
            throw new Error(`tag ${key}=${value}: only letters, digits and ._-:/ can be matched in a query`);
    }
    return entries.map(([key, value]) => `tag.${key} = '${value}'`).join(" AND ");
}

/** One series per node: `SELECT f(metric) … WHERE <tags> GROUP BY CacheClusterId ORDER BY f() DESC`. */
export function perNodeQuery(metricName: string, statistic: string, tags: Readonly<Record<string, string>>): string {
    const fn = functionOf(statistic);
    return `SELECT ${fn}(${metricName}) FROM ${NODE_SCHEMA} WHERE ${tagFilter(tags)} GROUP BY CacheClusterId ORDER BY ${fn}() DESC`;
}

/** The alarm's query: per node for the node alarms; one series, the selection's size, for `nodes-watched`. */
export function alarmQuery(definition: AlarmDefinition, tags: Readonly<Record<string, string>>): string {
    if (definition.selection)
        return `SELECT COUNT(${definition.metricName}) FROM ${NODE_SCHEMA} WHERE ${tagFilter(tags)}`;
    return perNodeQuery(definition.metricName, definition.statistic, tags);
}

function functionOf(statistic: string): string {
    const fn = FUNCTIONS[statistic];
    if (!fn) throw new Error(`${statistic}: Metrics Insights has no such function (allowed AVG, MAX, SUM, COUNT)`);
    return fn;
}
