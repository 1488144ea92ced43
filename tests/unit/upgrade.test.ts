import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { PREVIOUS_RELEASE } from "../../components/previousRelease";
import { resourcePrefix } from "../../config/naming";
import { ProgramRun, RecordedResource } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";
import { ReleaseResource } from "../support/recordRelease";

const FIXTURES = path.join(__dirname, "..", "fixtures", "release-0.1.0");

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
const REMOVALS_BY_STACK: Record<string, Record<string, string>> = {
    dev: { ...INTENDED_REMOVALS, ...DEV_ACCESS_REMOVALS },
    prod: INTENDED_REMOVALS,
};

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

function readRelease(stack: string): { resources: ReleaseResource[]; urns: string[] } {
    const resources = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${stack}.json`), "utf8")) as ReleaseResource[];
    const urns = fs
        .readFileSync(path.join(FIXTURES, `urns-${stack}.txt`), "utf8")
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

for (const stack of ["dev", "prod"]) {
    describe(`upgrading the ${stack} stack from 0.1.0: a later \`pulumi up\` keeps what exists`, function () {
        this.timeout(60_000);
        const prefix = resourcePrefix(stack);
        const release = readRelease(stack);
        let run: ProgramRun;
        /** Today's resources by their URN and by each URN their aliases name. */
        const byUrn = new Map<string, RecordedResource>();
        const byAlias = new Map<string, RecordedResource>();

        before(async () => {
            run = await evaluateProgramOnce({ stack });
            for (const resource of run.resources) {
                byUrn.set(resource.urn, resource);
                for (const alias of resource.options.aliases) byAlias.set(alias, resource);
            }
        });

        it("has a fixture with exactly the URNs 0.1.0 registered", () => {
            expect(release.resources.map((resource) => resource.urn)).to.deep.equal(release.urns);
        });

        it("registers again, or names by an alias, every resource of 0.1.0 but the intended removals", () => {
            const lost = release.resources
                .filter((resource) => !byUrn.has(resource.urn) && !byAlias.has(resource.urn))
                .map((resource) => resource.name.slice(prefix.length + 1));
            expect(lost.sort()).to.deep.equal(Object.keys(REMOVALS_BY_STACK[stack]).sort());
        });

        it("aliases only URNs of 0.1.0 that are gone, each by one resource of today's list", () => {
            const aliased = run.resources.filter((resource) => resource.options.aliases.length > 0);
            const aliasUrns = aliased.flatMap((resource) => resource.options.aliases);
            // An alias to a URN still registered, or named twice, is an engine error ("Duplicate resource alias").
            expect(aliasUrns.filter((urn) => !release.urns.includes(urn) || byUrn.has(urn))).to.deep.equal([]);
            expect(new Set(aliasUrns).size).to.equal(aliasUrns.length);
            for (const resource of aliased)
                expect(PREVIOUS_RELEASE).to.have.property(resource.name.slice(prefix.length + 1));
        });

        it("gives each aliased resource 0.1.0's type and inputs, but for updates in place (and dev's host group, replaced on purpose)", () => {
            const previous = new Map(release.resources.map((resource) => [resource.urn, resource]));
            const changes = run.resources
                .filter((resource) => resource.options.aliases.length > 0)
                .map((resource) => {
                    const old = previous.get(resource.options.aliases[0]);
                    const role = resource.name.slice(prefix.length + 1);
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
        const release = readRelease("dev");
        const run = await evaluateProgramOnce({ stack: "dev", config: { clientAccess: "ssm" } });
        const known = new Set(run.resources.flatMap((resource) => [resource.urn, ...resource.options.aliases]));
        const lost = release.resources
            .filter((resource) => !known.has(resource.urn))
            .map((resource) => resource.name.slice(prefix.length + 1));
        expect(lost).to.deep.equal(Object.keys(INTENDED_REMOVALS));
        const group = run.resources.find((resource) => resource.name === `${prefix}-client-host-sg`)!;
        const old = release.resources.find((resource) => group.options.aliases.includes(resource.urn))!;
        expect(changedInputs(old.inputs, group.inputs)).to.deep.equal([]);
    });
});
