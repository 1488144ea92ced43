import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { slotRanges } from "../../config/placement";
import { CONFIG_KEYS, declarationOf } from "../../config/keys";
import { FURTHER_CHANGES, KEY_CHANGES } from "../../twin/plan/configChanges";
import { loadStack } from "../../twin/program/stackSettings";
import {
    assessChange,
    assessReplicationGroup,
    readBack,
    REPLICATION_GROUP,
    Verdict,
} from "../../twin/plan/replicationGroupChanges";
import { isGuideCurrent, JudgedChange, judgeEveryChange, renderTable } from "../../twin/plan/safeChangeGuide";
import { evaluateProgram, onlyResourceOfType } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";

const ROOT = path.resolve(__dirname, "..", "..");
const projectKeys = Object.keys(parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")).config);

/**
 * What the provider does for each key's representative change, read from its source (terraform-provider-aws v6.66.0
 * replication_group.go and the schema files cited in the model). The model must reach the same verdict from the inputs the real
 * program registers.
 */
const EXPECTED: Record<string, { dev: Verdict; prod: Verdict }> = {
    numNodeGroups: { dev: "update in place", prod: "update in place" },
    replicaCount: { dev: "update in place", prod: "update in place" },
    // Target and policy created; the group's description drops the counts the scaler now owns (in place).
    maxNumNodeGroups: { dev: "update in place", prod: "update in place" },
    maxReplicaCount: { dev: "update in place", prod: "update in place" },
    scalingCpuPercent: { dev: "update in place", prod: "update in place" },
    nodeType: { dev: "update in place", prod: "update in place" },
    // The users and their group stay of engine redis with the same ids: only the replication group changes, in place.
    engine: { dev: "update in place", prod: "update in place" },
    engineVersion: { dev: "update in place", prod: "update in place" },
    parameterGroupName: { dev: "update in place", prod: "update in place" },
    port: { dev: "replacement", prod: "replacement" },
    availabilityZoneCount: { dev: "replacement", prod: "replacement" },
    shardPlacement: { dev: "replacement", prod: "replacement" },
    vpcCidr: { dev: "replacement", prod: "replacement" },
    transitEncryption: { dev: "replacement", prod: "replacement" },
    clientHost: { dev: "update in place", prod: "update in place" },
    // The host's security group: its description names the way in (description is ForceNew); the cluster is untouched.
    clientAccess: { dev: "replacement", prod: "replacement" },
    functionUrlAuthType: { dev: "update in place", prod: "update in place" },
    durableWrites: { dev: "update in place", prod: "update in place" },
    // protect flips the final snapshot's name that follows it when finalSnapshot is unset (state only, no AWS call).
    protect: { dev: "update in place", prod: "update in place" },
    // finalSnapshotIdentifier is read only at delete (state only).
    finalSnapshot: { dev: "update in place", prod: "update in place" },
    // The subnet group is named after the VPC it belongs to: another network is another group (subnet_group_name ForceNew).
    vpcId: { dev: "replacement", prod: "replacement" },
    subnetIds: { dev: "update in place", prod: "update in place" },
    // A parameter group created, the cluster's CacheParameterGroupName modified.
    parameters: { dev: "update in place", prod: "update in place" },
    // PutFunctionConcurrency: the function's reservation is set or changed in place.
    functionConcurrency: { dev: "update in place", prod: "update in place" },
    // The key created (or deleted) and the log groups' kms_key_id associated in place (logs/group.go: not ForceNew).
    logEncryption: { dev: "update in place", prod: "update in place" },
    snapshotRetentionDays: { dev: "update in place", prod: "update in place" },
    logRetentionDays: { dev: "update in place", prod: "update in place" },
    applyImmediately: { dev: "update in place", prod: "update in place" },
    authMode: { dev: "update in place", prod: "update in place" },
    passwordVersion: { dev: "update in place", prod: "update in place" },
    passwordRotation: { dev: "update in place", prod: "update in place" },
    // Monitoring: the topic, alarms and dashboard are created or deleted; the group's notificationTopicArn is a plain
    // ModifyReplicationGroup field. Thresholds and the address are PutMetricAlarm / subscription updates.
    monitoring: { dev: "update in place", prod: "update in place" },
    alarmEmail: { dev: "update in place", prod: "update in place" },
    alarmEngineCpuPercent: { dev: "update in place", prod: "update in place" },
    alarmMemoryPercent: { dev: "update in place", prod: "update in place" },
    alarmEvictions: { dev: "update in place", prod: "update in place" },
    alarmReplicationLagSeconds: { dev: "update in place", prod: "update in place" },
    alarmConnections: { dev: "update in place", prod: "update in place" },
    alarmFunctionErrors: { dev: "update in place", prod: "update in place" },
    alarmFunctionDurationPercent: { dev: "update in place", prod: "update in place" },
};

describe("safe changes: every Pulumi.yaml key has a change the model judges", () => {
    it("lists one representative change per key of Pulumi.yaml, and no other", () => {
        const missing = projectKeys.filter((key) => !(key in KEY_CHANGES));
        expect(
            missing,
            `keys of Pulumi.yaml without an entry in twin/plan/configChanges.ts KEY_CHANGES: ${missing.join(", ")}`,
        ).to.deep.equal([]);
        const unknown = Object.keys(KEY_CHANGES).filter((key) => !projectKeys.includes(key));
        expect(unknown, `KEY_CHANGES entries that are not keys of Pulumi.yaml: ${unknown.join(", ")}`).to.deep.equal(
            [],
        );
        expect([...CONFIG_KEYS].sort()).to.deep.equal([...projectKeys].sort());
    });

    it("takes each key's change from its declaration, and each representative change sets its own key", () => {
        const settings = loadStack("dev").settings;
        for (const key of CONFIG_KEYS) {
            const change = KEY_CHANGES[key];
            // Compared by what they say, not by identity: an evaluation loads config/ afresh, so the declaration a
            // test file imports may be another load's copy of the same one.
            const declared = declarationOf(key).change;
            expect(change.note, key).to.equal(declared.note);
            expect(change.label(settings), key).to.equal(declared.label(settings));
            expect(change.to(settings), key).to.deep.equal(declared.to(settings));
            expect(Object.keys(change.to(settings)), key).to.include(key);
        }
        const further = FURTHER_CHANGES.map((change) => change.key);
        expect(further).to.include.members(["snapshotRetentionDays", "nodeType", "transitEncryption"]);
    });

    it("has an expected verdict in this test for every key", () => {
        const missing = projectKeys.filter((key) => !(key in EXPECTED));
        expect(
            missing,
            `keys without an expected verdict in tests/unit/safeChangeGuide.test.ts: ${missing.join(", ")}`,
        ).to.deep.equal([]);
    });
});

describe("safe changes: the program before and after each change, judged by the provider's rules", function () {
    this.timeout(600_000);
    let judged: JudgedChange[];
    before(async () => {
        judged = await judgeEveryChange();
    });
    const find = (key: string, stack: string, label?: RegExp) =>
        judged.find(
            (entry) => entry.change.key === key && entry.stack === stack && (!label || label.test(entry.label)),
        )!;

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: each key's representative change gets the verdict read from the provider source`, () => {
            for (const key of projectKeys) {
                const entry = find(key, stack);
                expect(entry, `${key} on ${stack}`).to.not.equal(undefined);
                expect(
                    entry.assessment.verdict,
                    `${key} ${entry.label} on ${stack}: ${JSON.stringify(entry.assessment.changes)}`,
                ).to.equal(EXPECTED[key][stack]);
            }
        });

        it(`${stack}: clientAccess replaces only the host's security group, never the cluster or the host`, () => {
            const entry = find("clientAccess", stack);
            expect(entry.assessment.cluster).to.equal("no change");
            const replaced = entry.assessment.changes.filter((change) => change.verdict === "replacement");
            expect(replaced.map((change) => `${change.type} ${change.name}`)).to.deep.equal([
                `aws:ec2/securityGroup:SecurityGroup redis-${stack}-client-host-sg`,
            ]);
            const host = entry.assessment.changes.find((change) => change.type === "aws:ec2/instance:Instance");
            expect(host?.verdict).to.equal("update in place");
        });

        it(`${stack}: redis → valkey is one in-place change of the replication group; users and their group untouched`, () => {
            const entry = find("engine", stack);
            expect(entry.assessment.cluster).to.equal("update in place");
            expect(entry.assessment.changes.map((change) => `${change.type} ${change.verdict}`)).to.deep.equal([
                "aws:elasticache/replicationGroup:ReplicationGroup update in place",
            ]);
            const other = find("engine", stack === "dev" ? "prod" : "dev");
            const row = renderTable([entry, other])
                .split("\n")
                .find((line) => line.startsWith("| `engine` "))!;
            expect(row).to.match(/users and their group are untouched/);
            expect(row).to.not.match(/replaced/i);
        });

        it(`${stack}: numNodeGroups +1 and replicaCount +1 reshard in place, not a replacement`, () => {
            for (const key of ["numNodeGroups", "replicaCount"]) {
                const entry = find(key, stack);
                expect(entry.assessment.cluster, `${key} on ${stack}`).to.equal("update in place");
                expect(entry.assessment.changes.map((change) => change.verdict)).to.not.include("replacement");
            }
        });

        it(`${stack}: snapshots turned on for a stack created with 0 are refused by AWS; spread → auto is no change`, () => {
            expect(find("snapshotRetentionDays", stack, /created with 0/).assessment.cluster).to.equal(
                "refused by AWS",
            );
            expect(find("shardPlacement", stack, /spread → auto/).assessment.verdict).to.equal("no change");
            expect(find("replicaCount", stack, /→ 0$/).assessment.cluster).to.equal("update in place");
            expect(find("nodeType", stack, /applyImmediately false/).assessment.cluster).to.equal(
                "update in the maintenance window",
            );
            expect(find("transitEncryption", stack, /on engine 7.1/).assessment.cluster).to.equal("refused by AWS");
            expect(find("engineVersion", stack, /downgrade/).assessment.cluster).to.equal("replacement");
        });
    }

    it("docs/changing.md §1 holds the table generated from these verdicts (run `npm run guide` to update it)", () => {
        expect(
            isGuideCurrent(renderTable(judged)),
            "docs/changing.md safe-change table is out of date: run npm run guide",
        ).to.equal(true);
    });
});

