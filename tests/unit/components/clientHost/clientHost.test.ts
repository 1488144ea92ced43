/**
 * The ClientHost component built alone under mocks: the host and its Instance Connect Endpoint each own a security
 * group and add the rules that let them into what they reach, named for themselves.
 */
import { expect } from "chai";
import { ClientHost, ClientHostArgs } from "../../../../components/clientHost/clientHost";
import { evaluateResources } from "../../../../twin/program/evaluateProgram";
import { EGRESS, INGRESS, rules } from "../../../support/securityGroupRules";

const ARGS: ClientHostArgs = {
    vpcId: "vpc-1",
    subnetId: "subnet-1",
    access: { way: "ssm", endpointSecurityGroupId: "sg-endpoints" },
    s3PrefixListId: "pl-s3",
    cache: { port: 6390, securityGroupId: "sg-cache" },
};

const INSTANCE_CONNECT: ClientHostArgs = { ...ARGS, access: { way: "instance-connect" } };

describe("ClientHost (alone under mocks)", function () {
    this.timeout(60_000);

    it("ssm: the host owns its group and adds its own rules on the cache's and the endpoints' groups, named for itself", async () => {
        const { resources } = await evaluateResources(() => new ClientHost("x", ARGS));
        const groups = resources
            .filter((resource) => resource.type === "aws:ec2/securityGroup:SecurityGroup")
            .map((group) => group.name);
        expect(groups.sort()).to.deep.equal(["x-client-host-sg"]);
        expect(rules(resources, INGRESS)).to.deep.equal({
            "x-cache-from-client-host": {
                securityGroupId: "sg-cache",
                to: "x-client-host-sg-id",
                fromPort: 6390,
                toPort: 6390,
            },
            "x-endpoints-from-client-host": {
                securityGroupId: "sg-endpoints",
                to: "x-client-host-sg-id",
                fromPort: 443,
                toPort: 443,
            },
        });
        expect(rules(resources, EGRESS)).to.deep.equal({
            "x-client-host-to-cache": {
                securityGroupId: "x-client-host-sg-id",
                to: "sg-cache",
                fromPort: 6390,
                toPort: 6390,
            },
            "x-client-host-to-endpoints": {
                securityGroupId: "x-client-host-sg-id",
                to: "sg-endpoints",
                fromPort: 443,
                toPort: 443,
            },
            "x-client-host-to-s3": { securityGroupId: "x-client-host-sg-id", to: "pl-s3", fromPort: 443, toPort: 443 },
        });
    });

    it("ssm: the host signs in to Session Manager with an instance role; it accepts no inbound connection", async () => {
        const { resources } = await evaluateResources(() => new ClientHost("x", ARGS));
        const attachment = resources.find(
            (resource) => resource.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        );
        expect(attachment?.inputs.policyArn).to.equal("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
        const host = resources.find((resource) => resource.type === "aws:ec2/instance:Instance")!;
        expect(host.inputs.iamInstanceProfile).to.equal("x-client-host-profile");
        expect(
            Object.values(rules(resources, INGRESS)).filter((rule) => rule.securityGroupId === "x-client-host-sg-id"),
        ).to.deep.equal([]);
        expect(resources.map((resource) => resource.type)).to.not.include(
            "aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint",
        );
    });

    it("instance-connect: one endpoint in the host's subnet with its own group; SSH only endpoint → host; no role", async () => {
        const { resources } = await evaluateResources(() => new ClientHost("x", INSTANCE_CONNECT));
        const endpoints = resources.filter(
            (resource) => resource.type === "aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint",
        );
        expect(endpoints.map((endpoint) => endpoint.name)).to.deep.equal(["x-instance-connect"]);
        expect(endpoints[0].inputs).to.deep.include({
            subnetId: "subnet-1",
            securityGroupIds: ["x-instance-connect-sg-id"],
            preserveClientIp: false,
        });
        // One endpoint per VPC: a replacement must delete the old one first.
        expect(endpoints[0].options.deleteBeforeReplace).to.equal(true);
        const ssh = (set: Record<string, Record<string, unknown>>) =>
            Object.fromEntries(Object.entries(set).filter(([, rule]) => rule.fromPort === 22 || rule.toPort === 22));
        expect(ssh(rules(resources, INGRESS))).to.deep.equal({
            "x-client-host-from-instance-connect": {
                securityGroupId: "x-client-host-sg-id",
                to: "x-instance-connect-sg-id",
                fromPort: 22,
                toPort: 22,
            },
        });
        expect(ssh(rules(resources, EGRESS))).to.deep.equal({
            "x-instance-connect-to-client-host": {
                securityGroupId: "x-instance-connect-sg-id",
                to: "x-client-host-sg-id",
                fromPort: 22,
                toPort: 22,
            },
        });
        // The host's other rules are what they are with ssm, minus the endpoints'.
        expect(Object.keys(rules(resources, EGRESS)).sort()).to.deep.equal([
            "x-client-host-to-cache",
            "x-client-host-to-s3",
            "x-instance-connect-to-client-host",
        ]);
        const hostIam = resources.filter(
            (resource) => resource.type.startsWith("aws:iam/") && resource.name.startsWith("x-client-host"),
        );
        expect(hostIam.map((resource) => resource.name)).to.deep.equal([]);
        expect(
            resources.find((resource) => resource.type === "aws:ec2/instance:Instance")!.inputs.iamInstanceProfile,
        ).to.equal(undefined);
    });
});
