import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import {
    FUNCTION_ALARMS,
    NODE_ALARMS,
    nodeAlarmsFor,
    SELECTION_ALARM,
} from "../../components/monitoring/alarmDefinitions";
import { DASHBOARD_LIMITS, dashboardBody, metricCount } from "../../components/monitoring/dashboardBody";
import { alarmQuery, perNodeQuery, tagFilter } from "../../components/monitoring/nodeQuery";
import { DEFAULT_ALARM_THRESHOLDS } from "../../config/alarms";

const ROOT = path.resolve(__dirname, "..", "..");
const TAGS = { project: "redis-cluster", stack: "prod" };

function body(mayHaveReplicas: boolean) {
    return dashboardBody({
        region: "us-east-1",
        replicationGroupId: "rg",
        nodeTags: TAGS,
        mayHaveReplicas,
        functionName: "fn",
        functionTimeoutMs: 10_000,
        thresholds: DEFAULT_ALARM_THRESHOLDS,
        functionDurationThresholdMs: 8000,
    });
}

/** Every Metrics Insights expression a dashboard body holds. */
function expressions(widgets: ReturnType<typeof body>["widgets"]): string[] {
    return widgets.flatMap((widget) =>
        ((widget.properties.metrics as { expression?: string }[][] | undefined) ?? []).flatMap((row) =>
            row.map((cell) => cell.expression).filter((expression): expression is string => expression !== undefined),
        ),
    );
}

describe("monitoring's shape (pure, no mocks)", () => {
    it("selects the group's nodes with = and AND only, by the tags ElastiCache copies to every node", () => {
        expect(tagFilter({ stack: "prod", project: "redis-cluster" })).to.equal(
            "tag.project = 'redis-cluster' AND tag.stack = 'prod'",
        );
        const query = perNodeQuery("EngineCPUUtilization", "Maximum", TAGS);
        expect(query).to.equal(
            'SELECT MAX(EngineCPUUtilization) FROM SCHEMA("AWS/ElastiCache", CacheClusterId) ' +
                "WHERE tag.project = 'redis-cluster' AND tag.stack = 'prod' GROUP BY CacheClusterId ORDER BY MAX() DESC",
        );
        // The query language has no LIKE or OR: a WHERE of anything else would be refused by CloudWatch.
        const where = query.slice(query.indexOf("WHERE") + 5, query.indexOf("GROUP BY"));
        expect(
            where
                .replace(/tag\.\w+ = '[^']*'/g, "")
                .replace(/AND/g, "")
                .trim(),
        ).to.equal("");
        expect(query.length, "metric_query expression limit").to.be.at.most(1024);
    });

    it("refuses tags the query cannot quote, and a group without tags", () => {
        expect(() => tagFilter({ stack: "a'b" })).to.throw(/tag stack=a'b/);
        expect(() => tagFilter({})).to.throw(/give the replication group a tag/);
        expect(() => perNodeQuery("Evictions", "p99", TAGS)).to.throw(/p99: Metrics Insights has no such function/);
    });

    it("guards the selection with one series counting what it selects, and every node alarm with a series per node", () => {
        expect(alarmQuery(SELECTION_ALARM, TAGS)).to.equal(
            'SELECT COUNT(EngineCPUUtilization) FROM SCHEMA("AWS/ElastiCache", CacheClusterId) ' +
                "WHERE tag.project = 'redis-cluster' AND tag.stack = 'prod'",
        );
        expect(SELECTION_ALARM.missingData, "no data at all means nothing is watched").to.equal("breaching");
        for (const alarm of NODE_ALARMS)
            expect(alarmQuery(alarm, TAGS), alarm.role).to.match(/GROUP BY CacheClusterId ORDER BY \w+\(\) DESC$/);
    });

    it("watches replication lag only when there are, or may be, replicas", () => {
        expect(nodeAlarmsFor(false).map((alarm) => alarm.metricName)).to.not.include("ReplicationLag");
        expect(nodeAlarmsFor(true).map((alarm) => alarm.metricName)).to.include("ReplicationLag");
    });

    it("lays out one node row within the dashboard's width, every graph a query over the group's nodes", () => {
        const { widgets } = body(true);
        for (const widget of widgets)
            expect(widget.x + widget.width, JSON.stringify(widget.properties.title)).to.be.at.most(24);
        const nodeQueries = expressions(widgets);
        expect(nodeQueries).to.have.length(7);
        for (const expression of nodeQueries)
            expect(expression).to.include("WHERE tag.project = 'redis-cluster' AND tag.stack = 'prod'");
        expect(metricCount({ widgets })).to.be.at.most(DASHBOARD_LIMITS.metrics);
        expect(widgets.length).to.be.at.most(DASHBOARD_LIMITS.widgets);
        expect(expressions(body(false).widgets).some((expression) => expression.includes("ReplicationLag"))).to.equal(
            false,
        );
    });

    it("has a runbook section in docs/runbook.md for every alarm, reached from docs/operations.md §13", () => {
        const runbook = fs.readFileSync(path.join(ROOT, "docs", "runbook.md"), "utf8");
        // Deployed alarms' descriptions name docs/operations.md §13 (see monitoring.ts): it must still lead here.
        const operations = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
        expect(operations).to.match(/^## 13\. Monitoring and runbook$/m);
        for (const alarm of [...NODE_ALARMS, SELECTION_ALARM, ...FUNCTION_ALARMS]) {
            expect(runbook, `a "### ${alarm.role}" section`).to.match(
                new RegExp(`^### \`${alarm.role}\` — ${alarm.metricName}`, "m"),
            );
            expect(operations, `operations.md §13 links to ${alarm.role}`).to.include(
                `[\`${alarm.role}\`](runbook.md#`,
            );
        }
    });
});