/** A value with every promise inside it awaited (Pulumi assets and archives keep their contents in promises). */
async function settle(value: unknown): Promise<unknown> {
    const resolved = await value;
    if (Array.isArray(resolved)) return Promise.all(resolved.map(settle));
    if (resolved === null || typeof resolved !== "object") return resolved;
    const entries = await Promise.all(
        Object.entries(resolved).map(async ([key, inner]) => [key, await settle(inner)] as const),
    );
    return Object.fromEntries(entries);
}

describe("safe changes: an unchanged re-run", function () {
    this.timeout(120_000);
    for (const stack of ["dev", "prod"]) {
        it(`${stack}: two evaluations register identical resources and inputs, so a re-run is no change`, async () => {
            const first = await evaluateProgram({ stack });
            const second = await evaluateProgram({ stack });
            const shape = (run: typeof first) =>
                settle(
                    run.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs, options: r.options })),
                );
            // The function's code archive holds promises (its files, their text): compared settled, not by identity.
            expect(await shape(second)).to.deep.equal(await shape(first));
            expect(assessChange(first.resources, second.resources, slotRanges).verdict).to.equal("no change");
        });
    }

    it("spread on an unchanged re-run: the slots sent are the slots read back, so no replacement", async () => {
        const run = await evaluateProgramOnce({ stack: "prod", config: { shardPlacement: "spread" } });
        const inputs = onlyResourceOfType(run, REPLICATION_GROUP).inputs;
        const state = readBack(inputs, () => ["0-5461", "5462-10922", "10923-16383"]);
        expect(assessReplicationGroup(inputs, inputs, state).verdict).to.equal("no change");
    });
});

