import { expect } from "chai";
import { checkParameters, parameterGroupFamily, parseParameters } from "../../config/engineParameters";
import { givenNetworkProblems, givenSubnetProblems, parseSubnetIds } from "../../config/givenNetwork";
import { nearestNodeTypes, nodeTypeProblem, offeredNodeTypes } from "../../config/nodeTypes";
import { validateSettings } from "../../config/validate";

const VPC = "vpc-0a1b2c3d4e5f60718";
const SUBNETS = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712"];

describe("fitting an existing account: validation without mocks", () => {
    describe("nodeType against the catalog of offered types", () => {
        it("refuses cache.t4g.nano naming nodeType, the region and the nearest offered types", () => {
            const result = validateSettings({ nodeType: "cache.t4g.nano" }, { region: "us-east-1" });
            expect(result.settings).to.equal(undefined);
            expect(result.problems).to.have.length(1);
            expect(result.problems[0]).to.match(
                /^nodeType: "cache\.t4g\.nano" is not offered by ElastiCache in region us-east-1/,
            );
            expect(result.problems[0]).to.include(
                "nearest offered: cache.t4g.micro, cache.t4g.small, cache.t4g.medium",
            );
        });

        it("refuses a type a region does not offer (Mexico: no r6g) and proposes that region's types", () => {
            expect(offeredNodeTypes("mx-central-1")).to.not.include("cache.r6g.large");
            const problem = nodeTypeProblem("cache.r6g.large", "mx-central-1");
            expect(problem).to.match(
                /^nodeType: "cache\.r6g\.large" is not offered by ElastiCache in region mx-central-1/,
            );
            expect(problem).to.include("cache.m7g.large");
        });

        it("accepts the shipped stacks' types and refuses a data-tiering type the program cannot create", () => {
            expect(nodeTypeProblem("cache.t4g.micro", "us-east-1")).to.equal(undefined);
            expect(nodeTypeProblem("cache.r7g.large", "us-east-1")).to.equal(undefined);
            expect(nodeTypeProblem("cache.r6gd.xlarge", "us-east-1")).to.match(
                /^nodeType: cache\.r6gd\.xlarge keeps data on SSD/,
            );
        });

        it("finds the nearest types by size within the family, else the same size elsewhere", () => {
            expect(nearestNodeTypes("cache.m7g.3xlarge", offeredNodeTypes(undefined), 2)).to.have.length(2);
            expect(nearestNodeTypes("cache.x9.large", offeredNodeTypes(undefined), 2)).to.deep.equal([
                "cache.m7g.large",
                "cache.m6g.large",
            ]);
        });
    });

    describe("vpcId and subnetIds", () => {
        it("parses a JSON array (how Pulumi hands a YAML list), a comma-separated text and an array", () => {
            expect(parseSubnetIds(JSON.stringify(SUBNETS)).subnetIds).to.deep.equal(SUBNETS);
            expect(parseSubnetIds(SUBNETS.join(", ")).subnetIds).to.deep.equal(SUBNETS);
            expect(parseSubnetIds(SUBNETS).subnetIds).to.deep.equal(SUBNETS);
            expect(parseSubnetIds("[not json").problem).to.match(/is not a JSON array/);
        });

        it("refuses one key without the other, naming the missing one", () => {
            for (const [raw, missing] of [
                [{ vpcId: VPC }, "subnetIds"],
                [{ subnetIds: JSON.stringify(SUBNETS) }, "vpcId"],
            ] as const) {
                const result = validateSettings(raw);
                expect(result.problems, missing).to.have.length(1);
                expect(result.problems[0]).to.match(new RegExp(`^${missing}: not set but`));
            }
        });

        it("refuses malformed ids, duplicates and fewer than two subnets, each naming its key", () => {
            expect(givenNetworkProblems("vpc-xyz", SUBNETS)[0]).to.match(/^vpcId: "vpc-xyz" is not a VPC id/);
            expect(givenNetworkProblems(VPC, ["subnet-1", SUBNETS[0]])[0]).to.match(
                /^subnetIds: "subnet-1" is not a subnet id/,
            );
            const duplicate = givenNetworkProblems(VPC, [SUBNETS[0], SUBNETS[0]]);
            expect(duplicate.join("\n")).to.match(/^subnetIds: subnet-0a1b2c3d4e5f60711 given more than once/m);
            expect(duplicate.join("\n")).to.match(/^subnetIds: 1 subnet; allowed 2–20/m);
            expect(givenNetworkProblems(undefined, undefined)).to.deep.equal([]);
        });

        it("accepts a well-formed network, warning that the own VPC's keys are then ignored", () => {
            const result = validateSettings({ vpcId: VPC, subnetIds: JSON.stringify(SUBNETS), vpcCidr: "10.9.0.0/16" });
            expect(result.problems).to.deep.equal([]);
            expect(result.settings!.subnetIds).to.deep.equal(SUBNETS);
            expect(result.warnings.join("\n")).to.match(/^vpcCidr: ignored with vpcId and subnetIds/m);
        });

        it("after the lookup: refuses subnets of one AZ for a multi-AZ cluster and subnets of another VPC, naming subnetIds", () => {
            const sameZone = SUBNETS.map((id) => ({ id, vpcId: VPC, availabilityZone: "us-east-1a" }));
            expect(givenSubnetProblems(VPC, sameZone, true)[0]).to.match(
                /^subnetIds: .* are all in us-east-1a; a multi-AZ cluster .* needs subnets in at least 2 availability zones/,
            );
            expect(givenSubnetProblems(VPC, sameZone, false)).to.deep.equal([]);
            const elsewhere = [{ id: SUBNETS[0], vpcId: "vpc-0ffffffffffffffff", availabilityZone: "us-east-1a" }];
            expect(givenSubnetProblems(VPC, elsewhere, false)[0]).to.match(
                /^subnetIds: subnet-0a1b2c3d4e5f60711 is in vpc-0ffffffffffffffff, not in vpcId/,
            );
        });
    });

    describe("parameters", () => {
        it("takes a JSON object or a map, values as text", () => {
            expect(parseParameters('{"maxmemory-policy":"allkeys-lru","timeout":300}').parameters).to.deep.equal({
                "maxmemory-policy": "allkeys-lru",
                timeout: "300",
            });
            expect(parseParameters({ "maxmemory-policy": "noeviction" }).parameters).to.deep.equal({
                "maxmemory-policy": "noeviction",
            });
            expect(parseParameters('["maxmemory-policy"]').problem).to.match(/is not a map/);
        });

        it("accepts each of maxmemory-policy's 8 values and refuses another, naming parameters", () => {
            for (const policy of [
                "volatile-lru",
                "allkeys-lru",
                "volatile-lfu",
                "allkeys-lfu",
                "volatile-random",
                "allkeys-random",
                "volatile-ttl",
                "noeviction",
            ]) {
                expect(checkParameters({ "maxmemory-policy": policy }).problems, policy).to.deep.equal([]);
            }
            expect(checkParameters({ "maxmemory-policy": "lru" }).problems[0]).to.match(
                /^parameters: maxmemory-policy "lru" is not allowed; allowed volatile-lru, allkeys-lru/,
            );
        });

        it("refuses cluster-enabled no, and passes an unknown parameter with a warning", () => {
            const result = validateSettings({ parameters: '{"cluster-enabled":"no","timeout":"300"}' });
            expect(result.problems).to.have.length(1);
            expect(result.problems[0]).to.match(/^parameters: cluster-enabled "no" is not allowed; allowed only yes/);
            expect(result.warnings.join("\n")).to.match(
                /^parameters: timeout=300 passed to the parameter group unchecked/m,
            );
        });

        it("refuses parameters together with parameterGroupName", () => {
            const result = validateSettings({
                parameters: '{"maxmemory-policy":"allkeys-lru"}',
                parameterGroupName: "my-group",
            });
            expect(result.problems.join("\n")).to.match(
                /^parameters, parameterGroupName: both set; allowed one of them/m,
            );
        });

        it("knows each offered version's family", () => {
            expect(parameterGroupFamily("redis", "6.2")).to.equal("redis6.x");
            expect(parameterGroupFamily("redis", "7.1")).to.equal("redis7");
            expect(parameterGroupFamily("valkey", "8.1")).to.equal("valkey8");
        });
    });

    describe("finalSnapshot", () => {
        it("follows protect when unset, and takes true or false", () => {
            expect(validateSettings({ protect: "true" }).settings!.finalSnapshot).to.equal(true);
            expect(validateSettings({}).settings!.finalSnapshot).to.equal(false);
            expect(validateSettings({ protect: "true", finalSnapshot: "false" }).settings!.finalSnapshot).to.equal(
                false,
            );
            expect(validateSettings({ finalSnapshot: "maybe" }).problems[0]).to.match(
                /^finalSnapshot: "maybe" is not a boolean/,
            );
        });
    });
});
