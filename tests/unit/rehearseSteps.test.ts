import { expect } from "chai";
import { passwordGenerations } from "../../config/redisUsers";
import type { ProgramRedisUser } from "../../twin/cluster/redisUsers";
import { loadStack } from "../../twin/program/stackSettings";
import { deriveSteps, StepInputs } from "../../twin/rehearse/deriveSteps";
import { describeStep, ReshapeStep } from "../../twin/rehearse/steps";

/** The function's user as the program declares it at a rotation step: the passwords of the accepted generations. */
function usersAt(version: number, rotation: "none" | "add-next" | "use-next"): ProgramRedisUser[] {
    const { accepted } = passwordGenerations(version, rotation);
    return [
        {
            userId: "redis-dev-function",
            userName: "redis-dev-function",
            accessString: "on ~* -@all +get +set",
            passwords: accepted.map((generation) => `password-${generation}`),
            iam: false,
        },
    ];
}

function environmentAt(version: number, rotation: "none" | "add-next" | "use-next"): Record<string, string> {
    return {
        REDIS_USERNAME: "redis-dev-function",
        REDIS_PASSWORD: `password-${passwordGenerations(version, rotation).inUse}`,
    };
}

function inputs(
    before: Record<string, string>,
    after: Record<string, string>,
    more: Partial<StepInputs> = {},
): StepInputs {
    return {
        before: loadStack("dev", before).settings,
        after: loadStack("dev", after).settings,
        cluster: { verdict: "update in place", reasons: [] },
        usersBefore: usersAt(1, "none"),
        usersAfter: usersAt(1, "none"),
        environmentBefore: environmentAt(1, "none"),
        environmentAfter: environmentAt(1, "none"),
        functionAfterUsers: true,
        ...more,
    };
}

const kinds = (steps: readonly ReshapeStep[]) => steps.map((step) => step.kind);

