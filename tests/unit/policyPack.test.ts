import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import { expect } from "chai";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
    AnalyzeDiagnostic,
    AnalyzeRequest,
    AnalyzeResponse,
    AnalyzerInfo,
    AnalyzerResourceOptions,
    ConfigureAnalyzerRequest,
    EnforcementLevel,
    PolicyConfig,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { FUNCTION_URL, REPLICATION_GROUP, rules, stackRules } from "../../policy/rules";

/**
 * Starts `policy/` the way the Pulumi CLI does for `--policy-pack policy` (the Node.js language host runs
 * `@pulumi/pulumi/cmd/run-policy-pack` in the pack's directory; it compiles the TypeScript with type checking and
 * serves the analyzer over gRPC on 127.0.0.1), then talks to it as the engine would. This is the pack that CI loads.
 */

const POLICY_DIR = path.resolve(__dirname, "..", "..", "policy");
const RUN_POLICY_PACK = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");

/** Spawns the pack; `child` is known at once so that `after` can stop it even if it never starts serving. */
function startPack(): { child: ChildProcess; port: Promise<number> } {
    // The engine address is unused by the analyzer until it is configured; any loopback address will do.
    const child = spawn(process.execPath, [RUN_POLICY_PACK, "127.0.0.1:1", "."], {
        cwd: POLICY_DIR,
        stdio: ["ignore", "pipe", "pipe"],
    });
    const port = new Promise<number>((resolve, reject) => {
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (chunk: Buffer) => {
            stdout += chunk.toString();
            const match = /^(\d+)\s*$/m.exec(stdout);
            if (match) resolve(Number(match[1]));
        });
        child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("exit", (code) =>
            reject(new Error(`policy pack exited with ${code} before serving:\n${stderr}${stdout}`)),
        );
        child.on("error", reject);
    });
    return { child, port };
}

function call<Req, Res>(
    method: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
    client: AnalyzerClient,
    request: Req,
): Promise<Res> {
    return new Promise((resolve, reject) =>
        method.call(client, request, (error, response) => (error ? reject(error) : resolve(response))),
    );
}

function analyzeRequest(type: string, name: string, props: Record<string, unknown>, protect = false): AnalyzeRequest {
    return new AnalyzeRequest()
        .setType(type)
        .setName(name)
        .setUrn(`urn:pulumi:prod::redis-cluster::${type}::${name}`)
        .setProperties(Struct.fromJavaScript(props as Record<string, never>))
        .setOptions(new AnalyzerResourceOptions().setProtect(protect));
}

const SECURE_GROUP = {
    clusterMode: "enabled",
    numNodeGroups: 3,
    replicasPerNodeGroup: 2,
    parameterGroupName: "default.redis7.cluster.on",
    transitEncryptionEnabled: true,
    atRestEncryptionEnabled: true,
    authToken: "a-generated-token-of-64-characters-is-what-the-program-creates00",
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
};

describe("the policy pack as the Pulumi CLI runs it", function () {
    this.timeout(120_000);
    let child: ChildProcess | undefined;
    let client: AnalyzerClient;

    before(async () => {
        const started = startPack();
        child = started.child;
        client = new AnalyzerClient(`127.0.0.1:${await started.port}`, grpc.credentials.createInsecure());
    });

    after(async () => {
        client?.close();
        if (child && child.exitCode === null) {
            const exited = new Promise((resolve) => child!.once("exit", resolve));
            child.kill("SIGTERM");
            await exited;
        }
    });

    async function analyze(request: AnalyzeRequest): Promise<AnalyzeDiagnostic[]> {
        return (await call<AnalyzeRequest, AnalyzeResponse>(client.analyze, client, request)).getDiagnosticsList();
    }

    async function configure(settings: Record<string, Record<string, unknown>>): Promise<void> {
        const request = new ConfigureAnalyzerRequest();
        for (const [policy, properties] of Object.entries(settings)) {
            request
                .getPolicyconfigMap()
                .set(
                    policy,
                    new PolicyConfig()
                        .setEnforcementlevel(EnforcementLevel.MANDATORY)
                        .setProperties(Struct.fromJavaScript(properties as Record<string, never>)),
                );
        }
        await call<ConfigureAnalyzerRequest, Empty>(client.configure, client, request);
    }

    it("compiles, starts and declares every rule as mandatory (the advisory posture rule as advisory), with config schemas", async () => {
        const info = await call<Empty, AnalyzerInfo>(client.getAnalyzerInfo, client, new Empty());
        expect(info.getName()).to.equal("redis-cluster-guardrails");
        expect(info.getSupportsconfig()).to.equal(true);
        const policies = info.getPoliciesList();
        expect(policies.map((policy) => policy.getName())).to.deep.equal(
            [...rules, ...stackRules].map((rule) => rule.name),
        );
        const advisory = policies
            .filter((policy) => policy.getEnforcementlevel() === EnforcementLevel.ADVISORY)
            .map((policy) => policy.getName());
        expect(advisory).to.deep.equal(["stack-posture-advisory"]);
        expect(
            policies
                .filter((policy) => !advisory.includes(policy.getName()))
                .every((policy) => policy.getEnforcementlevel() === EnforcementLevel.MANDATORY),
        ).to.equal(true);
        const urlPolicy = policies.find((policy) => policy.getName() === "lambda-function-url-auth")!;
        expect(urlPolicy.getConfigschema()?.getProperties()?.toJavaScript()).to.have.property("allowPublicFunctionUrl");
    });

    it("passes a secure replication group and reports each broken setting as a mandatory violation", async () => {
        expect(await analyze(analyzeRequest(REPLICATION_GROUP, "cache", SECURE_GROUP))).to.deep.equal([]);

        const insecure = { ...SECURE_GROUP, transitEncryptionEnabled: false, multiAzEnabled: false };
        delete (insecure as Record<string, unknown>).authToken;
        const diagnostics = await analyze(analyzeRequest(REPLICATION_GROUP, "cache", insecure));
        expect(diagnostics.map((d) => d.getPolicyname()).sort()).to.deep.equal([
            "elasticache-auth-token",
            "elasticache-multi-az",
            "elasticache-transit-encryption",
        ]);
        expect(diagnostics.every((d) => d.getEnforcementlevel() === EnforcementLevel.MANDATORY)).to.equal(true);
        expect(diagnostics.every((d) => d.getMessage().includes("Fix: "))).to.equal(true);
    });

    it("applies the policy-pack config the engine sends: protection required, public URL allowed", async () => {
        const url = analyzeRequest(FUNCTION_URL, "url", { functionName: "fn", authorizationType: "NONE" });
        expect((await analyze(url)).map((d) => d.getPolicyname())).to.deep.equal(["lambda-function-url-auth"]);
        expect(await analyze(analyzeRequest(REPLICATION_GROUP, "cache", SECURE_GROUP, false))).to.deep.equal([]);

        await configure({
            "elasticache-deletion-protection": { requireProtection: true },
            "lambda-function-url-auth": { allowPublicFunctionUrl: true },
        });
        expect(await analyze(url)).to.deep.equal([]);
        const unprotected = await analyze(analyzeRequest(REPLICATION_GROUP, "cache", SECURE_GROUP, false));
        expect(unprotected.map((d) => d.getPolicyname())).to.deep.equal(["elasticache-deletion-protection"]);
        expect(await analyze(analyzeRequest(REPLICATION_GROUP, "cache", SECURE_GROUP, true))).to.deep.equal([]);
    });
});
