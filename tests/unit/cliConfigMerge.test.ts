import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { PROJECT_NAME } from "../../config/project";
import { readStackFiles } from "../../config/stackFiles";
import { validateSettings } from "../../config/validate";
import { mergeAsCli, projectKeys, ProjectFile, StackFile } from "../../twin/program/cliConfigMerge";
import { onlyResourceOfType } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";
import { KEY_CHANGES } from "../../twin/plan/configChanges";

/**
 * Config as `pulumi preview`/`up` builds it: Pulumi.yaml's defaults merged under a stack file (twin/program/cliConfigMerge.ts,
 * after pulumi/pulumi's mergeConfig), then the real program evaluated under mocks with exactly that.
 */
const ROOT = path.resolve(__dirname, "..", "..");
const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const projectFile = (): ProjectFile => parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
const stackFile = (stack: string): StackFile => parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"));

describe("config as the Pulumi CLI merges it (Pulumi.yaml defaults under the stack file)", function () {
    this.timeout(60_000);

    it("`pulumi config set engine valkey` alone evaluates to valkey 8.1 and its cluster-mode parameter group", async () => {
        // What `pulumi config set redis-cluster:engine valkey` leaves in a fresh Pulumi.<stack>.yaml.
        const merged = mergeAsCli(projectFile(), {
            config: { "aws:region": "us-east-1", "redis-cluster:engine": "valkey" },
        });
        expect(merged[`${PROJECT_NAME}:engineVersion`], "the CLI passes the declared default through").to.equal("");
        const run = await evaluateProgramOnce({
            config: projectKeys(PROJECT_NAME, merged),
            region: merged["aws:region"],
        });
        expect(onlyResourceOfType(run, REPLICATION_GROUP).inputs).to.deep.include({
            engine: "valkey",
            engineVersion: "8.1",
            parameterGroupName: "default.valkey8.cluster.on",
        });
    });

    it("with the former Pulumi.yaml default (engineVersion 6.2) the same stack was refused: the issue was real", () => {
        const former = projectFile();
        const config = { ...former.config, engineVersion: { ...former.config!.engineVersion, default: "6.2" } };
        const merged = mergeAsCli({ ...former, config }, { config: { "redis-cluster:engine": "valkey" } });
        expect(validateSettings(projectKeys(PROJECT_NAME, merged)).problems).to.deep.equal([
            'engineVersion: "6.2" is not offered for engine valkey; allowed 7.2, 8.0, 8.1',
        ]);
    });

    it("clientAccess: dev reaches its host through instance-connect; prod, with no host, gets no warning about it", () => {
        const dev = validateSettings(projectKeys(PROJECT_NAME, mergeAsCli(projectFile(), stackFile("dev"))));
        expect(dev.settings).to.deep.include({ clientHost: true, clientAccess: "instance-connect" });
        const prod = validateSettings(projectKeys(PROJECT_NAME, mergeAsCli(projectFile(), stackFile("prod"))));
        expect(prod.settings?.clientHost).to.equal(false);
        expect(prod.warnings.filter((warning) => warning.startsWith("clientAccess"))).to.deep.equal([]);
        // `pulumi config set clientAccess ssm` on prod: set, and ignored with a warning.
        const prodSsm = { config: { ...stackFile("prod").config, "redis-cluster:clientAccess": "ssm" } };
        const warned = validateSettings(projectKeys(PROJECT_NAME, mergeAsCli(projectFile(), prodSsm)));
        expect(warned.warnings.filter((warning) => warning.startsWith("clientAccess"))).to.deep.equal([
            "clientAccess: ssm is ignored because clientHost is false: there is no host to reach",
        ]);
    });

    it("every key set alone to another allowed value is accepted: no default merged from Pulumi.yaml contradicts it", () => {
        // Each key's representative change of the safe-change guide, applied alone to a fresh stack file (on top of the
        // settings it starts from, when it names them: scaling needs a node type auto scaling supports).
        for (const [key, change] of Object.entries(KEY_CHANGES)) {
            const fresh = validateSettings({}).settings!;
            const set = { ...change.from?.(fresh), ...change.to(fresh) };
            const stack = Object.fromEntries(Object.entries(set).map(([k, v]) => [`${PROJECT_NAME}:${k}`, v]));
            const merged = mergeAsCli(projectFile(), { config: stack });
            expect(
                validateSettings(projectKeys(PROJECT_NAME, merged)).problems,
                `${key}: ${JSON.stringify(set)}`,
            ).to.deep.equal([]);
        }
    });

    it("keeps what the stack sets and fills the rest from Pulumi.yaml, all as text", () => {
        const merged = mergeAsCli(projectFile(), stackFile("prod"));
        expect(merged).to.include({
            "redis-cluster:numNodeGroups": "3",
            "redis-cluster:shardPlacement": "auto",
            "redis-cluster:protect": "true",
            "redis-cluster:port": "6379",
            "redis-cluster:transitEncryption": "true",
            "redis-cluster:parameterGroupName": "",
            "aws:region": "us-east-1",
        });
        expect(Object.keys(projectKeys(PROJECT_NAME, merged)).sort()).to.deep.equal(
            Object.keys(projectFile().config!).sort(),
        );
    });

    it("a `default:` wins over a `value:`, and an unprefixed key belongs to the project (as in mergeConfig)", () => {
        const merged = mergeAsCli(
            {
                name: "p",
                config: { a: { default: 1, value: 2 }, b: { value: false }, "aws:region": { value: "eu-west-1" } },
            },
            {},
        );
        expect(merged).to.deep.equal({ "p:a": "1", "p:b": "false", "aws:region": "eu-west-1" });
    });

    it("the local tools' reader (config/stackFiles.ts: npm start, plan, tests) sees what the CLI merge gives", () => {
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cli-merge-"));
        try {
            fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(scratch, "Pulumi.yaml"));
            const stacks: Record<string, StackFile> = {
                dev: stackFile("dev"),
                prod: stackFile("prod"),
                valkey: { config: { "redis-cluster:engine": "valkey" } },
            };
            for (const [stack, file] of Object.entries(stacks)) {
                fs.writeFileSync(path.join(scratch, `Pulumi.${stack}.yaml`), stringify(file));
                const local = readStackFiles(stack, scratch);
                const cli = mergeAsCli(projectFile(), file);
                expect(
                    Object.fromEntries(Object.entries(local.values).map(([k, v]) => [k, String(v)])),
                    stack,
                ).to.deep.equal(cli);
                expect(validateSettings(local.projectValues).settings, stack).to.deep.equal(
                    validateSettings(projectKeys(PROJECT_NAME, cli)).settings,
                );
            }
        } finally {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });
});
