/**
 * Auto scaling of shards and replicas: the prerequisites refused before any resource (pure, and through the program),
 * the targets and policies under mocks, the replication group ignoring the counts a scaler owns, the shipped stacks
 * without any of it, what a later `up` does after the scaler's step, and how the rehearsal chooses that step.
 */
import { expect } from "chai";
import { autoScalingOf, maximumShape, scalableNodeType } from "../../config/autoScaling";
import { validateSettings } from "../../config/validate";
import { planScalerStep, ScaleRequest } from "../../twin/rehearse/scalerStep";
import { RehearsalRefused } from "../../twin/rehearse/changePlan";
import { laterUpAfterScaling } from "../../twin/rehearse/laterUp";
import { graphOf } from "../../twin/plan/programGraph";
import { evaluationError, onlyResourceOfType, resourcesOfType } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";

const T = {
    target: "aws:appautoscaling/target:Target",
    policy: "aws:appautoscaling/policy:Policy",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
} as const;

/** prod (r7g.large, 3 × 2) with both counts scaled. */
const SCALED = { maxNumNodeGroups: "6", maxReplicaCount: "4" };

function problems(config: Record<string, unknown>): readonly string[] {
    return validateSettings(config).problems;
}

describe("auto scaling: prerequisites (pure)", () => {
    const r7g = { nodeType: "cache.r7g.large", numNodeGroups: 3 };

    it("is off unless a maximum is set, and then the configured count is the minimum", () => {
        const settings = validateSettings(r7g).settings!;
        expect(autoScalingOf(settings)).to.equal(undefined);
        const scaled = validateSettings({ ...r7g, maxNumNodeGroups: 5 }).settings!;
        expect(autoScalingOf(scaled)).to.deep.equal({
            shards: { min: 3, max: 5 },
            replicas: undefined,
            targetCpuPercent: 60,
        });
        expect(maximumShape(scaled, autoScalingOf(scaled))).to.deep.equal({ shards: 5, replicasPerShard: 1 });
    });

    it("accepts the page's families and sizes only", () => {
        for (const type of ["cache.r7g.large", "cache.m6g.2xlarge", "cache.c7gn.xlarge", "cache.r6gd.xlarge"])
            expect(scalableNodeType(type), type).to.equal(true);
        for (const type of ["cache.t4g.micro", "cache.t4g.medium", "cache.r7g.4xlarge", "cache.r8g.large"])
            expect(scalableNodeType(type), type).to.equal(false);
    });

    it("refuses a t4g node type, naming the scaling key, the node type and what is allowed", () => {
        expect(problems({ maxNumNodeGroups: 3, nodeType: "cache.t4g.medium" })).to.deep.equal([
            "maxNumNodeGroups: auto scaling does not support nodeType cache.t4g.medium; allowed families r7g, r6g, r6gd, r5, m7g, m6g, m5, c7gn in sizes large, xlarge, 2xlarge (e.g. cache.r7g.large), per https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html",
        ]);
    });

    it("refuses a maximum below the minimum, naming both keys", () => {
        expect(problems({ ...r7g, maxNumNodeGroups: 2 })).to.deep.equal([
            "maxNumNodeGroups: 2 is below numNodeGroups 3, which is the scaler's minimum; allowed 3 or more, or 0 to turn it off",
        ]);
        expect(problems({ ...r7g, replicaCount: 2, maxReplicaCount: 1 })[0]).to.match(
            /^maxReplicaCount: 1 is below replicaCount 2/,
        );
    });

    it("refuses shardPlacement spread, whose explicit slots would make the scaler's shard a replacement", () => {
        expect(problems({ ...r7g, maxReplicaCount: 3, shardPlacement: "spread" })).to.deep.equal([
            "maxReplicaCount: not with shardPlacement spread, which sends every shard's slots and AZs (nodeGroupConfigurations): a shard or replica the scaler adds makes the next up replace the cluster; allowed shardPlacement auto",
        ]);
    });

    it("refuses an engine older than Redis OSS 6.0, naming the versions allowed", () => {
        expect(problems({ ...r7g, maxNumNodeGroups: 4, engineVersion: "5.0.6", authMode: "token" })).to.deep.equal([
            'maxNumNodeGroups: auto scaling needs redis 6.0 or later, but engineVersion is "5.0.6"; allowed engineVersion 6.0, 6.2, 7.0, 7.1, per https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html',
        ]);
        expect(problems({ ...r7g, maxNumNodeGroups: 4, engine: "valkey", engineVersion: "7.2" })).to.deep.equal([]);
    });

    it("refuses a largest shape over 500 nodes, and a target outside 35–70 %", () => {
        expect(problems({ ...r7g, maxNumNodeGroups: 100, maxReplicaCount: 5 })[0]).to.match(
            /^maxNumNodeGroups, maxReplicaCount: the largest shape, 100 × 6 = 600 nodes, is over the ElastiCache limit/,
        );
        expect(problems({ ...r7g, maxNumNodeGroups: 4, scalingCpuPercent: 90 })).to.deep.equal([
            "scalingCpuPercent: 90 is out of range; allowed 35–70 percent",
        ]);
    });
});