describe("safe changes: the model's rules on their own", () => {
    const group = {
        numNodeGroups: 1,
        replicasPerNodeGroup: 1,
        engineVersion: "6.2",
        snapshotRetentionLimit: 1,
        applyImmediately: true,
        nodeGroupConfigurations: [
            { nodeGroupId: "0001", replicaCount: 1, primaryAvailabilityZone: "a", replicaAvailabilityZones: ["b"] },
        ],
    };

    it("configured node groups without slots are replaced on every re-run: the read-back has slots (the issue's point 1)", () => {
        const state = readBack(group, slotRanges);
        const { verdict, reasons } = assessReplicationGroup(group, group, state);
        expect(verdict).to.equal("replacement");
        expect(reasons.join()).to.match(/slots: "0-16383" read back, "" configured/);
    });

    it("defers node type and engine changes with applyImmediately false, and not with true", () => {
        const deferred = { ...group, nodeGroupConfigurations: undefined, applyImmediately: false };
        const state = readBack(deferred, slotRanges);
        expect(assessReplicationGroup(deferred, { ...deferred, nodeType: "cache.m7g.large" }, state).verdict).to.equal(
            "update in the maintenance window",
        );
        const immediate = { ...deferred, applyImmediately: true };
        expect(
            assessReplicationGroup(immediate, { ...immediate, nodeType: "cache.m7g.large" }, state).verdict,
        ).to.equal("update in place");
    });

    it("replaces on an engine version downgrade and on valkey → redis", () => {
        const auto = { ...group, nodeGroupConfigurations: undefined };
        const state = readBack(auto, slotRanges);
        expect(assessReplicationGroup({ ...auto, engineVersion: "7.1" }, auto, state).verdict).to.equal("replacement");
        expect(
            assessReplicationGroup({ ...auto, engine: "valkey" }, { ...auto, engine: "redis" }, state).verdict,
        ).to.equal("replacement");
    });

    it("from engine 7.0.5 changes TLS in place only through transitEncryptionMode", () => {
        const tls = {
            ...group,
            nodeGroupConfigurations: undefined,
            engineVersion: "7.1",
            transitEncryptionEnabled: true,
        };
        const state = readBack(tls, slotRanges);
        expect(assessReplicationGroup(tls, { ...tls, transitEncryptionEnabled: false }, state).verdict).to.equal(
            "refused by AWS",
        );
        const viaMode = { ...tls, transitEncryptionMode: "preferred" };
        expect(
            assessReplicationGroup(viaMode, { ...viaMode, transitEncryptionEnabled: false }, state).verdict,
        ).to.equal("update in place");
    });
});
