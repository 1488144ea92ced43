import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { COMPUTE, RELEASE_0_1_0 } from "../../components/previousRelease";
import { resourcePrefix } from "../../config/naming";
import { ProgramRun, RecordedResource } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";
import { assessChange } from "../../twin/plan/replicationGroupChanges";
import { awsSlots } from "../../twin/plan/safeChangeGuide";
import { ReleaseResource } from "../support/recordRelease";

const FIXTURES = path.join(__dirname, "..", "fixtures");
const STACKS = ["dev", "prod"];

/** Resources of 0.1.0 this release drops by design (name without the prefix), each with the reason. */
const INTENDED_REMOVALS: Record<string, string> = {
    "auth-token": "authMode rbac replaces the shared AUTH token (docs/changing.md §7)",
};

/**
 * dev only: `clientAccess: instance-connect` (Pulumi.dev.yaml) replaces the Session Manager access 0.1.0 had (docs/deploying.md
 * §2.1, "Reaching the host"; docs/changing.md §1, `clientAccess`). Its interface endpoints, their group and rules and the
 * host's SSM role go, by 0.1.0's names.
 */
const DEV_ACCESS_REMOVALS: Record<string, string> = Object.fromEntries(
    [
        "client-host-profile",
        "client-host-role",
        "client-host-ssm",
        "endpoint-sg",
        "ec2messages",
        "ssm",
        "ssmmessages",
        "host-to-endpoints",
        "endpoint-from-host",
    ].map((name) => [name, "dev's clientAccess: instance-connect replaces Session Manager"]),
);

/**
 * 0.2.0's Compute built both clients; ClientHost and SetGetFunction each take half, and every child keeps its resource
 * by an alias to its URN under Compute. Compute itself is a component: no cloud resource, so the engine's delete of it
 * changes nothing in AWS. Neither half claims its URN, for neither is what it was.
 */
const COMPUTE_REMOVAL: Record<string, string> = {
    [COMPUTE]: "split into ClientHost and SetGetFunction; a component holds no cloud resource",
};

/** The components that took Compute's place, per stack: prod has no client host (`clientHost: false`). */
const CLIENT_COMPONENTS: Record<string, string[]> = {
    dev: ["redis-cluster:clientHost:ClientHost", "redis-cluster:function:SetGetFunction"],
    prod: ["redis-cluster:function:SetGetFunction"],
};

/**
 * 0.2.0's alarms per cache node (`<prefix>-0001-002-cpu`), computed from the configured shape, are deleted on purpose:
 * after a scale-in they watched a node that was gone and missed the one that stayed. The node-wide alarms on a Metrics
 * Insights query (`<prefix>-nodes-<role>`) take their place; an alarm holds no data to lose, so nothing is migrated.
 */
const PER_NODE_ALARM = /^\d{4}-\d{3}-[a-z-]+$/;
const PER_NODE_ALARMS_REASON = "a per-node alarm, replaced by the node-wide Metrics Insights alarms (no data to lose)";

/** What this release adds to 0.2.0's stacks on purpose, by name without the prefix. */
const NODE_WIDE_ALARMS = ["cpu", "memory", "evictions", "replication-lag", "connections", "nodes-watched"].map(
    (role) => `nodes-${role}`,
);

/**
 * Inputs of 0.2.0's resources that change on purpose: the dashboard draws every node from the same queries instead of
 * a row per configured shard (PutDashboard in place: dashboard_body is not ForceNew).
 */
const UPDATED_SINCE_0_2_0: Record<string, string[]> = { dashboard: ["dashboardBody"] };

