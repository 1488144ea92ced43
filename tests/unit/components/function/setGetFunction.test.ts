/**
 * The SetGetFunction component built alone under mocks: the function owns its security group and adds the rules that
 * let it into the cache, named for itself; its URL is opened to anyone only when asked.
 */
import { expect } from "chai";
import { SetGetFunction, SetGetFunctionArgs } from "../../../../components/function/setGetFunction";
import { evaluateResources } from "../../../../twin/program/evaluateProgram";
import { EGRESS, INGRESS, rules } from "../../../support/securityGroupRules";

const ARGS: SetGetFunctionArgs = {
    vpcId: "vpc-1",
    subnetIds: ["subnet-1", "subnet-2"],
    redis: {
        configurationEndpointAddress: "cfg.example",
        port: 6390,
        transitEncryption: false,
        authToken: undefined,
        securityGroupId: "sg-cache",
    },
    functionUrlAuthType: "AWS_IAM",
    durableWrites: false,
    logRetentionDays: 7,
};

const PERMISSION = "aws:lambda/permission:Permission";

describe("SetGetFunction (alone under mocks)", function () {
    this.timeout(60_000);

    it("owns its group and adds both directions of its access to the cache, named for itself (never by position)", async () => {
        const { resources } = await evaluateResources(() => new SetGetFunction("x", ARGS));
        const groups = resources.filter((resource) => resource.type === "aws:ec2/securityGroup:SecurityGroup");
        expect(groups.map((group) => group.name)).to.deep.equal(["x-function-sg"]);
        expect(rules(resources, INGRESS)).to.deep.equal({
            "x-cache-from-function": {
                securityGroupId: "sg-cache",
                to: "x-function-sg-id",
                fromPort: 6390,
                toPort: 6390,
            },
        });
        expect(rules(resources, EGRESS)).to.deep.equal({
            "x-function-to-cache": {
                securityGroupId: "x-function-sg-id",
                to: "sg-cache",
                fromPort: 6390,
                toPort: 6390,
            },
        });
        const lambda = resources.find((resource) => resource.type === "aws:lambda/function:Function")!;
        expect(lambda.inputs.vpcConfig).to.deep.equal({
            subnetIds: ["subnet-1", "subnet-2"],
            securityGroupIds: ["x-function-sg-id"],
        });
        expect(resources.map((resource) => resource.type)).to.not.include("aws:ec2/instance:Instance");
    });

    it("opens the URL to anyone only with NONE: both permissions, InvokeFunction limited to calls through the URL", async () => {
        const signed = await evaluateResources(() => new SetGetFunction("x", ARGS));
        expect(signed.resources.filter((resource) => resource.type === PERMISSION)).to.deep.equal([]);
        const open = await evaluateResources(() => new SetGetFunction("x", { ...ARGS, functionUrlAuthType: "NONE" }));
        const permissions = open.resources
            .filter((resource) => resource.type === PERMISSION)
            .map((resource) => ({ name: resource.name, ...resource.inputs }));
        expect(permissions).to.deep.equal([
            {
                name: "x-public-url",
                function: "x-function",
                action: "lambda:InvokeFunctionUrl",
                principal: "*",
                functionUrlAuthType: "NONE",
            },
            {
                name: "x-public-url-invoke",
                function: "x-function",
                action: "lambda:InvokeFunction",
                principal: "*",
                invokedViaFunctionUrl: true,
            },
        ]);
    });
});
