import { expect } from "chai";
import {
    evaluationError,
    onlyResourceOfType,
    ProgramRun,
    RecordedResource,
    resourcesOfType,
} from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";

const T = {
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    dashboard: "aws:cloudwatch/dashboard:Dashboard",
    topic: "aws:sns/topic:Topic",
    topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    function: "aws:lambda/function:Function",
} as const;

const NODE_METRICS = [
    "EngineCPUUtilization",
    "DatabaseMemoryUsagePercentage",
    "Evictions",
    "ReplicationLag",
    "CurrConnections",
];

/** The CacheClusterIds ElastiCache gives a group's nodes: `<group id>-<shard 4 digits>-<node 3 digits>`. */
function expectedNodeIds(run: ProgramRun, shards: number, replicas: number): string[] {
    const groupId = onlyResourceOfType(run, T.replicationGroup).id;
    const ids: string[] = [];
    for (let shard = 1; shard <= shards; shard++) {
        for (let node = 1; node <= replicas + 1; node++)
            ids.push(`${groupId}-${String(shard).padStart(4, "0")}-${String(node).padStart(3, "0")}`);
    }
    return ids;
}

function alarmsOf(run: ProgramRun, metricName: string): RecordedResource[] {
    return resourcesOfType(run, T.alarm).filter((alarm) => alarm.inputs.metricName === metricName);
}

function watchedNodes(run: ProgramRun, metricName: string): string[] {
    return alarmsOf(run, metricName)
        .map((alarm) => alarm.inputs.dimensions.CacheClusterId as string)
        .sort();
}

/** One alarm of each node metric on every node, each watching exactly its node. */
function expectOneAlarmPerNodeAndMetric(
    run: ProgramRun,
    shards: number,
    replicas: number,
    metrics = NODE_METRICS,
): void {
    const nodes = expectedNodeIds(run, shards, replicas);
    for (const metric of metrics) {
        expect(watchedNodes(run, metric), metric).to.deep.equal(nodes);
        for (const alarm of alarmsOf(run, metric)) {
            expect(alarm.inputs).to.deep.include({
                namespace: "AWS/ElastiCache",
                comparisonOperator: "GreaterThanOrEqualToThreshold",
            });
            expect(Object.keys(alarm.inputs.dimensions)).to.deep.equal(["CacheClusterId"]);
        }
    }
}