describe("auto scaling under mocks", function () {
    this.timeout(120_000);

    it("refuses before registering anything, naming each key", async () => {
        const { error, resources } = await evaluationError({
            stack: "dev",
            config: { maxNumNodeGroups: "3", maxReplicaCount: "0" },
        });
        expect(resources).to.deep.equal([]);
        expect(error.message).to.match(/maxNumNodeGroups: auto scaling does not support nodeType cache.t4g.micro/);
    });

    it("registers a target and a target-tracking policy per dimension on the replication group", async () => {
        const run = await evaluateProgramOnce({ stack: "prod", config: SCALED });
        const group = onlyResourceOfType(run, T.replicationGroup);
        const targets = resourcesOfType(run, T.target);
        expect(targets.map((target) => [target.name, target.inputs])).to.deep.equal([
            [
                "redis-prod-shards-scaling",
                {
                    serviceNamespace: "elasticache",
                    resourceId: `replication-group/${group.id}`,
                    scalableDimension: "elasticache:replication-group:NodeGroups",
                    minCapacity: 3,
                    maxCapacity: 6,
                    tags: group.inputs.tags,
                },
            ],
            [
                "redis-prod-replicas-scaling",
                {
                    serviceNamespace: "elasticache",
                    resourceId: `replication-group/${group.id}`,
                    scalableDimension: "elasticache:replication-group:Replicas",
                    minCapacity: 2,
                    maxCapacity: 4,
                    tags: group.inputs.tags,
                },
            ],
        ]);
        const policies = resourcesOfType(run, T.policy);
        expect(
            policies.map((policy) => [
                policy.inputs.policyType,
                policy.inputs.scalableDimension,
                policy.inputs.resourceId,
                policy.inputs.targetTrackingScalingPolicyConfiguration,
            ]),
        ).to.deep.equal([
            [
                "TargetTrackingScaling",
                "elasticache:replication-group:NodeGroups",
                `replication-group/${group.id}`,
                {
                    predefinedMetricSpecification: { predefinedMetricType: "ElastiCachePrimaryEngineCPUUtilization" },
                    targetValue: 60,
                },
            ],
            [
                "TargetTrackingScaling",
                "elasticache:replication-group:Replicas",
                `replication-group/${group.id}`,
                {
                    predefinedMetricSpecification: { predefinedMetricType: "ElastiCacheReplicaEngineCPUUtilization" },
                    targetValue: 60,
                },
            ],
        ]);
        for (const [policy, target] of policies.map((policy, index) => [policy, targets[index]]))
            expect(policy.dependencies, policy.name).to.include(target.urn);
        expect(group.options.ignoreChanges).to.deep.equal(["numNodeGroups", "replicasPerNodeGroup"]);
        expect(group.inputs.description).to.equal(
            "Redis cluster (cluster mode enabled), auto-scaled shards x auto-scaled replicas",
        );
    });

    it("ignores only the count a scaler owns", async () => {
        const run = await evaluateProgramOnce({ stack: "prod", config: { maxReplicaCount: "3" } });
        expect(onlyResourceOfType(run, T.replicationGroup).options.ignoreChanges).to.deep.equal([
            "replicasPerNodeGroup",
        ]);
        expect(resourcesOfType(run, T.target).map((target) => target.inputs.scalableDimension)).to.deep.equal([
            "elasticache:replication-group:Replicas",
        ]);
    });

    it("adds nothing to the shipped stacks: no target, no policy, no ignored input", async () => {
        for (const stack of ["dev", "prod"]) {
            const run = await evaluateProgramOnce({ stack });
            expect(resourcesOfType(run, T.target), stack).to.deep.equal([]);
            expect(resourcesOfType(run, T.policy), stack).to.deep.equal([]);
            expect(onlyResourceOfType(run, T.replicationGroup).options.ignoreChanges, stack).to.deep.equal([]);
        }
    });

    it("after the scaler's step, a later up with the unchanged configuration leaves the replication group alone", async () => {
        const run = graphOf(await evaluateProgramOnce({ stack: "prod", config: SCALED }));
        for (const [dimension, count] of [
            ["shards", 4],
            ["shards", 6],
            ["replicas", 3],
        ] as const) {
            const later = laterUpAfterScaling(run.resources, dimension, count);
            expect(later.cluster, `${dimension} ${count}`).to.equal("no change");
            expect(later.changes, `${dimension} ${count}`).to.deep.equal([]);
        }
        // Without the scaler the same state is set back to the configuration's count: the fight the option prevents.
        const unscaled = graphOf(await evaluateProgramOnce({ stack: "prod" }));
        const fight = laterUpAfterScaling(unscaled.resources, "shards", 4);
        expect(fight.cluster).to.equal("update in place");
        expect(fight.changes[0].reasons.join(" ")).to.match(/numNodeGroups/);
    });

    it("moving the minimum while the scaler owns the count changes the target only", async () => {
        const before = graphOf(await evaluateProgramOnce({ stack: "prod", config: SCALED }));
        const after = graphOf(await evaluateProgramOnce({ stack: "prod", config: { ...SCALED, numNodeGroups: "4" } }));
        const { assessChange } = await import("../../twin/plan/replicationGroupChanges");
        const { awsSlots } = await import("../../twin/plan/safeChangeGuide");
        const assessment = assessChange(before.resources, after.resources, awsSlots);
        expect(assessment.cluster).to.equal("no change");
        expect(assessment.changes.map((change) => [change.type, change.verdict])).to.deep.equal([
            [T.target, "update in place"],
        ]);
    });
});

