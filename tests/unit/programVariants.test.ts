import { expect } from "chai";
import { evaluationError, onlyResourceOfType, resourcesOfType } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";
import { writeLambdaArchive } from "../../twin/archive/lambdaArchive";

const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

describe("the program under mocks: configurations other than the stacks'", function () {
    this.timeout(60_000);

    it("runs with no configuration at all, on the defaults the code applies (mocks apply no Pulumi.yaml defaults)", async () => {
        const run = await evaluateProgramOnce({});
        expect(onlyResourceOfType(run, REPLICATION_GROUP).inputs).to.deep.include({
            numNodeGroups: 1,
            replicasPerNodeGroup: 1,
            parameterGroupName: "default.redis6.x.cluster.on",
            transitEncryptionEnabled: true,
        });
    });

    it("takes AZ names from the region's data source: Tokyo's a, c, d rather than the tutorial's letters", async () => {
        const run = await evaluateProgramOnce({
            region: "ap-northeast-1",
            config: { availabilityZoneCount: "3", numNodeGroups: "2", replicaCount: "1", shardPlacement: "spread" },
        });
        const zones = onlyResourceOfType(run, REPLICATION_GROUP).inputs.nodeGroupConfigurations.map(
            (shard: { primaryAvailabilityZone: string; replicaAvailabilityZones: string[] }) => [
                shard.primaryAvailabilityZone,
                ...shard.replicaAvailabilityZones,
            ],
        );
        expect(zones).to.deep.equal([
            ["ap-northeast-1a", "ap-northeast-1c"],
            ["ap-northeast-1c", "ap-northeast-1d"],
        ]);
        expect(run.outputs.availabilityZones).to.deep.equal(["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]);
    });

    it("with shardPlacement spread, rotates primaries over the AZs and gives each replica the next AZ", async () => {
        const run = await evaluateProgramOnce({
            config: { numNodeGroups: "3", replicaCount: "2", availabilityZoneCount: "3", shardPlacement: "spread" },
        });
        const placement = onlyResourceOfType(run, REPLICATION_GROUP).inputs.nodeGroupConfigurations.map(
            (shard: {
                nodeGroupId: string;
                slots: string;
                primaryAvailabilityZone: string;
                replicaAvailabilityZones: string[];
                replicaCount: number;
            }) => [
                shard.nodeGroupId,
                shard.slots,
                shard.replicaCount,
                shard.primaryAvailabilityZone,
                ...shard.replicaAvailabilityZones,
            ],
        );
        // Slots are sent so that the read-back equals the configuration (no replacement on an unchanged re-run).
        expect(placement).to.deep.equal([
            ["0001", "0-5461", 2, "us-east-1a", "us-east-1b", "us-east-1c"],
            ["0002", "5462-10922", 2, "us-east-1b", "us-east-1c", "us-east-1a"],
            ["0003", "10923-16383", 2, "us-east-1c", "us-east-1a", "us-east-1b"],
        ]);
    });

    it("with shardPlacement auto, leaves placement to ElastiCache", async () => {
        const run = await evaluateProgramOnce({ config: { shardPlacement: "auto" } });
        expect(onlyResourceOfType(run, REPLICATION_GROUP).inputs).to.not.have.property("nodeGroupConfigurations");
    });

    it("turns multi-AZ off, but keeps automatic failover, with no replicas", async () => {
        const run = await evaluateProgramOnce({ config: { replicaCount: "0", numNodeGroups: "4" } });
        expect(onlyResourceOfType(run, REPLICATION_GROUP).inputs).to.deep.include({
            numNodeGroups: 4,
            replicasPerNodeGroup: 0,
            multiAzEnabled: false,
            automaticFailoverEnabled: true,
        });
    });

    it("without transit encryption creates no token and tells the function so", async () => {
        const run = await evaluateProgramOnce({ config: { transitEncryption: "false" } });
        const group = onlyResourceOfType(run, REPLICATION_GROUP);
        expect(group.inputs.transitEncryptionEnabled).to.equal(false);
        expect(group.inputs).to.not.have.property("authToken");
        expect(resourcesOfType(run, "random:index/randomPassword:RandomPassword")).to.deep.equal([]);
        expect(resourcesOfType(run, "aws:elasticache/userGroup:UserGroup")).to.deep.equal([]);
        const variables = onlyResourceOfType(run, "aws:lambda/function:Function").inputs.environment.variables;
        expect(variables.REDIS_TLS).to.equal("false");
        expect(variables).to.not.have.property("REDIS_AUTH_TOKEN");
        expect(variables).to.not.have.property("REDIS_PASSWORD");
        expect(run.outputs.redisCliCommand).to.not.match(/--tls/);
    });

    it("passes durableWrites to the function", async () => {
        const run = await evaluateProgramOnce({ config: { durableWrites: "true", transitEncryption: "false" } });
        const variables = onlyResourceOfType(run, "aws:lambda/function:Function").inputs.environment.variables;
        expect(variables.REDIS_DURABLE_WRITES).to.equal("true");
    });

    it("with functionUrlAuthType NONE grants the public invoke permission the URL needs", async () => {
        const run = await evaluateProgramOnce({ config: { functionUrlAuthType: "NONE" } });
        expect(onlyResourceOfType(run, "aws:lambda/functionUrl:FunctionUrl").inputs.authorizationType).to.equal("NONE");
        const permissions = resourcesOfType(run, "aws:lambda/permission:Permission").map(
            (permission) => permission.inputs,
        );
        expect(permissions).to.have.length(2);
        expect(permissions[0]).to.deep.include({
            action: "lambda:InvokeFunctionUrl",
            principal: "*",
            functionUrlAuthType: "NONE",
        });
        // Since October 2025 a URL also needs InvokeFunction; scoped to URL calls so the Invoke API stays closed.
        expect(permissions[1]).to.deep.include({
            action: "lambda:InvokeFunction",
            principal: "*",
            invokedViaFunctionUrl: true,
        });
    });

    it("passes engine, version, port, node type and CIDR through to the resources", async () => {
        const run = await evaluateProgramOnce({
            config: {
                engine: "valkey",
                engineVersion: "7.2",
                port: "6380",
                nodeType: "cache.m7g.large",
                vpcCidr: "10.20.0.0/24",
            },
        });
        expect(onlyResourceOfType(run, REPLICATION_GROUP).inputs).to.deep.include({
            engine: "valkey",
            engineVersion: "7.2",
            parameterGroupName: "default.valkey7.cluster.on",
            port: 6380,
            nodeType: "cache.m7g.large",
        });
        const vpc = onlyResourceOfType(run, "awsx:ec2:Vpc");
        expect(vpc.inputs).to.deep.include({ cidrBlock: "10.20.0.0/24", availabilityZoneCidrMask: 25 });
        const ports = resourcesOfType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .filter((rule) => rule.name.includes("-cache-from-"))
            .map((rule) => rule.inputs.fromPort);
        expect(ports).to.deep.equal([6380, 6380]);
    });
});

describe("the program refuses bad configuration before registering any resource", function () {
    this.timeout(60_000);
    const cases: Array<[Record<string, string>, RegExp, string?]> = [
        [{ numNodeGroups: "0" }, /numNodeGroups: 0 is out of range; allowed 1–500/],
        [{ replicaCount: "6" }, /replicaCount: 6 is out of range; allowed 0–5 replicas per shard/],
        [{ numNodeGroups: "200", replicaCount: "2" }, /200 × 3 = 600 nodes .* allowed at most 500/],
        [{ nodeType: "m5.large" }, /nodeType: "m5.large"/],
        [{ engineVersion: "6.3" }, /engineVersion: "6.3" is not offered/],
        [
            { parameterGroupName: "default.redis6.x" },
            /parameterGroupName: "default.redis6.x" does not have cluster mode on/,
        ],
        [{ port: "22" }, /port: 22 is out of range; allowed 1024–65535/],
        [
            { availabilityZoneCount: "4" },
            /availabilityZoneCount: 4 is more than region eu-west-1 offers; allowed 2–3/,
            "eu-west-1",
        ],
        [{ vpcCidr: "10.0.0.0/12" }, /vpcCidr: 10.0.0.0\/12 has a \/12 prefix; allowed \/16 to \/24/],
        [{ transitEncryption: "on" }, /transitEncryption: "on" is not a boolean; allowed true or false/],
        [{ clientHost: "no" }, /clientHost: "no" is not a boolean/],
        [{ shardPlacement: "even" }, /shardPlacement: "even" is not allowed; allowed spread, auto/],
        [{ functionUrlAuthType: "IAM" }, /functionUrlAuthType: "IAM" is not allowed; allowed AWS_IAM, NONE/],
    ];
    for (const [config, message, region] of cases) {
        it(`refuses ${JSON.stringify(config)}${region ? ` in ${region}` : ""}`, async () => {
            const { error, resources } = await evaluationError({ config, region });
            expect(error.message).to.match(message);
            expect(error.message).to.match(/^Invalid stack configuration/);
            expect(resources, "no resource may be registered").to.deep.equal([]);
        });
    }

    it("lists every problem in one error", async () => {
        const { error } = await evaluationError({ config: { numNodeGroups: "x", replicaCount: "9", port: "0" } });
        expect(error.message).to.match(/\(3 problems\)/);
        for (const key of ["numNodeGroups", "replicaCount", "port"]) expect(error.message).to.include(`  - ${key}:`);
    });
});

describe("the Lambda archive the program builds", function () {
    this.timeout(60_000);

    it("holds the serialized handler and ioredis, and no Pulumi code", async () => {
        const archive = await writeLambdaArchive({ stack: "dev" });
        try {
            console.log(
                `      archive: ${archive.files.length} files, ${(archive.unzippedBytes / 1024).toFixed(0)} KiB unzipped, ` +
                    `${(archive.zippedBytes / 1024).toFixed(0)} KiB zipped`,
            );
            expect(archive.handler).to.equal("__index.handler");
            expect(archive.files).to.include("__index.js");
            expect(archive.files).to.include("node_modules/ioredis/package.json");
            // The handler requires it for the log line's slot: a top-level dependency, not one nested under ioredis.
            expect(archive.files).to.include("node_modules/cluster-key-slot/package.json");
            expect(archive.files.filter((file) => file.includes("@pulumi"))).to.deep.equal([]);
            expect(
                archive.files.filter((file) => !file.startsWith("node_modules/") && file !== "__index.js"),
            ).to.deep.equal([]);
            expect(archive.environment).to.include.keys(
                "REDIS_CONFIGURATION_ENDPOINT",
                "REDIS_USERNAME",
                "REDIS_PASSWORD",
            );
        } finally {
            archive.remove();
        }
    });
});
