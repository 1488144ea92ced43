import { expect } from "chai";
import { CONFIG_KEYS, declarationOf } from "../../config/keys";
import { checkRequest, planChange, RehearsalRefused } from "../../twin/rehearse/changePlan";
import { REHEARSABLE, refusalOf } from "../../twin/rehearse/rehearsableKeys";

/** The refusal's message, or a failure when the request is accepted. */
function refusal(stack: string, config: Record<string, string>, from: Record<string, string> = {}): string {
    try {
        checkRequest({ stack, config, from });
    } catch (error) {
        expect(error).to.be.instanceOf(RehearsalRefused);
        return (error as Error).message;
    }
    throw new Error(`accepted ${JSON.stringify(config)}`);
}

describe("rehearse: what is refused, in one line naming the key", function () {
    it("an unknown key", function () {
        expect(refusal("dev", { shards: "2" })).to.equal(
            "shards: not a configuration key of this project (see Pulumi.yaml)",
        );
        expect(refusal("dev", { numNodeGroups: "2" }, { replicas: "1" })).to.match(
            /^replicas: not a configuration key/,
        );
    });

    it("a value the program's validation refuses, on one line", function () {
        const message = refusal("dev", { numNodeGroups: "0" });
        expect(message).to.match(/^numNodeGroups: 0 is out of range/);
        expect(message).not.to.contain("\n");
    });

    it("a change that changes nothing", function () {
        expect(refusal("dev", { numNodeGroups: "1" })).to.equal("numNodeGroups=1: no change, stack dev already has it");
        expect(refusal("prod", { nodeType: "cache.r7g.large" })).to.match(/^nodeType=cache.r7g.large: no change/);
    });

    it("each key the local cluster cannot show, saying why", function () {
        expect(refusal("dev", { vpcCidr: "10.1.0.0/16" })).to.equal(
            "vpcCidr: cannot be rehearsed locally: the local cluster has no VPC",
        );
        expect(refusal("dev", { monitoring: "false" })).to.match(/^monitoring: cannot be rehearsed locally: /);
        expect(refusal("dev", { alarmEvictions: "5" })).to.match(/^alarmEvictions: cannot be rehearsed locally: /);
        expect(refusal("dev", { logRetentionDays: "30" })).to.match(/^logRetentionDays: cannot be rehearsed locally: /);
        expect(refusal("dev", { clientAccess: "ssm" })).to.match(/^clientAccess: cannot be rehearsed locally: /);
    });

    it("takes every key's decision from its declaration: shown, or a one-line reason", function () {
        expect(Object.keys(REHEARSABLE)).to.deep.equal(CONFIG_KEYS);
        for (const key of CONFIG_KEYS) {
            const decision = REHEARSABLE[key];
            // By value: a worker that evaluated the program before this file holds config/ modules loaded afresh
            // (twin/program/programModules.ts), so the same declaration may be another object here.
            expect(decision, key).to.deep.equal(declarationOf(key).rehearsal);
            if (decision !== "shown") expect(decision.refused, key).to.match(/^[^\n]{10,}$/);
        }
        expect(REHEARSABLE.numNodeGroups).to.equal("shown");
        expect(refusalOf(["numNodeGroups", "notAKey"])).to.equal(undefined);
        expect(refusalOf(["numNodeGroups", "protect"])).to.match(/^protect: cannot be rehearsed locally: a Pulumi/);
    });

    it("accepts a change it can show, and names only the keys that change", function () {
        const { changedKeys, before, after } = checkRequest({
            stack: "dev",
            config: { numNodeGroups: "2", replicaCount: "1" },
        });
        expect(changedKeys).to.deep.equal(["numNodeGroups"]);
        expect([before.settings.numNodeGroups, after.settings.numNodeGroups]).to.deep.equal([1, 2]);
    });

    it("a replacement of a protected cluster (prod's port), after evaluating the program", async function () {
        this.timeout(60_000);
        const error = await planChange({ stack: "prod", config: { port: "6380" } }).then(
            () => undefined,
            (failure: Error) => failure,
        );
        expect(error).to.be.instanceOf(RehearsalRefused);
        expect(error!.message).to.match(/^port: replaces the cluster, which protect: true makes pulumi up refuse/);
    });

    it("plans rotation step 1 from the program's own users: an ACL change, the user modified before the function", async function () {
        this.timeout(60_000);
        const plan = await planChange({ stack: "dev", config: { passwordRotation: "add-next" } });
        expect(plan.steps.map((step) => step.kind)).to.deep.equal(["acl change"]);
        const fn = plan.users.after.find((user) => user.userName.endsWith("-function"))!;
        expect(fn.passwords).to.have.length(2);
        expect(plan.assessment.cluster).to.equal("no change");
    });
});
