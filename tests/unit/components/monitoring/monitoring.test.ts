/**
 * The Monitoring component built alone under mocks, from plain inputs: the node alarms as Metrics Insights queries over
 * the group's tagged nodes, the selection's guard, the function's alarms, every one on the given topic, and the
 * dashboard.
 */
import { expect } from "chai";
import { Monitoring, MonitoringArgs } from "../../../../components/monitoring/monitoring";
import { DEFAULT_ALARM_THRESHOLDS } from "../../../../config/alarms";
import { evaluateResources } from "../../../../twin/program/evaluateProgram";

const TOPIC = "arn:aws:sns:eu-west-1:111122223333:alerts";
const ARGS: MonitoringArgs = {
    topicArn: TOPIC,
    replicationGroupId: "group",
    nodeTags: { stack: "s", project: "p" },
    mayHaveReplicas: true,
    functionName: "fn",
    functionTimeoutSeconds: 10,
    thresholds: { ...DEFAULT_ALARM_THRESHOLDS, engineCpuPercent: 75 },
};

describe("Monitoring (alone under mocks)", function () {
    this.timeout(60_000);

    it("5 node alarms, the selection's guard and the function's 3, all on the given topic, and a dashboard in the region", async () => {
        const { resources } = await evaluateResources(() => new Monitoring("m", ARGS), "eu-west-1");
        const alarms = resources.filter((resource) => resource.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
        expect(alarms).to.have.length(5 + 1 + 3);
        for (const alarm of alarms)
            expect([alarm.inputs.alarmActions, alarm.inputs.okActions]).to.deep.equal([[TOPIC], [TOPIC]]);
        const cpu = alarms.find((alarm) => alarm.name === "m-nodes-cpu")!;
        expect(cpu.inputs.threshold).to.equal(75);
        expect(cpu.inputs.metricQueries).to.deep.equal([
            {
                id: "q1",
                expression:
                    'SELECT AVG(EngineCPUUtilization) FROM SCHEMA("AWS/ElastiCache", CacheClusterId) ' +
                    "WHERE tag.project = 'p' AND tag.stack = 's' GROUP BY CacheClusterId ORDER BY AVG() DESC",
                period: 60,
                returnData: true,
            },
        ]);
        expect(cpu.inputs).to.not.have.any.keys("namespace", "metricName", "dimensions", "statistic");
        const dashboard = resources.find((resource) => resource.type === "aws:cloudwatch/dashboard:Dashboard")!;
        expect(dashboard.inputs.dashboardName).to.equal("group");
        expect(JSON.parse(dashboard.inputs.dashboardBody).widgets[0].properties.region).to.equal("eu-west-1");
        const children = resources.filter((resource) => resource.custom);
        expect(
            children.every((resource) => resource.parentUrn.includes("redis-cluster:monitoring:Monitoring")),
        ).to.equal(true);
    });

    it("refuses tags a query cannot match before registering any alarm", async () => {
        let error: Error | undefined;
        try {
            await evaluateResources(() => new Monitoring("m", { ...ARGS, nodeTags: { stack: "it's" } }), "eu-west-1");
        } catch (caught) {
            error = caught as Error;
        }
        expect(error?.message).to.match(/tag stack=it's: only letters, digits/);
    });
});