/** The per-node alarms a release's fixture has, each with the reason it goes. */
function perNodeAlarms(resources: readonly ReleaseResource[], prefix: string): Record<string, string> {
    return Object.fromEntries(
        resources
            .filter((resource) => resource.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
            .map((resource) => roleOf(resource, prefix))
            .filter((role) => PER_NODE_ALARM.test(role))
            .map((role) => [role, PER_NODE_ALARMS_REASON]),
    );
}

/** Each earlier release: its fixture (recorded as its README says) and what this release drops of it on purpose. */
const RELEASES = [
    {
        version: "0.1.0",
        removals: {
            dev: { ...INTENDED_REMOVALS, ...COMPUTE_REMOVAL, ...DEV_ACCESS_REMOVALS },
            prod: { ...INTENDED_REMOVALS, ...COMPUTE_REMOVAL },
        } as Record<string, Record<string, string>>,
    },
    {
        version: "0.2.0",
        removals: { dev: COMPUTE_REMOVAL, prod: COMPUTE_REMOVAL } as Record<string, Record<string, string>>,
    },
];

/**
 * dev only: the host's security group is replaced on purpose, its description naming the way in (EC2 cannot change a
 * description: ForceNew); the host moves to the new group in place.
 */
const REPLACED_BY_STACK: Record<string, Record<string, string[]>> = {
    dev: { "client-host-sg": ["description"] },
    prod: {},
};

/**
 * Inputs of a kept resource that change on purpose, by today's name without the prefix: each an update in place. The
 * cache's ingress rules now name their client; a rule's description is changed by ModifySecurityGroupRules
 * (terraform-provider-aws v6.66.0 internal/service/ec2/vpc_security_group_ingress_rule.go: Update; only `security_group_id`, or a change of
 * source kind, replaces a rule).
 */
const UPDATED_IN_PLACE: Record<string, string[]> = {
    "cache-from-function": ["description"],
    "cache-from-client-host": ["description"],
};

/**
 * prod only: its production posture (functionConcurrency, logEncryption: kms). Each changed input of a kept resource is
 * an update in place: the function's reservation is PutFunctionConcurrency, and `kms_key_id` is not ForceNew, an
 * existing log group is associated with the key by AssociateKmsKey (terraform-provider-aws internal/service/logs/group.go,
 * Update; read in an older stored copy of the provider, commit 0073593e7d6993ba482409f4dc35438daaa79bb3).
 */
const POSTURE_UPDATES: Record<string, Record<string, string[]>> = {
    dev: {},
    prod: {
        "slow-log": ["kmsKeyId"],
        "function-logs": ["kmsKeyId"],
        function: ["reservedConcurrentExecutions"],
    },
};

/** prod only: what its posture adds, the stack's log key and the component that owns it. */
const POSTURE_ADDITIONS: Record<string, string[]> = {
    dev: [],
    prod: ["logs-key", "redis-cluster:logs:LogEncryptionKey"],
};

function readRelease(version: string, stack: string): { resources: ReleaseResource[]; urns: string[] } {
    const dir = path.join(FIXTURES, `release-${version}`);
    const resources = JSON.parse(fs.readFileSync(path.join(dir, `${stack}.json`), "utf8")) as ReleaseResource[];
    const urns = fs
        .readFileSync(path.join(dir, `urns-${stack}.txt`), "utf8")
        .split("\n")
        .filter(Boolean);
    return { resources, urns };
}

/** Inputs as the engine stores them: no `undefined` members. */
function normalized(inputs: Record<string, unknown>): Record<string, unknown> {
    return JSON.parse(JSON.stringify(inputs)) as Record<string, unknown>;
}

/** The input keys whose values differ between two resources' inputs. */
function changedInputs(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
    const [a, b] = [normalized(before), normalized(after)];
    return [...new Set([...Object.keys(a), ...Object.keys(b)])]
        .filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key]))
        .sort();
}

/** The inputs a release's fixture holds: the recorder leaves code and policy documents out. */
function recordedInputs(resource: RecordedResource): Record<string, unknown> {
    const { code: _code, policy: _policy, ...inputs } = resource.inputs;
    return inputs;
}

/** A resource by its name without the stack's prefix; a component named just the prefix by its type. */
function roleOf(resource: { name: string; type: string }, prefix: string): string {
    return resource.name === prefix ? resource.type : resource.name.slice(prefix.length + 1);
}

/** Today's evaluation of a stack, with its resources by URN and by each URN their aliases name. */
interface Today {
    readonly run: ProgramRun;
    readonly byUrn: Map<string, RecordedResource>;
    readonly byAlias: Map<string, RecordedResource>;
}

