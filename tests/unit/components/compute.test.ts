/**
 * The Compute component built alone under mocks: each client (function, client host) owns its security group and
 * adds the rules that let it into the cache and the Session Manager endpoints, named for itself.
 */
import { expect } from "chai";
import { Compute, ComputeArgs } from "../../../components/compute";
import { evaluateResources, RecordedResource } from "../../../twin/program/evaluateProgram";

const ARGS: ComputeArgs = {
    vpcId: "vpc-1",
    functionSubnetIds: ["subnet-1", "subnet-2"],
    clientHost: { subnetId: "subnet-1", endpointSecurityGroupId: "sg-endpoints", s3PrefixListId: "pl-s3" },
    redis: { configurationEndpointAddress: "cfg.example", port: 6390, transitEncryption: false, authToken: undefined, securityGroupId: "sg-cache" },
    functionUrlAuthType: "AWS_IAM",
    durableWrites: false,
    logRetentionDays: 7,
};

const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

function rules(resources: RecordedResource[], type: string): Record<string, Record<string, unknown>> {
    return Object.fromEntries(
        resources
            .filter((resource) => resource.type === type)
            .map((resource) => {
                const { securityGroupId, referencedSecurityGroupId, prefixListId, fromPort, toPort } = resource.inputs;
                return [resource.name, { securityGroupId, to: referencedSecurityGroupId ?? prefixListId, fromPort, toPort }];
            }),
    );
}

describe("Compute (alone under mocks)", function () {
    this.timeout(60_000);

    it("each client owns its group and adds its own rules on the cache's and the endpoints' groups, named for itself", async () => {
        const { resources } = await evaluateResources(() => new Compute("x", ARGS));
        const groups = resources.filter((resource) => resource.type === "aws:ec2/securityGroup:SecurityGroup").map((group) => group.name);
        expect(groups.sort()).to.deep.equal(["x-client-host-sg", "x-function-sg"]);
        expect(rules(resources, INGRESS)).to.deep.equal({
            "x-cache-from-client-host": { securityGroupId: "sg-cache", to: "x-client-host-sg-id", fromPort: 6390, toPort: 6390 },
            "x-cache-from-function": { securityGroupId: "sg-cache", to: "x-function-sg-id", fromPort: 6390, toPort: 6390 },
            "x-endpoints-from-client-host": { securityGroupId: "sg-endpoints", to: "x-client-host-sg-id", fromPort: 443, toPort: 443 },
        });
        expect(rules(resources, EGRESS)).to.deep.equal({
            "x-client-host-to-cache": { securityGroupId: "x-client-host-sg-id", to: "sg-cache", fromPort: 6390, toPort: 6390 },
            "x-client-host-to-endpoints": { securityGroupId: "x-client-host-sg-id", to: "sg-endpoints", fromPort: 443, toPort: 443 },
            "x-client-host-to-s3": { securityGroupId: "x-client-host-sg-id", to: "pl-s3", fromPort: 443, toPort: 443 },
            "x-function-to-cache": { securityGroupId: "x-function-sg-id", to: "sg-cache", fromPort: 6390, toPort: 6390 },
        });
    });

    it("without a client host: the function's rules keep their names (no rule is named by position)", async () => {
        const { resources } = await evaluateResources(() => new Compute("x", { ...ARGS, clientHost: undefined }));
        expect(Object.keys(rules(resources, INGRESS))).to.deep.equal(["x-cache-from-function"]);
        expect(Object.keys(rules(resources, EGRESS))).to.deep.equal(["x-function-to-cache"]);
        expect(resources.map((resource) => resource.type)).to.not.include("aws:ec2/instance:Instance");
    });
});
