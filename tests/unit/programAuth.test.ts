/**
 * The program's authentication modes under mocks: token (one AUTH token), iam (the function's user with IAM tokens and
 * `elasticache:Connect` scoped to its group and user), the function's ACL with durable writes, and the password rotation
 * steps. rbac on the dev and prod stacks is in program.test.ts.
 */
import { expect } from "chai";
import { onlyResourceOfType, ProgramRun, resourcesOfType } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";
import { unwrapSecret } from "../../twin/program/secrets";

const USER = "aws:elasticache/user:User";
const USER_GROUP = "aws:elasticache/userGroup:UserGroup";
const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const FUNCTION = "aws:lambda/function:Function";

function userInputs(run: ProgramRun, userId: string): Record<string, any> {
    const user = resourcesOfType(run, USER).find((candidate) => candidate.inputs.userId === userId);
    if (!user) throw new Error(`no user ${userId}`);
    return user.inputs;
}

function passwordsOf(run: ProgramRun, userId: string): string[] {
    return (unwrapSecret(userInputs(run, userId).authenticationMode).value.passwords ?? []).map(
        (p: unknown) => unwrapSecret(p).value,
    );
}

function environmentOf(run: ProgramRun): Record<string, string> {
    return unwrapSecret(onlyResourceOfType(run, FUNCTION).inputs.environment).value.variables;
}

describe("the program under mocks: authentication modes", function () {
    this.timeout(120_000);

    it("authMode token: one generated AUTH token, no users, the token in the function's environment", async () => {
        const run = await evaluateProgramOnce({ stack: "dev", config: { authMode: "token" } });
        const token = unwrapSecret(onlyResourceOfType(run, REPLICATION_GROUP).inputs.authToken);
        expect(token.secret, "authToken input must be a secret").to.equal(true);
        expect(token.value).to.match(/^[A-Za-z0-9]{64}$/);
        expect(onlyResourceOfType(run, REPLICATION_GROUP).inputs).to.not.have.property("userGroupIds");
        expect(onlyResourceOfType(run, REPLICATION_GROUP).inputs).to.not.have.property("authTokenUpdateStrategy");
        expect(resourcesOfType(run, USER)).to.deep.equal([]);
        expect(environmentOf(run))
            .to.include({ REDIS_AUTH_TOKEN: token.value })
            .and.not.have.property("REDIS_USERNAME");
        expect(run.secretOutputs).to.include("authToken");
        expect(run.outputs).to.deep.include({ authToken: token.value });
        expect(run.outputs).to.not.have.property("operatorUserName");
        expect(run.outputs.redisCliCommand).to.match(/^redis-cli -c --tls --askpass -h /);
    });

    describe("authMode iam with valkey 8.1", function () {
        let run: ProgramRun;
        before(async () => {
            run = await evaluateProgramOnce({
                stack: "dev",
                config: { authMode: "iam", engine: "valkey", engineVersion: "8.1" },
            });
        });

        it("makes the function's user an IAM user (user id = user name) in a redis user group, which valkey accepts", () => {
            expect(userInputs(run, "redis-dev-function")).to.deep.include({
                userName: "redis-dev-function",
                engine: "redis",
            });
            expect(unwrapSecret(userInputs(run, "redis-dev-function").authenticationMode).value).to.deep.equal({
                type: "iam",
            });
            expect(onlyResourceOfType(run, USER_GROUP).inputs).to.deep.include({ engine: "redis" });
            // Operators still log in with a password: redis-cli cannot sign IAM tokens.
            expect(passwordsOf(run, "redis-dev-operator")).to.have.length(1);
        });

        it("puts no password or token in the function's environment, only the user and the group to sign for", () => {
            const variables = environmentOf(run);
            expect(variables).to.include({
                REDIS_USERNAME: "redis-dev-function",
                REDIS_IAM_CACHE_NAME: "redis-dev-cache-id",
            });
            expect(variables).to.not.have.any.keys("REDIS_PASSWORD", "REDIS_AUTH_TOKEN");
            const secrets = resourcesOfType(run, "random:index/randomPassword:RandomPassword").map((p) => p.name);
            expect(secrets.some((name) => name.includes("function"))).to.equal(false);
        });

        it("lets the function's role elasticache:Connect to this replication group and this user only", () => {
            const policy = JSON.parse(onlyResourceOfType(run, "aws:iam/rolePolicy:RolePolicy").inputs.policy);
            const connect = policy.Statement.filter((statement: { Action: string[] }) =>
                statement.Action.includes("elasticache:Connect"),
            );
            expect(connect).to.have.length(1);
            expect(connect[0].Action).to.deep.equal(["elasticache:Connect"]);
            expect(connect[0].Resource).to.deep.equal([
                "arn:aws:mock:us-east-1:123456789012:redis-dev-cache",
                "arn:aws:mock:us-east-1:123456789012:redis-dev-function-user",
            ]);
        });
    });

    it("gives operators channel patterns (&*) only where the engine has them (Redis OSS 6.2+)", async () => {
        const old = await evaluateProgramOnce({ stack: "dev", config: { engineVersion: "6.0" } });
        expect(userInputs(old, "redis-dev-operator").accessString).to.equal("on ~* +@all");
        const current = await evaluateProgramOnce({ stack: "dev", config: { engineVersion: "7.1" } });
        expect(userInputs(current, "redis-dev-operator").accessString).to.equal("on ~* &* +@all");
    });

    it("grants WAIT to the function only with durable writes", async () => {
        const run = await evaluateProgramOnce({ stack: "dev", config: { durableWrites: "true" } });
        expect(userInputs(run, "redis-dev-function").accessString).to.equal(
            "on ~* -@all +cluster|slots +cluster|info +client|setname +readonly +asking +set +get +wait",
        );
    });

    it("rotates passwords in steps: add the next, move the clients, drop the old", async () => {
        const steps = [
            { passwordVersion: "1", passwordRotation: "none" },
            { passwordVersion: "1", passwordRotation: "add-next" },
            { passwordVersion: "1", passwordRotation: "use-next" },
            { passwordVersion: "2", passwordRotation: "none" },
        ];
        const seen = [];
        for (const config of steps) {
            const run = await evaluateProgramOnce({ stack: "dev", config });
            seen.push({
                functionPasswords: passwordsOf(run, "redis-dev-function"),
                operatorPasswords: passwordsOf(run, "redis-dev-operator"),
                inUse: environmentOf(run).REDIS_PASSWORD,
                operatorInUse: run.outputs.operatorPassword,
            });
        }
        const [first, added, moved, dropped] = seen;
        const [oldFn, newFn] = added.functionPasswords;
        expect(first.functionPasswords).to.deep.equal([oldFn]);
        expect(newFn).to.not.equal(oldFn);
        expect([first.inUse, added.inUse, moved.inUse, dropped.inUse]).to.deep.equal([oldFn, oldFn, newFn, newFn]);
        expect(moved.functionPasswords).to.deep.equal([oldFn, newFn]);
        expect(dropped.functionPasswords).to.deep.equal([newFn]);
        const [oldOp, newOp] = added.operatorPasswords;
        expect([first.operatorInUse, added.operatorInUse, moved.operatorInUse, dropped.operatorInUse]).to.deep.equal([
            oldOp,
            oldOp,
            newOp,
            newOp,
        ]);
        expect(dropped.operatorPasswords).to.deep.equal([newOp]);
    });
});