async function evaluateToday(stack: string): Promise<Today> {
    const run = await evaluateProgramOnce({ stack });
    const byUrn = new Map<string, RecordedResource>();
    const byAlias = new Map<string, RecordedResource>();
    for (const resource of run.resources) {
        byUrn.set(resource.urn, resource);
        for (const alias of resource.options.aliases) byAlias.set(alias, resource);
    }
    return { run, byUrn, byAlias };
}

for (const stack of STACKS) {
    const prefix = resourcePrefix(stack);
    let today: Today;

    for (const { version, removals } of RELEASES) {
        describe(`upgrading the ${stack} stack from ${version}: a later \`pulumi up\` keeps what exists`, function () {
            this.timeout(60_000);
            const release = readRelease(version, stack);
            /** What today registers for each resource of the release: by the same URN or by an alias. */
            const kept = () =>
                release.resources.flatMap((old) => {
                    const now = today.byUrn.get(old.urn) ?? today.byAlias.get(old.urn);
                    return now ? [{ old, now }] : [];
                });

            before(async () => {
                today = await evaluateToday(stack);
            });

            it(`has a fixture with exactly the URNs ${version} registered`, () => {
                expect(release.resources.map((resource) => resource.urn)).to.deep.equal(release.urns);
            });

            it(`registers again, or names by an alias, every resource of ${version} but the intended removals`, () => {
                const lost = release.resources
                    .filter((resource) => !today.byUrn.has(resource.urn) && !today.byAlias.has(resource.urn))
                    .map((resource) => roleOf(resource, prefix));
                const intended = { ...removals[stack], ...perNodeAlarms(release.resources, prefix) };
                expect(lost.sort()).to.deep.equal(Object.keys(intended).sort());
                for (const role of lost) expect(intended[role], role).to.be.a("string").and.not.equal("");
            });

            it(`keeps each resource of ${version} under its type (a new type is a new resource)`, () => {
                const retyped = kept()
                    .filter(({ old, now }) => old.type !== now.type)
                    .map(({ old, now }) => `${roleOf(old, prefix)}: ${old.type} → ${now.type}`);
                expect(kept().length).to.be.greaterThan(0);
                expect(retyped).to.deep.equal([]);
            });
        });
    }

    describe(`upgrading the ${stack} stack: the aliases`, function () {
        this.timeout(60_000);
        const releases = RELEASES.map(({ version }) => readRelease(version, stack));

        before(async () => {
            today = await evaluateToday(stack);
        });

        it("name only URNs of an earlier release that are gone, each by one resource of today's list", () => {
            const earlier = new Set(releases.flatMap((release) => release.urns));
            const aliasUrns = today.run.resources.flatMap((resource) => resource.options.aliases);
            // An alias to a URN still registered, or named twice, is an engine error ("Duplicate resource alias").
            expect(aliasUrns.filter((urn) => !earlier.has(urn) || today.byUrn.has(urn))).to.deep.equal([]);
            expect(new Set(aliasUrns).size).to.equal(aliasUrns.length);
        });

        it("are given to the client host's and the function's resources only, each naming its URN under 0.2.0's Compute", () => {
            const aliased = today.run.resources.filter((resource) => resource.options.aliases.length > 0);
            const owners = new Set(aliased.map((resource) => resource.parentUrn.split("::")[2]));
            expect([...owners].sort()).to.deep.equal(CLIENT_COMPONENTS[stack]);
            for (const resource of aliased) {
                const underCompute = `urn:pulumi:${stack}::redis-cluster::${COMPUTE}$${resource.type}::${resource.name}`;
                expect(resource.options.aliases, resource.name).to.include(underCompute);
            }
        });
    });

    describe(`upgrading the ${stack} stack from 0.2.0: nothing but the component split changes`, function () {
        this.timeout(60_000);
        const release = readRelease("0.2.0", stack);

        before(async () => {
            today = await evaluateToday(stack);
        });

        it("gives every resource of 0.2.0 it keeps the same type and the same inputs, but prod's posture and the dashboard's body, updated in place", () => {
            const changes = release.resources.flatMap((old) => {
                const now = today.byUrn.get(old.urn) ?? today.byAlias.get(old.urn);
                if (now === undefined) return [];
                // Since 0.2.0 a protected stack names a final snapshot (finalSnapshot follows protect): an input the
                // provider only reads when it deletes the group, so no AWS call at the upgrade.
                const stateOnly = stack === "prod" ? ["finalSnapshotIdentifier"] : [];
                const changed = changedInputs(old.inputs, recordedInputs(now)).filter(
                    (input) => !stateOnly.includes(input),
                );
                return old.type === now.type && changed.length === 0 ? [] : [{ role: roleOf(old, prefix), changed }];
            });
            expect(Object.fromEntries(changes.map((change) => [change.role, change.changed]))).to.deep.equal({
                ...POSTURE_UPDATES[stack],
                ...UPDATED_SINCE_0_2_0,
            });
            // The safe-change model's verdict for each of them (the same rules the guide uses): never a replacement.
            for (const { role } of changes) {
                const old = release.resources.find((resource) => roleOf(resource, prefix) === role)!;
                const now = today.byUrn.get(old.urn) ?? today.byAlias.get(old.urn)!;
                const assessed = assessChange(
                    [old],
                    [{ type: now.type, name: old.name, inputs: recordedInputs(now), custom: true }],
                    awsSlots,
                );
                expect(assessed.verdict, role).to.equal("update in place");
            }
        });

        it("registers nothing 0.2.0 did not have but the split's components, the node-wide alarms and prod's log key", () => {
            const known = new Set(release.urns);
            const added = today.run.resources
                .filter(
                    (resource) => !known.has(resource.urn) && !resource.options.aliases.some((urn) => known.has(urn)),
                )
                .map((resource) => roleOf(resource, prefix));
            expect(added.sort()).to.deep.equal(
                [...CLIENT_COMPONENTS[stack], ...NODE_WIDE_ALARMS, ...POSTURE_ADDITIONS[stack]].sort(),
            );
        });
    });

    describe(`upgrading the ${stack} stack from 0.1.0: the resources 0.2.0 moved into Compute`, function () {
        this.timeout(60_000);
        const release = readRelease("0.1.0", stack);

        before(async () => {
            today = await evaluateToday(stack);
        });

        it("gives each of them 0.1.0's type and inputs, but for updates in place (and dev's host group, replaced on purpose)", () => {
            const previous = new Map(release.resources.map((resource) => [resource.urn, resource]));
            const changes = today.run.resources
                .filter((resource) => RELEASE_0_1_0[roleOf(resource, prefix)] !== undefined)
                .map((resource) => {
                    const old = resource.options.aliases.map((urn) => previous.get(urn)).find(Boolean);
                    const role = roleOf(resource, prefix);
                    return {
                        role,
                        type: resource.type,
                        previousType: old?.type,
                        changed: old ? changedInputs(old.inputs, resource.inputs) : ["(not in 0.1.0)"],
                    };
                });
            expect(changes.length).to.be.greaterThan(0);
            for (const change of changes) {
                expect(change.previousType, change.role).to.equal(change.type);
                expect(change.changed, change.role).to.deep.equal(
                    UPDATED_IN_PLACE[change.role] ?? REPLACED_BY_STACK[stack][change.role] ?? [],
                );
            }
        });
    });
}

describe("upgrading the dev stack from 0.1.0 with clientAccess: ssm (the access it had)", function () {
    this.timeout(60_000);

    it("keeps every resource of 0.1.0 but the intended removals, Session Manager's included, and the host's group as it was", async () => {
        const prefix = resourcePrefix("dev");
        const release = readRelease("0.1.0", "dev");
        const run = await evaluateProgramOnce({ stack: "dev", config: { clientAccess: "ssm" } });
        const known = new Set(run.resources.flatMap((resource) => [resource.urn, ...resource.options.aliases]));
        const lost = release.resources
            .filter((resource) => !known.has(resource.urn))
            .map((resource) => roleOf(resource, prefix));
        expect(lost.sort()).to.deep.equal(Object.keys({ ...INTENDED_REMOVALS, ...COMPUTE_REMOVAL }).sort());
        const group = run.resources.find((resource) => resource.name === `${prefix}-client-host-sg`)!;
        const old = release.resources.find((resource) => group.options.aliases.includes(resource.urn))!;
        expect(changedInputs(old.inputs, group.inputs)).to.deep.equal([]);
    });
});
