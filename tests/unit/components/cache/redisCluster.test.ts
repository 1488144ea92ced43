/** The RedisCluster component built alone under mocks: its own security group, with no rule of its own. */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { RedisCluster, RedisClusterArgs } from "../../../../components/cache/redisCluster";
import { evaluateResources, promiseOf } from "../../../../twin/program/evaluateProgram";

const ARGS: RedisClusterArgs = {
    vpcId: "vpc-1",
    subnetIds: ["subnet-1", "subnet-2"],
    availabilityZoneNames: ["zone-a", "zone-b"],
    numNodeGroups: 2,
    replicasPerNodeGroup: 1,
    shardPlacement: "spread",
    nodeType: "cache.t4g.micro",
    engine: "redis",
    engineVersion: "6.2",
    parameterGroupName: "default.redis6.x.cluster.on",
    port: 6390,
    transitEncryption: true,
    snapshotRetentionDays: 0,
    applyImmediately: true,
    logRetentionDays: 7,
    protect: false,
};

describe("RedisCluster (alone under mocks)", function () {
    this.timeout(30_000);

    it("puts the replication group in its own security group and adds no rule: clients let themselves in", async () => {
        const { value: cluster, resources } = await evaluateResources(() => new RedisCluster("c", ARGS));
        const groups = resources.filter((resource) => resource.type === "aws:ec2/securityGroup:SecurityGroup");
        expect(groups.map((group) => group.name)).to.deep.equal(["c-sg"]);
        expect(groups[0].inputs.vpcId).to.equal("vpc-1");
        expect(resources.filter((resource) => /SecurityGroup(Ingress|Egress)?Rule/.test(resource.type))).to.deep.equal(
            [],
        );
        const group = resources.find(
            (resource) => resource.type === "aws:elasticache/replicationGroup:ReplicationGroup",
        )!;
        expect(group.inputs).to.deep.include({
            numNodeGroups: 2,
            replicasPerNodeGroup: 1,
            port: 6390,
            multiAzEnabled: true,
        });
        expect(group.inputs.securityGroupIds).to.deep.equal(["c-sg-id"]);
        expect(await promiseOf(cluster.securityGroupId)).to.equal("c-sg-id");
        expect(await promiseOf(cluster.port)).to.equal(6390);
    });

    it("generates the AUTH token only with TLS, and keeps it secret", async () => {
        const tls = await evaluateResources(() => new RedisCluster("c", ARGS));
        expect(await pulumi.isSecret(tls.value.authToken)).to.equal(true);
        expect(await promiseOf(tls.value.authToken)).to.have.length(64);
        const plain = await evaluateResources(() => new RedisCluster("c", { ...ARGS, transitEncryption: false }));
        expect(plain.resources.map((resource) => resource.type)).to.not.include(
            "random:index/randomPassword:RandomPassword",
        );
        expect(await promiseOf(plain.value.authToken)).to.equal(undefined);
    });
});
