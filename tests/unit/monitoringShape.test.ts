import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { FUNCTION_ALARMS, NODE_ALARMS, nodeAlarmsFor } from "../../components/monitoring/alarmDefinitions";
import { cacheClusterId, cacheNodes } from "../../components/monitoring/cacheNodeIds";
import { DASHBOARD_LIMITS, dashboardBody, metricCount } from "../../components/monitoring/dashboardBody";
import { DEFAULT_ALARM_THRESHOLDS } from "../../config/alarms";

const ROOT = path.resolve(__dirname, "..", "..");

function body(shards: number, replicas: number) {
    return dashboardBody({
        region: "us-east-1",
        replicationGroupId: "rg",
        nodes: cacheNodes(shards, replicas),
        replicasPerNodeGroup: replicas,
        functionName: "fn",
        functionTimeoutMs: 10_000,
        thresholds: DEFAULT_ALARM_THRESHOLDS,
        functionDurationThresholdMs: 8000,
    });
}

describe("monitoring's shape (pure, no mocks)", () => {
    it("names nodes as ElastiCache does: <group>-<shard, 4 digits>-<node, 3 digits>, shard by shard", () => {
        const nodes = cacheNodes(2, 2);
        expect(nodes.map((node) => cacheClusterId("my-group", node))).to.deep.equal([
            "my-group-0001-001",
            "my-group-0001-002",
            "my-group-0001-003",
            "my-group-0002-001",
            "my-group-0002-002",
            "my-group-0002-003",
        ]);
        expect(
            cacheNodes(12, 0)
                .map((node) => node.suffix)
                .slice(-1),
        ).to.deep.equal(["0012-001"]);
    });

    it("keeps the first shards' node ids when shards are added (names are by shard, not by position)", () => {
        const before = cacheNodes(3, 1).map((node) => node.suffix);
        const after = cacheNodes(4, 1).map((node) => node.suffix);
        expect(after.slice(0, before.length)).to.deep.equal(before);
    });

    it("watches replication lag only when there are replicas", () => {
        expect(nodeAlarmsFor(0).map((alarm) => alarm.metricName)).to.not.include("ReplicationLag");
        expect(nodeAlarmsFor(1).map((alarm) => alarm.metricName)).to.include("ReplicationLag");
    });

    it("lays out a row per shard within the dashboard's width", () => {
        const { widgets } = body(3, 2);
        expect(
            widgets.filter((widget) => /^Shard \d{4}: engine CPU %$/.test(String(widget.properties.title ?? ""))),
        ).to.have.length(3);
        for (const widget of widgets)
            expect(widget.x + widget.width, JSON.stringify(widget.properties.title)).to.be.at.most(24);
        const cpu = widgets.find((widget) => widget.properties.title === "Shard 0002: engine CPU %")!;
        expect((cpu.properties.metrics as unknown[][]).map((row) => row[3])).to.deep.equal([
            "rg-0002-001",
            "rg-0002-002",
            "rg-0002-003",
        ]);
    });

    it("stays within CloudWatch's dashboard quotas for the largest cluster, naming the shards it cannot draw", () => {
        const largest = body(80, 5); // 480 nodes, the most a 500-node cluster with 5 replicas can have
        expect(metricCount(largest)).to.be.at.most(DASHBOARD_LIMITS.metrics);
        expect(largest.widgets.length).to.be.at.most(DASHBOARD_LIMITS.widgets);
        const note = largest.widgets.find(
            (widget) => widget.type === "text" && /are not drawn/.test(String(widget.properties.markdown)),
        );
        expect(note, "a note naming the shards not drawn").to.not.equal(undefined);
        expect(String(note!.properties.markdown)).to.match(/^Shards 0060–0080 \(21\) are not drawn/);
        const small = body(3, 2);
        expect(small.widgets.some((widget) => /are not drawn/.test(String(widget.properties.markdown ?? "")))).to.equal(
            false,
        );
    });

    it("has a runbook section in docs/runbook.md for every alarm, reached from docs/operations.md §13", () => {
        const runbook = fs.readFileSync(path.join(ROOT, "docs", "runbook.md"), "utf8");
        // Deployed alarms' descriptions name docs/operations.md §13 (see monitoring.ts): it must still lead here.
        const operations = fs.readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");
        expect(operations).to.match(/^## 13\. Monitoring and runbook$/m);
        for (const alarm of [...NODE_ALARMS, ...FUNCTION_ALARMS]) {
            expect(runbook, `a "### ${alarm.role}" section`).to.match(
                new RegExp(`^### \`${alarm.role}\` — ${alarm.metricName}`, "m"),
            );
            expect(operations, `operations.md §13 links to ${alarm.role}`).to.include(
                `[\`${alarm.role}\`](runbook.md#`,
            );
        }
    });
});
