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

/** The node alarms: each a Metrics Insights query, found by the metric it selects. */
function alarmsOf(run: ProgramRun, metricName: string): RecordedResource[] {
    return resourcesOfType(run, T.alarm).filter(
        (alarm) =>
            alarm.inputs.metricName === metricName ||
            ((alarm.inputs.metricQueries?.[0]?.expression as string | undefined)?.startsWith(`SELECT `) === true &&
                new RegExp(`^SELECT (AVG|MAX|SUM)\\(${metricName}\\)`).test(alarm.inputs.metricQueries[0].expression)),
    );
}

/** What each node alarm's query selects, after the SELECT: the same for every alarm, whatever the shape. */
function selections(run: ProgramRun): string[] {
    return resourcesOfType(run, T.alarm)
        .filter((alarm) => alarm.inputs.metricQueries !== undefined)
        .map(
            (alarm) => /FROM .* WHERE .*?(?= GROUP BY|$)/.exec(alarm.inputs.metricQueries[0].expression as string)![0],
        );
}

/** One alarm per node metric, each a query over every node of the stack's group (its tags), a series per node. */
function expectOneAlarmPerMetricOverEveryNode(run: ProgramRun, stack: string, metrics = NODE_METRICS): void {
    for (const metric of metrics) {
        const alarms = alarmsOf(run, metric);
        expect(alarms, metric).to.have.length(1);
        const [query] = alarms[0].inputs.metricQueries;
        expect(query.expression, metric).to.match(
            new RegExp(
                `FROM SCHEMA\\("AWS/ElastiCache", CacheClusterId\\) WHERE tag\\.project = 'redis-cluster' AND tag\\.stack = '${stack}' GROUP BY CacheClusterId ORDER BY (AVG|MAX|SUM)\\(\\) DESC$`,
            ),
        );
        expect(alarms[0].inputs).to.deep.include({ comparisonOperator: "GreaterThanOrEqualToThreshold" });
        expect(alarms[0].inputs).to.not.have.any.keys("dimensions", "namespace", "metricName");
    }
    // The tags the queries select by are the replication group's, which ElastiCache copies to its nodes.
    const group = onlyResourceOfType(run, T.replicationGroup);
    expect(group.inputs.tags).to.deep.include({ project: "redis-cluster", stack });
}

