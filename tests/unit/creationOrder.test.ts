import { expect } from "chai";
import { onlyResourceOfType, ProgramRun, RecordedResource, resourcesOfType } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";

/**
 * Orders the provider cannot see from inputs, and the S3 gateway endpoint's reach, on dev as registered (dev has the
 * client host). Dependencies are what the engine receives (inputs used plus `dependsOn`), recorded by the mocks.
 */
describe("creation order and the client host's S3 access (dev, under mocks)", function () {
    this.timeout(60_000);
    let run: ProgramRun;
    before(async () => (run = await evaluateProgramOnce({ stack: "dev" })));

    const byName = (type: string, suffix: string): RecordedResource => {
        const found = resourcesOfType(run, type).filter((resource) => resource.name.endsWith(suffix));
        expect(found, `${type} named *${suffix}`).to.have.length(1);
        return found[0];
    };

    it("creates the function only after its role policy (Lambda checks the ENI permissions at CreateFunction)", () => {
        const policy = byName("aws:iam/rolePolicy:RolePolicy", "-function-policy");
        const fn = onlyResourceOfType(run, "aws:lambda/function:Function");
        expect(fn.dependencies).to.include(policy.urn);
    });

    it("creates the client host only after the S3 gateway endpoint and the egress rule its first `dnf install` uses", () => {
        const host = onlyResourceOfType(run, "aws:ec2/instance:Instance");
        const s3 = byName("aws:ec2/vpcEndpoint:VpcEndpoint", "-s3");
        const egress = byName("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "-client-host-to-s3");
        expect(host.dependencies).to.include.members([s3.urn, egress.urn]);
    });

    it("lets the S3 gateway endpoint read only the region's Amazon Linux 2023 package repository", () => {
        const s3 = byName("aws:ec2/vpcEndpoint:VpcEndpoint", "-s3");
        const policy = JSON.parse(s3.inputs.policy);
        expect(policy.Statement).to.deep.equal([
            {
                Sid: "AmazonLinux2023Repositories",
                Effect: "Allow",
                Principal: "*",
                Action: "s3:GetObject",
                Resource: "arn:aws:s3:::al2023-repos-us-east-1-de612dc2/*",
            },
        ]);
    });
});
