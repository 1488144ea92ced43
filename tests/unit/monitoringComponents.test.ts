import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { DEFAULT_ALARM_THRESHOLDS } from "../../config/alarms";
import { PROJECT_NAME } from "../../config/project";
import { ProgramMocks, RecordedResource } from "../mocks";
import { promiseOf } from "../support/program";

/** Builds components alone under the shared mocks (no index.ts, no other component) and returns what they registered. */
async function underMocks(build: () => pulumi.Output<unknown>[]): Promise<RecordedResource[]> {
    const mocks = new ProgramMocks("eu-west-1");
    await pulumi.runtime.setMocks(mocks, PROJECT_NAME, "component", false);
    mocks.observe(pulumi.runtime.getMonitor() as never);
    await Promise.all(build().map(promiseOf));
    await pulumi.runtime.disconnect();
    return mocks.resources;
}

describe("the monitoring components alone, under mocks", function () {
    this.timeout(60_000);

    it("Monitoring: from plain inputs, 5 alarms per node of 2 × 2 nodes, the function's 3, all on the given topic, and a dashboard", async () => {
        const topicArn = "arn:aws:sns:eu-west-1:111122223333:alerts";
        const { Monitoring } = await import("../../components/monitoring");
        let watched: string[] = [];
        const resources = await underMocks(() => {
            const monitoring = new Monitoring("m", {
                topicArn,
                replicationGroupId: "group",
                numNodeGroups: 2,
                replicasPerNodeGroup: 1,
                functionName: "fn",
                functionTimeoutSeconds: 10,
                thresholds: { ...DEFAULT_ALARM_THRESHOLDS, engineCpuPercent: 75 },
            });
            return [monitoring.watchedCacheClusterIds.apply((ids) => (watched = ids)), monitoring.dashboardName];
        });
        expect(watched).to.deep.equal(["group-0001-001", "group-0001-002", "group-0002-001", "group-0002-002"]);
        const alarms = resources.filter((resource) => resource.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(alarms).to.have.length(4 * 5 + 3);
        for (const alarm of alarms) expect([alarm.inputs.alarmActions, alarm.inputs.okActions]).to.deep.equal([[topicArn], [topicArn]]);
        const cpu = alarms.filter((alarm) => alarm.inputs.metricName === "EngineCPUUtilization");
        expect(cpu.map((alarm) => [alarm.name, alarm.inputs.dimensions.CacheClusterId, alarm.inputs.threshold])).to.deep.equal(
            watched.map((id) => [`m-${id.slice("group-".length)}-cpu`, id, 75]),
        );
        const dashboard = resources.find((resource) => resource.type === "aws:cloudwatch/dashboard:Dashboard")!;
        expect(JSON.parse(dashboard.inputs.dashboardBody).widgets[1].properties.region).to.equal("eu-west-1");
        expect(resources.filter((resource) => resource.custom).every((resource) => resource.parentUrn.includes("redis-cluster:monitoring:Monitoring"))).to.equal(true);
    });

    it("AlertTopic: a topic, its publish policy and, when given, one e-mail subscription", async () => {
        const { AlertTopic } = await import("../../components/alertTopic");
        const resources = await underMocks(() => [new AlertTopic("a", { email: "oncall@example.com" }).topicArn]);
        expect(resources.map((resource) => resource.type).sort()).to.deep.equal([
            "aws:sns/topic:Topic",
            "aws:sns/topicPolicy:TopicPolicy",
            "aws:sns/topicSubscription:TopicSubscription",
            "redis-cluster:monitoring:AlertTopic",
        ]);
        const policy = JSON.parse(resources.find((resource) => resource.type === "aws:sns/topicPolicy:TopicPolicy")!.inputs.policy);
        expect(policy.Statement.map((statement: { Sid: string }) => statement.Sid)).to.deep.equal(["ElastiCacheEvents", "CloudWatchAlarmsOfThisAccount"]);
        expect(policy.Statement[1].Condition.ArnLike["aws:SourceArn"]).to.equal("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*");
    });
});
