/**
 * The RedisUsers component built alone under the shared mocks (no program around it): what it registers for each way
 * the function authenticates, and what it hands to the cluster and the function.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ProgramMocks, RecordedResource } from "../../twin/program/mocks";
import { promiseOf } from "../../twin/program/evaluateProgram";
import { unwrapSecret } from "../../twin/program/secrets";

async function build(
    functionAuthentication: "password" | "iam",
): Promise<{ resources: RecordedResource[]; outputs: Record<string, unknown> }> {
    const mocks = new ProgramMocks();
    await pulumi.runtime.setMocks(mocks, "redis-cluster", "component-test", false);
    mocks.observe(pulumi.runtime.getMonitor() as never);
    // Required after setMocks, so the component's resources register with these mocks.
    const { RedisUsers } =
        require("../../components/cache/redisUsers") as typeof import("../../components/cache/redisUsers");
    const users = new RedisUsers("t", {
        prefix: "redis-t",
        engine: "valkey",
        engineVersion: "8.1",
        functionAuthentication,
        durableWrites: false,
        passwordVersion: 3,
        passwordRotation: "use-next",
    });
    const outputs = {
        userGroupId: await promiseOf(users.userGroupId),
        functionUserName: await promiseOf(users.functionUser.userName),
        functionPassword: users.functionUser.password && (await promiseOf(users.functionUser.password)),
        functionPasswordSecret: users.functionUser.password && (await pulumi.isSecret(users.functionUser.password)),
        operatorPassword: users.operatorUser.password && (await promiseOf(users.operatorUser.password)),
    };
    await pulumi.runtime.disconnect();
    return { resources: mocks.resources, outputs };
}

describe("RedisUsers, alone under mocks", function () {
    this.timeout(30_000);

    it("with passwords: three users in one group, each accepting generations 3 and 4, the function using 4 (a secret)", async () => {
        const { resources, outputs } = await build("password");
        const group = resources.find((resource) => resource.type === "aws:elasticache/userGroup:UserGroup")!;
        // On a valkey cluster too, the users and the group are of engine redis, under the id earlier releases gave.
        expect(group.inputs).to.deep.include({ userGroupId: "redis-t-users-redis", engine: "redis" });
        const engines = resources
            .filter((resource) => resource.type === "aws:elasticache/user:User")
            .map((user) => user.inputs.engine);
        expect(engines).to.deep.equal(["redis", "redis", "redis"]);
        expect(group.inputs.userIds).to.deep.equal(["redis-t-default", "redis-t-function", "redis-t-operator"]);
        const passwords = resources
            .filter((resource) => resource.type === "random:index/randomPassword:RandomPassword")
            .map((p) => p.name);
        expect(passwords.sort()).to.deep.equal(
            [
                "t-default-password-1",
                "t-function-password-3",
                "t-function-password-4",
                "t-operator-password-3",
                "t-operator-password-4",
            ].sort(),
        );
        const fn = resources.find((resource) => resource.inputs.userId === "redis-t-function")!;
        const accepted = unwrapSecret(fn.inputs.authenticationMode).value.passwords.map(
            (p: unknown) => unwrapSecret(p).value,
        );
        expect(accepted).to.have.length(2);
        expect(outputs.functionPassword).to.equal(accepted[1]);
        expect(outputs.functionPasswordSecret).to.equal(true);
        expect(outputs.operatorPassword).to.not.equal(outputs.functionPassword);
        expect(outputs).to.deep.include({ userGroupId: "redis-t-users-redis", functionUserName: "redis-t-function" });
    });

    it("with IAM: the function's user has no password at all, the others keep theirs", async () => {
        const { resources, outputs } = await build("iam");
        const fn = resources.find((resource) => resource.inputs.userId === "redis-t-function")!;
        expect(unwrapSecret(fn.inputs.authenticationMode).value).to.deep.equal({ type: "iam" });
        expect(fn.inputs.userName).to.equal(fn.inputs.userId);
        expect(resources.some((resource) => resource.name.startsWith("t-function-password"))).to.equal(false);
        expect(outputs.functionPassword).to.equal(undefined);
        expect(outputs.operatorPassword).to.be.a("string");
    });
});
