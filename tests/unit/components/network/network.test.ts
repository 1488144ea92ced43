/** The Network component built alone under mocks: what it owns, and that it opens nothing by itself. */
import { expect } from "chai";
import { Network, NetworkArgs } from "../../../../components/network/network";
import { evaluateResources, promiseOf, RecordedResource } from "../../../../twin/program/evaluateProgram";

const ARGS: NetworkArgs = {
    vpcCidr: "10.0.0.0/16",
    availabilityZoneCount: 2,
    subnetPrefixLength: 24,
    packageRepositoryEndpoint: true,
    sessionManagerEndpoints: true,
};

function ofType(resources: RecordedResource[], suffix: string): RecordedResource[] {
    return resources.filter((resource) => resource.type.endsWith(suffix));
}

describe("Network (alone under mocks)", function () {
    this.timeout(30_000);

    it("with Session Manager endpoints: the four endpoints behind its own group, which admits nobody until a client adds a rule", async () => {
        const { value: network, resources } = await evaluateResources(() => new Network("net", ARGS));
        const endpoints = ofType(resources, ":VpcEndpoint");
        expect(endpoints.map((endpoint) => endpoint.name).sort()).to.deep.equal([
            "net-ec2messages",
            "net-s3",
            "net-ssm",
            "net-ssmmessages",
        ]);
        expect(ofType(resources, ":SecurityGroup").map((group) => group.name)).to.deep.equal(["net-endpoint-sg"]);
        expect(ofType(resources, "IngressRule").concat(ofType(resources, "EgressRule"))).to.deep.equal([]);
        expect(await promiseOf(network.sessionManager!.endpointSecurityGroupId)).to.equal("net-endpoint-sg-id");
        expect(await promiseOf(network.packageRepository!.s3PrefixListId)).to.equal("pl-63a5400a");
        expect(await promiseOf(network.availabilityZoneNames)).to.deep.equal(["us-east-1a", "us-east-1b"]);
    });

    it("with the package repositories' endpoint alone (clientAccess: instance-connect): the S3 gateway, no interface endpoint, no group", async () => {
        const { value: network, resources } = await evaluateResources(
            () => new Network("net", { ...ARGS, sessionManagerEndpoints: false }),
        );
        expect(
            resources.filter((resource) => resource.custom).map((resource) => `${resource.type} ${resource.name}`),
        ).to.deep.equal(["aws:ec2/vpcEndpoint:VpcEndpoint net-s3"]);
        expect(ofType(resources, ":VpcEndpoint")[0].inputs.vpcEndpointType).to.equal("Gateway");
        expect(network.sessionManager).to.equal(undefined);
        expect(await promiseOf(network.packageRepository!.s3PrefixListId)).to.equal("pl-63a5400a");
    });

    it("without them: a VPC and nothing else, no security group at all", async () => {
        const { value: network, resources } = await evaluateResources(
            () => new Network("net", { ...ARGS, packageRepositoryEndpoint: false, sessionManagerEndpoints: false }),
        );
        expect(
            resources
                .filter((resource) => resource.custom || resource.type.startsWith("awsx"))
                .map((resource) => resource.type),
        ).to.deep.equal(["awsx:ec2:Vpc"]);
        expect(network.sessionManager).to.equal(undefined);
        expect(network.packageRepository).to.equal(undefined);
        expect(await promiseOf(network.isolatedSubnetIds)).to.deep.equal(["subnet-isolated-1", "subnet-isolated-2"]);
    });
});
