/**
 * The Monitoring component built alone under mocks, from plain inputs: alarms per node named by shard and node, the
 * function's alarms, every one on the given topic, and the dashboard.
 */
import { expect } from "chai";
import { Monitoring, MonitoringArgs } from "../../../../components/monitoring/monitoring";
import { DEFAULT_ALARM_THRESHOLDS } from "../../../../config/alarms";
import { evaluateResources, promiseOf } from "../../../../twin/program/evaluateProgram";

const TOPIC = "arn:aws:sns:eu-west-1:111122223333:alerts";
const ARGS: MonitoringArgs = {
    topicArn: TOPIC,
    replicationGroupId: "group",
    numNodeGroups: 2,
    replicasPerNodeGroup: 1,
    functionName: "fn",
    functionTimeoutSeconds: 10,
    thresholds: { ...DEFAULT_ALARM_THRESHOLDS, engineCpuPercent: 75 },
};

describe("Monitoring (alone under mocks)", function () {
    this.timeout(60_000);

    it("5 alarms per node of 2 × 2 nodes and the function's 3, all on the given topic, and a dashboard in the region", async () => {
        const { value, resources } = await evaluateResources(() => new Monitoring("m", ARGS), "eu-west-1");
        const watched = await promiseOf(value.watchedCacheClusterIds);
        expect(watched).to.deep.equal(["group-0001-001", "group-0001-002", "group-0002-001", "group-0002-002"]);
        const alarms = resources.filter((resource) => resource.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(alarms).to.have.length(4 * 5 + 3);
        for (const alarm of alarms)
            expect([alarm.inputs.alarmActions, alarm.inputs.okActions]).to.deep.equal([[TOPIC], [TOPIC]]);
        const cpu = alarms.filter((alarm) => alarm.inputs.metricName === "EngineCPUUtilization");
        expect(
            cpu.map((alarm) => [alarm.name, alarm.inputs.dimensions.CacheClusterId, alarm.inputs.threshold]),
        ).to.deep.equal(watched.map((id) => [`m-${id.slice("group-".length)}-cpu`, id, 75]));
        const dashboard = resources.find((resource) => resource.type === "aws:cloudwatch/dashboard:Dashboard")!;
        expect(dashboard.inputs.dashboardName).to.equal("group");
        expect(JSON.parse(dashboard.inputs.dashboardBody).widgets[0].properties.region).to.equal("eu-west-1");
        const children = resources.filter((resource) => resource.custom);
        expect(
            children.every((resource) => resource.parentUrn.includes("redis-cluster:monitoring:Monitoring")),
        ).to.equal(true);
    });
});