describe("rehearse: the steps a change is carried out in", function () {
    it("numNodeGroups up and down: shards added or removed, by the difference", function () {
        expect(deriveSteps(inputs({}, { numNodeGroups: "3" }))).to.deep.equal([{ kind: "add shards", count: 2 }]);
        expect(deriveSteps(inputs({ numNodeGroups: "4" }, { numNodeGroups: "3" }))).to.deep.equal([
            { kind: "remove shards", count: 1 },
        ]);
    });

    it("replicaCount: replicas added to or removed from every shard, after the shards (the provider's order)", function () {
        expect(deriveSteps(inputs({}, { replicaCount: "0" }))).to.deep.equal([
            { kind: "remove replicas", perShard: 1 },
        ]);
        expect(kinds(deriveSteps(inputs({}, { numNodeGroups: "2", replicaCount: "3" })))).to.deep.equal([
            "add shards",
            "add replicas",
        ]);
    });

    it("nodeType and engineVersion: one rolling replacement naming both", function () {
        const [step, ...rest] = deriveSteps(inputs({}, { nodeType: "cache.r7g.xlarge", engineVersion: "7.1" }));
        expect(rest).to.deep.equal([]);
        expect(step.kind).to.equal("rolling replace");
        expect(describeStep(step))
            .to.contain("nodeType cache.t4g.micro → cache.r7g.xlarge")
            .and.contain("engineVersion");
    });

    it("a replacement verdict: one step, a new empty cluster, whatever else changed", function () {
        const steps = deriveSteps(
            inputs(
                {},
                { port: "6380", numNodeGroups: "2" },
                {
                    cluster: { verdict: "replacement", reasons: ["replacement: port"] },
                },
            ),
        );
        expect(steps).to.deep.equal([{ kind: "replace cluster", because: "replacement: port" }]);
    });

    it("rotation step 1 (add-next): an ACL change only; the function keeps its password", function () {
        const steps = deriveSteps(
            inputs(
                {},
                { passwordRotation: "add-next" },
                {
                    usersAfter: usersAt(1, "add-next"),
                    environmentAfter: environmentAt(1, "add-next"),
                },
            ),
        );
        expect(kinds(steps)).to.deep.equal(["acl change"]);
        const [acl] = steps as Extract<ReshapeStep, { kind: "acl change" }>[];
        expect(acl.after[0].passwords).to.deep.equal(["password-1", "password-2"]);
        expect(acl.tokenRemoved).to.equal(false);
    });

    it("rotation step 2 (use-next): the function's environment only; the users already accept both", function () {
        const steps = deriveSteps(
            inputs(
                { passwordRotation: "add-next" },
                { passwordRotation: "use-next" },
                {
                    usersBefore: usersAt(1, "add-next"),
                    usersAfter: usersAt(1, "use-next"),
                    environmentBefore: environmentAt(1, "add-next"),
                    environmentAfter: environmentAt(1, "use-next"),
                },
            ),
        );
        expect(steps).to.deep.equal([{ kind: "function environment", variables: ["REDIS_PASSWORD"] }]);
    });

    it("rotation step 3 (passwordVersion + 1, none): the old password dropped by an ACL change; the function is untouched", function () {
        const steps = deriveSteps(
            inputs(
                { passwordRotation: "use-next" },
                { passwordVersion: "2", passwordRotation: "none" },
                {
                    usersBefore: usersAt(1, "use-next"),
                    usersAfter: usersAt(2, "none"),
                    environmentBefore: environmentAt(1, "use-next"),
                    environmentAfter: environmentAt(2, "none"),
                },
            ),
        );
        expect(kinds(steps)).to.deep.equal(["acl change"]);
    });

    it("skipping to the new password in one step: the user is modified before the function that uses it", function () {
        const jump = {
            usersAfter: usersAt(2, "none"),
            environmentAfter: environmentAt(2, "none"),
        };
        expect(kinds(deriveSteps(inputs({}, { passwordVersion: "2" }, jump)))).to.deep.equal([
            "acl change",
            "function environment",
        ]);
        // Without the dependency edge nothing orders them: the function may go first, and the rehearsal shows it so.
        expect(
            kinds(deriveSteps(inputs({}, { passwordVersion: "2" }, { ...jump, functionAfterUsers: false }))),
        ).to.deep.equal(["function environment", "acl change"]);
    });

    it("authMode token → rbac: the users replace the token in the cluster's own modification, then the function", function () {
        const steps = deriveSteps(
            inputs(
                { authMode: "token" },
                { numNodeGroups: "2" },
                {
                    usersBefore: [],
                    usersAfter: usersAt(1, "none"),
                    environmentBefore: { REDIS_AUTH_TOKEN: "token" },
                    environmentAfter: environmentAt(1, "none"),
                },
            ),
        );
        expect(kinds(steps)).to.deep.equal(["add shards", "acl change", "function environment"]);
        expect((steps[1] as Extract<ReshapeStep, { kind: "acl change" }>).tokenRemoved).to.equal(true);
        expect((steps[2] as Extract<ReshapeStep, { kind: "function environment" }>).variables).to.deep.equal([
            "REDIS_AUTH_TOKEN",
            "REDIS_PASSWORD",
            "REDIS_USERNAME",
        ]);
    });

    it("durableWrites with a shard: the function's user gains WAIT first, the shard, then the function", function () {
        const waiting = usersAt(1, "none").map((user) => ({ ...user, accessString: `${user.accessString} +wait` }));
        const steps = deriveSteps(
            inputs(
                {},
                { durableWrites: "true", numNodeGroups: "2" },
                {
                    usersAfter: waiting,
                    environmentAfter: { ...environmentAt(1, "none"), REDIS_DURABLE_WRITES: "true" },
                },
            ),
        );
        expect(kinds(steps)).to.deep.equal(["acl change", "add shards", "function environment"]);
    });
});
