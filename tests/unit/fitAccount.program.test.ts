import { expect } from "chai";
import {
    evaluateProgram,
    evaluationError,
    onlyResourceOfType,
    ProgramRun,
    resourcesOfType,
} from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";

const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const PARAMETER_GROUP = "aws:elasticache/parameterGroup:ParameterGroup";
const VPC = "vpc-0a1b2c3d4e5f60718";
const SUBNETS = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"];
const GIVEN = { vpcId: VPC, subnetIds: JSON.stringify(SUBNETS) };

/** Every input of a resource that names a subnet, as a flat list. */
function subnetInputs(run: ProgramRun): { resource: string; subnets: string[] }[] {
    const found: { resource: string; subnets: string[] }[] = [];
    for (const resource of run.resources.filter((r) => r.custom)) {
        const inputs = resource.inputs;
        const subnets = [
            ...(inputs.subnetIds ?? []),
            ...(inputs.subnetId ? [inputs.subnetId] : []),
            ...(inputs.vpcConfig?.subnetIds ?? []),
        ];
        if (subnets.length > 0) found.push({ resource: `${resource.type} ${resource.name}`, subnets });
    }
    return found;
}

describe("fitting an existing account: the program under mocks", function () {
    this.timeout(60_000);

    it("with vpcId and subnetIds: registers no VPC, subnet or VPC endpoint, and puts every subnet-bound resource in the given subnets", async () => {
        const run = await evaluateProgramOnce({ stack: "dev", config: GIVEN });
        const networkTypes = run.resources.filter((r) =>
            /^(awsx:ec2:Vpc|aws:ec2\/(vpc|subnet|vpcEndpoint|routeTable|internetGateway|natGateway):)/.test(r.type),
        );
        expect(networkTypes.map((r) => r.type)).to.deep.equal([]);
        expect(resourcesOfType(run, "redis-cluster:network:Network")).to.have.length(0);
        const placed = subnetInputs(run);
        // The subnet group, the function, the client host and its Instance Connect Endpoint.
        expect(placed.map((entry) => entry.resource.split(" ")[0]).sort()).to.deep.equal([
            "aws:ec2/instance:Instance",
            "aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint",
            "aws:elasticache/subnetGroup:SubnetGroup",
            "aws:lambda/function:Function",
        ]);
        for (const entry of placed) expect(SUBNETS, entry.resource).to.include.members(entry.subnets);
        expect(onlyResourceOfType(run, "aws:elasticache/subnetGroup:SubnetGroup").inputs.subnetIds).to.deep.equal(
            SUBNETS,
        );
        for (const group of resourcesOfType(run, "aws:ec2/securityGroup:SecurityGroup")) {
            expect(group.inputs.vpcId, group.name).to.equal(VPC);
        }
        // The AZs are the subnets' own, read through aws.ec2.getSubnet.
        expect(run.outputs.availabilityZones).to.deep.equal(["us-east-1b", "us-east-1c"]);
        // The host reaches its packages through the network's own route, to S3's managed prefix list and nowhere else:
        // no egress to an open range, which the policy pack would refuse.
        const egress = resourcesOfType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
        const toS3 = egress.find((rule) => rule.name === "redis-dev-client-host-to-s3")!;
        expect(toS3.inputs).to.deep.include({ fromPort: 443, toPort: 443, prefixListId: "pl-63a5400a" });
        expect(egress.filter((rule) => rule.inputs.cidrIpv4 !== undefined).map((rule) => rule.name)).to.deep.equal([]);
    });

    it("with clientAccess ssm in a given network: HTTPS from the host to the VPC's CIDR (the network's own endpoints) only", async () => {
        const run = await evaluateProgram({ stack: "dev", config: { ...GIVEN, clientAccess: "ssm" } });
        const egress = resourcesOfType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule");
        const open = egress.filter((rule) => rule.inputs.cidrIpv4 !== undefined);
        expect(open.map((rule) => [rule.name, rule.inputs.cidrIpv4, rule.inputs.fromPort])).to.deep.equal([
            ["redis-dev-client-host-to-vpc-endpoints", "10.20.0.0/16", 443],
        ]);
        expect(resourcesOfType(run, "aws:ec2/vpcEndpoint:VpcEndpoint")).to.deep.equal([]);
        expect(resourcesOfType(run, "aws:iam/role:Role").map((role) => role.name)).to.include(
            "redis-dev-client-host-role",
        );
    });

    it("reads the AZs from the subnets: two subnets in one AZ with replicaCount 1 fail naming subnetIds, before anything is placed in them", async () => {
        const { error, resources } = await evaluationError({
            stack: "dev",
            config: GIVEN,
            subnets: {
                [SUBNETS[0]]: { availabilityZone: "us-east-1a" },
                [SUBNETS[1]]: { availabilityZone: "us-east-1a" },
            },
        });
        expect(error.message).to.match(/subnetIds: .* are all in us-east-1a; a multi-AZ cluster/);
        expect(subnetInputs({ resources } as ProgramRun)).to.deep.equal([]);
        expect(resources.map((r) => r.type)).to.not.include(REPLICATION_GROUP);
    });

    it("refuses bad network configuration before registering any resource, naming the key", async () => {
        for (const [config, pattern] of [
            [{ vpcId: VPC }, /subnetIds: not set but vpcId is/],
            [{ ...GIVEN, subnetIds: JSON.stringify([SUBNETS[0]]) }, /subnetIds: 1 subnet; allowed 2–20/],
            [{ ...GIVEN, vpcId: "vpc-nope" }, /vpcId: "vpc-nope" is not a VPC id/],
        ] as const) {
            const { error, resources } = await evaluationError({ stack: "dev", config });
            expect(error.message).to.match(pattern);
            expect(resources, JSON.stringify(config)).to.have.length(0);
        }
    });

    it("parameters: registers a group of the version's family with cluster-enabled yes, and the cluster uses it", async () => {
        const run = await evaluateProgramOnce({
            stack: "dev",
            config: { parameters: '{"maxmemory-policy":"allkeys-lru"}' },
        });
        const group = onlyResourceOfType(run, PARAMETER_GROUP);
        expect(group.name).to.equal("redis-dev-params-redis6-x");
        expect(group.inputs).to.deep.include({ family: "redis6.x", name: "redis-dev-redis6-x" });
        expect(group.inputs.parameters).to.deep.equal([
            { name: "cluster-enabled", value: "yes" },
            { name: "maxmemory-policy", value: "allkeys-lru" },
        ]);
        expect(group.options.deleteBeforeReplace).to.equal(false);
        expect(onlyResourceOfType(run, REPLICATION_GROUP).inputs.parameterGroupName).to.equal("redis-dev-redis6-x");
    });

    it("parameters on an engine upgrade: a new group named for the new family (a new resource, created first)", async () => {
        const run = await evaluateProgram({
            stack: "dev",
            config: { parameters: '{"maxmemory-policy":"allkeys-lru"}', engineVersion: "7.1" },
        });
        const group = onlyResourceOfType(run, PARAMETER_GROUP);
        expect(group.name).to.equal("redis-dev-params-redis7");
        expect(group.inputs.family).to.equal("redis7");
        expect(onlyResourceOfType(run, REPLICATION_GROUP).inputs.parameterGroupName).to.equal("redis-dev-redis7");
    });

    it("refuses cache.t4g.nano naming nodeType before registering anything", async () => {
        const { error, resources } = await evaluationError({ stack: "dev", config: { nodeType: "cache.t4g.nano" } });
        expect(error.message).to.match(
            /nodeType: "cache\.t4g\.nano" is not offered by ElastiCache in region us-east-1/,
        );
        expect(resources).to.have.length(0);
    });

    it("finalSnapshot: prod (protect on) names a final snapshot per stack; dev (protect off) none", async () => {
        const prod = await evaluateProgramOnce({ stack: "prod" });
        expect(onlyResourceOfType(prod, REPLICATION_GROUP).inputs.finalSnapshotIdentifier).to.equal("redis-prod-final");
        const dev = await evaluateProgramOnce({ stack: "dev" });
        expect(onlyResourceOfType(dev, REPLICATION_GROUP).inputs.finalSnapshotIdentifier).to.equal(undefined);
        expect(resourcesOfType(dev, PARAMETER_GROUP)).to.have.length(0);
    });
});