describe("rehearse --scale-out / --scale-in: the scaler's next step", () => {
    const plan = (request: Partial<ScaleRequest>) =>
        planScalerStep({ stack: "prod", config: SCALED, direction: "out", ...request });
    const refusal = (request: Partial<ScaleRequest>): string => {
        try {
            plan(request);
        } catch (error) {
            expect(error).to.be.instanceOf(RehearsalRefused);
            return (error as Error).message;
        }
        throw new Error(`accepted ${JSON.stringify(request)}`);
    };

    it("adds one shard from the minimum, removes one back to it, one replica per shard for replicas", () => {
        const out = plan({});
        expect([out.dimension, out.count, out.step, out.expected]).to.deep.equal([
            "shards",
            { before: 3, after: 4 },
            { kind: "add shards", count: 1 },
            { shards: 4, replicasPerShard: 2 },
        ]);
        expect(out.before.settings.numNodeGroups).to.equal(3);
        const back = plan({ direction: "in" });
        expect([back.count, back.step, back.expected, back.before.settings.numNodeGroups]).to.deep.equal([
            { before: 4, after: 3 },
            { kind: "remove shards", count: 1 },
            { shards: 3, replicasPerShard: 2 },
            4,
        ]);
        const replicas = plan({ dimension: "replicas", at: 3, direction: "in" });
        expect([replicas.step, replicas.expected]).to.deep.equal([
            { kind: "remove replicas", perShard: 1 },
            { shards: 3, replicasPerShard: 2 },
        ]);
        expect(plan({ dimension: "replicas" }).step).to.deep.equal({ kind: "add replicas", perShard: 1 });
    });

    it("refuses a stack without a scaler for the dimension, and a step across min or max, naming the key", () => {
        expect(refusal({ config: {} })).to.match(/^maxNumNodeGroups: stack prod has no scaler for shards/);
        expect(refusal({ config: { maxNumNodeGroups: "5" }, dimension: "replicas" })).to.match(
            /^maxReplicaCount: stack prod has no scaler for replicas/,
        );
        expect(refusal({ at: 6 })).to.match(/^maxNumNodeGroups: 6 shards reached, the scaler adds no more/);
        expect(refusal({ at: 3, direction: "in" })).to.match(/^numNodeGroups: 3 is the scaler's minimum/);
        expect(refusal({ at: 9 })).to.match(/^--at: 9 shards is outside the scaler's range/);
        expect(refusal({ config: { maxNumNodeGroups: "5", nodeType: "cache.t4g.micro" } })).to.match(
            /^maxNumNodeGroups: auto scaling does not support nodeType cache.t4g.micro/,
        );
    });
});