describe("monitoring under mocks: alarms on every node and on the function, one topic, a dashboard", function () {
    this.timeout(120_000);

    describe("dev stack (1 shard × 1 replica = 2 nodes)", () => {
        let run: ProgramRun;
        before(async () => {
            run = await evaluateProgramOnce({ stack: "dev" });
        });

        it("has one alarm of each node metric over every node of the group, named by role, and the selection's guard", () => {
            expectOneAlarmPerMetricOverEveryNode(run, "dev");
            const names = resourcesOfType(run, T.alarm).map((alarm) => alarm.name);
            expect(names).to.include.members([
                "redis-dev-nodes-cpu",
                "redis-dev-nodes-replication-lag",
                "redis-dev-nodes-connections",
                "redis-dev-nodes-nodes-watched",
            ]);
            const guard = resourcesOfType(run, T.alarm).find(
                (alarm) => alarm.name === "redis-dev-nodes-nodes-watched",
            )!;
            expect(guard.inputs).to.deep.include({
                comparisonOperator: "LessThanThreshold",
                threshold: 1,
                treatMissingData: "breaching",
            });
            expect(guard.inputs.metricQueries[0].expression).to.match(
                /^SELECT COUNT\(EngineCPUUtilization\) .* WHERE tag\.project = 'redis-cluster' AND tag\.stack = 'dev'$/,
            );
        });

        it("uses the configured thresholds' defaults, held 5 minutes for gauges and summed over 5 minutes for counts", () => {
            const thresholdOf = (metric: string) => alarmsOf(run, metric).map((alarm) => alarm.inputs.threshold);
            expect(thresholdOf("EngineCPUUtilization")).to.deep.equal([90]);
            expect(thresholdOf("DatabaseMemoryUsagePercentage")).to.deep.equal([80]);
            expect(thresholdOf("Evictions")).to.deep.equal([1]);
            expect(thresholdOf("ReplicationLag")).to.deep.equal([10]);
            expect(thresholdOf("CurrConnections")).to.deep.equal([52000]);
            const cpu = alarmsOf(run, "EngineCPUUtilization")[0].inputs;
            expect(cpu).to.deep.include({ evaluationPeriods: 5, datapointsToAlarm: 5 });
            expect(cpu.metricQueries[0]).to.deep.include({ period: 60, returnData: true });
            expect(cpu.metricQueries[0].expression).to.match(/^SELECT AVG\(EngineCPUUtilization\)/);
            const evictions = alarmsOf(run, "Evictions")[0].inputs;
            expect(evictions).to.deep.include({ evaluationPeriods: 1 });
            expect(evictions.metricQueries[0]).to.deep.include({ period: 300 });
            expect(evictions.metricQueries[0].expression).to.match(/^SELECT SUM\(Evictions\)/);
            // A primary publishes no ReplicationLag: it contributes nothing, and a group with no lag reads OK.
            expect(alarmsOf(run, "ReplicationLag")[0].inputs.treatMissingData).to.equal("notBreaching");
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
            expect(alarms).to.have.length(5 + 1 + 3);
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

        it("gives the replication group the topic only once the topic's policy lets ElastiCache publish", () => {
            const policy = onlyResourceOfType(run, T.topicPolicy);
            expect(onlyResourceOfType(run, T.replicationGroup).dependencies).to.include(policy.urn);
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

        it("builds a dashboard with a row over every node and the function's invocations, errors and duration", () => {
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
                "Nodes: engine CPU %",
                "Nodes: memory % of maxmemory",
                "Nodes: key commands per minute",
                "Nodes: GET-type latency µs",
                "Nodes: replication lag s",
            ]);
        });

        it("exports the topic and the dashboard, and no list of node ids (nothing compares it with MemberClusters any more)", () => {
            const groupId = onlyResourceOfType(run, T.replicationGroup).id;
            expect(run.outputs).to.not.have.property("monitoredCacheClusterIds");
            expect(run.outputs.dashboardName).to.equal(groupId);
            expect(run.outputs.alarmTopicArn).to.match(/^arn:aws:mock:us-east-1:123456789012:redis-dev-alerts$/);
        });
    });

    describe("prod stack (3 shards × 2 replicas = 9 nodes) and resharding it", () => {
        let prod: ProgramRun;
        let resharded: ProgramRun;
        before(async () => {
            prod = await evaluateProgramOnce({ stack: "prod" });
            resharded = await evaluateProgramOnce({ stack: "prod", config: { numNodeGroups: "15" } });
        });

        /** Alarms and dashboard as registered: what a later `up` compares. */
        const watching = (run: ProgramRun) => ({
            alarms: resourcesOfType(run, T.alarm).map((alarm) => [alarm.name, alarm.inputs]),
            dashboard: onlyResourceOfType(run, T.dashboard).inputs,
        });

        it("has one alarm of each node metric over all 9 nodes, the selection's guard and the function's 3", () => {
            expectOneAlarmPerMetricOverEveryNode(prod, "prod");
            expect(resourcesOfType(prod, T.alarm)).to.have.length(5 + 1 + 3);
            expect(new Set(selections(prod)).size, "every node alarm selects the same nodes").to.equal(1);
        });

        it("has the same alarms and dashboard at 15 × 2 (45 nodes) as at 3 × 2: resharding changes no alarm", () => {
            expectOneAlarmPerMetricOverEveryNode(resharded, "prod");
            expect(resourcesOfType(resharded, T.alarm)).to.have.length(resourcesOfType(prod, T.alarm).length);
            expect(watching(resharded)).to.deep.equal(watching(prod));
        });

        it("keeps them too with fewer shards and replicas (2 × 1)", async () => {
            const fewer = await evaluateProgramOnce({
                stack: "prod",
                config: { numNodeGroups: "2", replicaCount: "1" },
            });
            expect(watching(fewer)).to.deep.equal(watching(prod));
        });
    });

    it("gives a group without replicas no replication-lag alarm (nothing replicates), unless its scaler may add some", async () => {
        const run = await evaluateProgramOnce({ config: { numNodeGroups: "2", replicaCount: "0" } });
        expectOneAlarmPerMetricOverEveryNode(
            run,
            "test",
            NODE_METRICS.filter((metric) => metric !== "ReplicationLag"),
        );
        expect(alarmsOf(run, "ReplicationLag")).to.deep.equal([]);
        const body = JSON.parse(onlyResourceOfType(run, T.dashboard).inputs.dashboardBody);
        expect(
            body.widgets.filter((widget: { properties: { title?: string } }) =>
                /replication lag/.test(widget.properties.title ?? ""),
            ),
        ).to.deep.equal([]);
        const scaled = await evaluateProgramOnce({
            config: { numNodeGroups: "2", replicaCount: "0", maxReplicaCount: "2", nodeType: "cache.r7g.large" },
        });
        expect(alarmsOf(scaled, "ReplicationLag")).to.have.length(1);
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
        expect(alarmsOf(run, "DatabaseMemoryUsagePercentage").map((alarm) => alarm.inputs.threshold)).to.deep.equal([
            65,
        ]);
        expect(alarmsOf(run, "CurrConnections").map((alarm) => alarm.inputs.threshold)).to.deep.equal([40000]);
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
