/**
 * prod's production posture under mocks: the function's reserved concurrency, the log groups under the stack's own
 * rotated KMS key whose policy lets CloudWatch Logs use it for those groups only; dev without either; and the
 * configuration refusing a bad `functionConcurrency`, naming it.
 */
import { expect } from "chai";
import { validateSettings } from "../../config/validate";
import { onlyResourceOfType, ProgramRun, resourcesOfType } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";
import { MOCK_ACCOUNT_ID } from "../../twin/program/mocks";
import { connectionBudget } from "../../twin/plan/connectionBudget";

const KEY = "aws:kms/key:Key";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const FUNCTION = "aws:lambda/function:Function";

interface Statement {
    Sid: string;
    Principal: { AWS?: string; Service?: string };
    Action: string | string[];
    Resource: string;
    Condition?: Record<string, Record<string, string[]>>;
}

function keyPolicy(run: ProgramRun): Statement[] {
    return (JSON.parse(onlyResourceOfType(run, KEY).inputs.policy as string) as { Statement: Statement[] }).Statement;
}

describe("production posture: prod", function () {
    this.timeout(60_000);
    let run: ProgramRun;
    before(async () => {
        run = await evaluateProgramOnce({ stack: "prod" });
    });

    it("reserves concurrency for the function (Pulumi.prod.yaml's functionConcurrency)", () => {
        expect(onlyResourceOfType(run, FUNCTION).inputs.reservedConcurrentExecutions).to.equal(100);
    });

    it("has one KMS key, rotated, and both log groups name it", () => {
        const key = onlyResourceOfType(run, KEY);
        expect(key.name).to.equal("redis-prod-logs-key");
        expect(key.inputs).to.deep.include({ enableKeyRotation: true, deletionWindowInDays: 30 });
        const groups = resourcesOfType(run, LOG_GROUP);
        expect(groups.map((group) => group.name).sort()).to.deep.equal([
            "redis-prod-function-logs",
            "redis-prod-slow-log",
        ]);
        const keyArn = `arn:aws:mock:us-east-1:${MOCK_ACCOUNT_ID}:redis-prod-logs-key`;
        for (const group of groups) expect(group.inputs.kmsKeyId, group.name).to.equal(keyArn);
    });

    it("lets CloudWatch Logs of the stack's region use the key for the stack's two log groups only; the account administers it", () => {
        const [admin, logs] = keyPolicy(run);
        expect(admin).to.deep.include({
            Principal: { AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` },
            Action: "kms:*",
        });
        expect(logs.Principal).to.deep.equal({ Service: "logs.us-east-1.amazonaws.com" });
        expect(logs.Action).to.deep.equal([
            "kms:Encrypt*",
            "kms:Decrypt*",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:Describe*",
        ]);
        expect(logs.Condition).to.deep.equal({
            ArnLike: {
                "kms:EncryptionContext:aws:logs:arn": [
                    `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:redis-prod-slow-log-*`,
                    `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:redis-prod-function-logs-*`,
                ],
            },
        });
        // Each pattern matches the group Pulumi auto-names from it (`<name>-<random suffix>`), and no other stack's.
        const patterns = logs.Condition!.ArnLike["kms:EncryptionContext:aws:logs:arn"].map(
            (pattern) => new RegExp(`^${pattern.replace(/[.]/g, "\\.").replace(/\*/g, ".*")}$`),
        );
        const arn = (name: string) => `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:${name}`;
        expect(patterns.some((pattern) => pattern.test(arn("redis-prod-slow-log-4f2a9c1")))).to.equal(true);
        expect(patterns.some((pattern) => pattern.test(arn("redis-dev-slow-log-4f2a9c1")))).to.equal(false);
    });

    it("creates the key before the log groups use it, in its own component", () => {
        const key = onlyResourceOfType(run, KEY);
        expect(key.parentUrn).to.match(/redis-cluster:logs:LogEncryptionKey::redis-prod$/);
        for (const group of resourcesOfType(run, LOG_GROUP)) expect(group.dependencies, group.name).to.include(key.urn);
    });
});

describe("production posture: dev is unchanged", function () {
    this.timeout(60_000);

    it("has no key, no reservation, and log groups without kmsKeyId", async () => {
        const run = await evaluateProgramOnce({ stack: "dev" });
        expect(resourcesOfType(run, KEY)).to.deep.equal([]);
        expect(onlyResourceOfType(run, FUNCTION).inputs).to.not.have.property("reservedConcurrentExecutions");
        for (const group of resourcesOfType(run, LOG_GROUP))
            expect(group.inputs, group.name).to.not.have.property("kmsKeyId");
    });

    it("gets both when asked", async () => {
        const run = await evaluateProgramOnce({
            stack: "dev",
            config: { functionConcurrency: "5", logEncryption: "kms" },
        });
        expect(onlyResourceOfType(run, FUNCTION).inputs.reservedConcurrentExecutions).to.equal(5);
        const key = onlyResourceOfType(run, KEY);
        expect(key.name).to.equal("redis-dev-logs-key");
        expect(keyPolicy(run)[1].Condition!.ArnLike["kms:EncryptionContext:aws:logs:arn"]).to.deep.equal([
            `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:redis-dev-slow-log-*`,
            `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:redis-dev-function-logs-*`,
        ]);
    });
});

describe("functionConcurrency and logEncryption (validation, no mocks)", () => {
    for (const [value, reason] of [
        ["0", /0 is out of range; allowed 1–32500 concurrent instances/],
        ["-5", /-5 is out of range/],
        ["32501", /32501 is out of range/],
        ["lots", /"lots" is not a whole number/],
        ["2.5", /"2.5" is not a whole number/],
    ] as const) {
        it(`refuses functionConcurrency ${value}, naming the key, the 100-unreserved rule and what unset means`, () => {
            const result = validateSettings({ functionConcurrency: value });
            expect(result.settings).to.equal(undefined);
            expect(result.problems).to.have.length(1);
            const problem = result.problems[0];
            expect(problem.startsWith("functionConcurrency: ")).to.equal(true);
            expect(problem).to.match(reason);
            expect(problem).to.match(/keeps 100 of the account's concurrency unreserved/);
            expect(problem).to.match(/new accounts may have less than 100 in all/);
            expect(problem).to.match(/or unset for no reservation/);
        });
    }

    it("takes a whole number as Pulumi (a string) and a YAML file (a number) pass it; unset or empty is no reservation", () => {
        expect(validateSettings({ functionConcurrency: "100" }).settings?.functionConcurrency).to.equal(100);
        expect(validateSettings({ functionConcurrency: 7 }).settings?.functionConcurrency).to.equal(7);
        expect(validateSettings({ functionConcurrency: "" }).settings?.functionConcurrency).to.equal(undefined);
        expect(validateSettings({}).settings?.functionConcurrency).to.equal(undefined);
    });

    it("warns above what an account with the default quota can reserve (1,000 - 100)", () => {
        expect(validateSettings({ functionConcurrency: "900" }).warnings.join("\n")).to.not.match(
            /functionConcurrency/,
        );
        expect(validateSettings({ functionConcurrency: "901" }).warnings.join("\n")).to.match(
            /functionConcurrency: 901 is more than an account with Lambda's default quota of 1000 can reserve \(900/,
        );
    });

    it("takes logEncryption default or kms only", () => {
        expect(validateSettings({}).settings?.logEncryption).to.equal("default");
        expect(validateSettings({ logEncryption: "kms" }).settings?.logEncryption).to.equal("kms");
        expect(validateSettings({ logEncryption: "aws" }).problems).to.deep.equal([
            'logEncryption: "aws" is not allowed; allowed default, kms',
        ]);
    });

    it("bounds the worst case of connections per node by the reservation, or by the default account quota without one", () => {
        expect(connectionBudget(100)).to.deep.equal({
            instances: 100,
            reserved: true,
            perNode: 200,
            nodeLimit: 65_000,
        });
        expect(connectionBudget(undefined)).to.deep.include({ instances: 1_000, reserved: false, perNode: 2_000 });
        // The key's upper bound is where one node could be asked for more than ElastiCache's maxclients.
        expect(connectionBudget(32_500).perNode).to.equal(65_000);
    });
});