describe("monitoring under mocks: alarms on every node and on the function, one topic, a dashboard", function () {
    this.timeout(120_000);

    describe("dev stack (1 shard × 1 replica = 2 nodes)", () => {
        let run: ProgramRun;
        before(async () => {
            run = await evaluateProgramOnce({ stack: "dev" });
        });

        it("has one alarm of each node metric per node: 5 metrics × 2 nodes, named by shard and node", () => {
            expectOneAlarmPerNodeAndMetric(run, 1, 1);
            const names = resourcesOfType(run, T.alarm).map((alarm) => alarm.name);
            expect(names).to.include.members([
                "redis-dev-0001-001-cpu",
                "redis-dev-0001-002-replication-lag",
                "redis-dev-0001-002-connections",
            ]);
        });

        it("uses the configured thresholds' defaults, held 5 minutes for gauges and summed over 5 minutes for counts", () => {
            const thresholdOf = (metric: string) => [
                ...new Set(alarmsOf(run, metric).map((alarm) => alarm.inputs.threshold)),
            ];
            expect(thresholdOf("EngineCPUUtilization")).to.deep.equal([90]);
            expect(thresholdOf("DatabaseMemoryUsagePercentage")).to.deep.equal([80]);
            expect(thresholdOf("Evictions")).to.deep.equal([1]);
            expect(thresholdOf("ReplicationLag")).to.deep.equal([10]);
            expect(thresholdOf("CurrConnections")).to.deep.equal([52000]);
            const cpu = alarmsOf(run, "EngineCPUUtilization")[0].inputs;
            expect(cpu).to.deep.include({
                period: 60,
                evaluationPeriods: 5,
                datapointsToAlarm: 5,
                statistic: "Average",
            });
            expect(alarmsOf(run, "Evictions")[0].inputs).to.deep.include({
                period: 300,
                evaluationPeriods: 1,
                statistic: "Sum",
            });
            // A primary publishes no ReplicationLag: its alarm must read OK, not INSUFFICIENT_DATA.
            expect(
                alarmsOf(run, "ReplicationLag").every((alarm) => alarm.inputs.treatMissingData === "notBreaching"),
            ).to.equal(true);
        });

        it("watches the function: errors, throttles and p99 duration at 80% of its timeout", () => {
            const fn = onlyResourceOfType(run, T.function);
            const functionAlarms = resourcesOfType(run, T.alarm).filter(
                (alarm) => alarm.inputs.namespace === "AWS/Lambda",
            );
            expect(functionAlarms.map((alarm) => alarm.inputs.metricName).sort()).to.deep.equal([
                "Duration",
                "Errors",
                "Throttles",
            ]);
            for (const alarm of functionAlarms)
                expect(alarm.inputs.dimensions).to.deep.equal({ FunctionName: fn.name });
            const duration = functionAlarms.find((alarm) => alarm.inputs.metricName === "Duration")!;
            expect(duration.inputs).to.deep.include({
                extendedStatistic: "p99",
                threshold: fn.inputs.timeout * 1000 * 0.8,
            });
            expect(duration.inputs).to.not.have.property("statistic");
        });

        it("wires every alarm to the one topic, on ALARM and on OK", () => {
            const alarms = resourcesOfType(run, T.alarm);
            expect(alarms).to.have.length(2 * 5 + 3);
            const topic = onlyResourceOfType(run, T.topic);
            const arn = `arn:aws:mock:us-east-1:123456789012:${topic.name}`;
            for (const alarm of alarms) {
                expect(alarm.inputs.alarmActions, alarm.name).to.deep.equal([arn]);
                expect(alarm.inputs.okActions, alarm.name).to.deep.equal([arn]);
            }
        });

        it("sends the replication group's own events to the topic", () => {
            const topic = onlyResourceOfType(run, T.topic);
            expect(onlyResourceOfType(run, T.replicationGroup).inputs.notificationTopicArn).to.equal(
                `arn:aws:mock:us-east-1:123456789012:${topic.name}`,
            );
        });

        it("lets ElastiCache (AWS:SourceOwner) and this account's CloudWatch alarms publish; no encryption ElastiCache cannot use", () => {
            const topic = onlyResourceOfType(run, T.topic);
            expect(topic.inputs).to.not.have.property("kmsMasterKeyId");
            const policy = JSON.parse(onlyResourceOfType(run, T.topicPolicy).inputs.policy);
            const [elastiCache, cloudWatch] = policy.Statement;
            expect(elastiCache).to.deep.include({
                Principal: { AWS: "*" },
                Action: "SNS:Publish",
                Condition: { StringEquals: { "AWS:SourceOwner": "123456789012" } },
            });
            expect(cloudWatch.Principal).to.deep.equal({ Service: "cloudwatch.amazonaws.com" });
            expect(cloudWatch.Condition.ArnLike["aws:SourceArn"]).to.equal(
                "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*",
            );
            expect(
                resourcesOfType(run, T.subscription),
                "no e-mail subscription unless alarmEmail is set",
            ).to.deep.equal([]);
        });

        it("builds a dashboard with a row per shard and the function's invocations, errors and duration", () => {
            const dashboard = onlyResourceOfType(run, T.dashboard);
            const groupId = onlyResourceOfType(run, T.replicationGroup).id;
            expect(dashboard.inputs.dashboardName).to.equal(groupId);
            const titles = JSON.parse(dashboard.inputs.dashboardBody)
                .widgets.map((widget: { properties: { title?: string } }) => widget.properties.title)
                .filter(Boolean);
            expect(titles).to.include.members([
                "Function: invocations",
                "Function: errors and throttles",
                "Function: duration ms",
                "Shard 0001: engine CPU %",
                "Shard 0001: memory % of maxmemory",
                "Shard 0001: key commands/s",
                "Shard 0001: latency µs (GET / SET types)",
                "Shard 0001: replication lag s",
            ]);
        });

        it("exports the topic, the dashboard and the node ids watched", () => {
            const groupId = onlyResourceOfType(run, T.replicationGroup).id;
            expect(run.outputs.monitoredCacheClusterIds).to.deep.equal([`${groupId}-0001-001`, `${groupId}-0001-002`]);
            expect(run.outputs.dashboardName).to.equal(groupId);
            expect(run.outputs.alarmTopicArn).to.match(/^arn:aws:mock:us-east-1:123456789012:redis-dev-alerts$/);
        });
    });

    describe("prod stack (3 shards × 2 replicas = 9 nodes) and resharding it", () => {
        let prod: ProgramRun;
        let resharded: ProgramRun;
        before(async () => {
            prod = await evaluateProgramOnce({ stack: "prod" });
            resharded = await evaluateProgramOnce({ stack: "prod", config: { numNodeGroups: "4" } });
        });

        it("has one alarm of each node metric on each of the 9 nodes, and the function's 3", () => {
            expectOneAlarmPerNodeAndMetric(prod, 3, 2);
            expect(resourcesOfType(prod, T.alarm)).to.have.length(9 * 5 + 3);
        });

        it("adds a fourth shard's 3 nodes × 5 alarms and a dashboard row, renaming none of the others", () => {
            expectOneAlarmPerNodeAndMetric(resharded, 4, 2);
            expect(resourcesOfType(resharded, T.alarm)).to.have.length(12 * 5 + 3);
            const before = new Map(resourcesOfType(prod, T.alarm).map((alarm) => [alarm.name, alarm.inputs]));
            const after = new Map(resourcesOfType(resharded, T.alarm).map((alarm) => [alarm.name, alarm.inputs]));
            for (const [name, inputs] of before) {
                expect(after.get(name), `${name} must keep its name and inputs`).to.deep.equal(inputs);
            }
            const added = [...after.keys()].filter((name) => !before.has(name));
            expect(added).to.have.length(15);
            expect(
                added.every((name) => /^redis-prod-0004-00[123]-/.test(name)),
                added.join(", "),
            ).to.equal(true);
            const body = JSON.parse(onlyResourceOfType(resharded, T.dashboard).inputs.dashboardBody);
            expect(
                body.widgets.some(
                    (widget: { properties: { title?: string } }) =>
                        widget.properties.title === "Shard 0004: engine CPU %",
                ),
            ).to.equal(true);
        });

        it("removes a shard's alarms with the shard, and the replicas' with the replicas", async () => {
            const fewer = await evaluateProgramOnce({
                stack: "prod",
                config: { numNodeGroups: "2", replicaCount: "1" },
            });
            expectOneAlarmPerNodeAndMetric(fewer, 2, 1);
            expect(resourcesOfType(fewer, T.alarm)).to.have.length(4 * 5 + 3);
        });
    });

    it("gives nodes without replicas no replication-lag alarm (nothing replicates)", async () => {
        const run = await evaluateProgramOnce({ config: { numNodeGroups: "2", replicaCount: "0" } });
        expectOneAlarmPerNodeAndMetric(
            run,
            2,
            0,
            NODE_METRICS.filter((metric) => metric !== "ReplicationLag"),
        );
        expect(alarmsOf(run, "ReplicationLag")).to.deep.equal([]);
        const body = JSON.parse(onlyResourceOfType(run, T.dashboard).inputs.dashboardBody);
        expect(
            body.widgets.filter((widget: { properties: { title?: string } }) =>
                /replication lag/.test(widget.properties.title ?? ""),
            ),
        ).to.deep.equal([]);
    });

    it("takes thresholds and the e-mail subscription from configuration", async () => {
        const run = await evaluateProgramOnce({
            config: {
                alarmMemoryPercent: "65",
                alarmConnections: "40000",
                alarmFunctionDurationPercent: "50",
                alarmEmail: "oncall@example.com",
            },
        });
        expect(
            new Set(alarmsOf(run, "DatabaseMemoryUsagePercentage").map((alarm) => alarm.inputs.threshold)),
        ).to.deep.equal(new Set([65]));
        expect(new Set(alarmsOf(run, "CurrConnections").map((alarm) => alarm.inputs.threshold))).to.deep.equal(
            new Set([40000]),
        );
        expect(alarmsOf(run, "Duration")[0].inputs.threshold).to.equal(5000);
        const subscription = onlyResourceOfType(run, T.subscription);
        expect(subscription.inputs).to.deep.include({ protocol: "email", endpoint: "oncall@example.com" });
        expect(subscription.inputs.topic).to.match(/alerts$/);
    });

    it("with monitoring: false creates no topic, subscription, alarm or dashboard, and no event topic on the group", async () => {
        const run = await evaluateProgramOnce({
            stack: "prod",
            config: { monitoring: "false", alarmEmail: "oncall@example.com" },
        });
        for (const type of [T.alarm, T.dashboard, T.topic, T.topicPolicy, T.subscription]) {
            expect(resourcesOfType(run, type), type).to.deep.equal([]);
        }
        expect(run.resources.filter((resource) => resource.type.startsWith("redis-cluster:monitoring:"))).to.deep.equal(
            [],
        );
        expect(onlyResourceOfType(run, T.replicationGroup).inputs).to.not.have.property("notificationTopicArn");
        expect(run.outputs).to.not.have.property("alarmTopicArn");
    });

    it("refuses bad thresholds before registering anything, naming each key, value and what is allowed", async () => {
        const { error, resources } = await evaluationError({
            config: {
                alarmMemoryPercent: "120",
                alarmConnections: "70000",
                alarmReplicationLagSeconds: "soon",
                alarmEmail: "oncall at example.com",
            },
        });
        expect(resources).to.deep.equal([]);
        expect(error.message).to.match(/4 problems/);
        expect(error.message).to.match(/alarmMemoryPercent: 120 is out of range; allowed 1–100 percent/);
        expect(error.message).to.match(
            /alarmConnections: 70000 is out of range; allowed 1–65000 connections \(ElastiCache's fixed maxclients is 65000\)/,
        );
        expect(error.message).to.match(
            /alarmReplicationLagSeconds: "soon" is not a whole number; allowed 1–3600 seconds/,
        );
        expect(error.message).to.match(/alarmEmail: "oncall at example.com" is not valid; allowed one e-mail address/);
    });
});
