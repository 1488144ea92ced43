import * as pulumi from "@pulumi/pulumi";
import { Compute } from "./components/compute";
import { Network } from "./components/network";
import { RedisCluster } from "./components/redisCluster";
import { resourcePrefix } from "./config/naming";
import { readStackSettings } from "./config/stack";

const settings = readStackSettings();
const name = resourcePrefix(pulumi.getStack());
const tags = { project: "redis-cluster", stack: pulumi.getStack() };

const network = new Network(name, {
    vpcCidr: settings.vpcCidr,
    availabilityZoneCount: settings.availabilityZoneCount,
    subnetPrefixLength: settings.subnetPrefixLength,
    clientHost: settings.clientHost,
    tags,
});

const cluster = new RedisCluster(name, {
    vpcId: network.vpcId,
    subnetIds: network.isolatedSubnetIds,
    availabilityZoneNames: network.availabilityZoneNames,
    clientSecurityGroupIds: [network.functionSecurityGroupId, ...(network.clientHostSecurityGroupId ? [network.clientHostSecurityGroupId] : [])],
    numNodeGroups: settings.numNodeGroups,
    replicasPerNodeGroup: settings.replicaCount,
    shardPlacement: settings.shardPlacement,
    nodeType: settings.nodeType,
    engine: settings.engine,
    engineVersion: settings.engineVersion,
    parameterGroupName: settings.parameterGroupName,
    port: settings.port,
    transitEncryption: settings.transitEncryption,
    snapshotRetentionDays: settings.snapshotRetentionDays,
    logRetentionDays: settings.logRetentionDays,
    protect: settings.protect,
    tags,
});

const compute = new Compute(name, {
    functionSubnetIds: network.isolatedSubnetIds,
    functionSecurityGroupId: network.functionSecurityGroupId,
    clientHost: network.clientHostSecurityGroupId
        ? { subnetId: network.clientHostSubnetId, securityGroupId: network.clientHostSecurityGroupId }
        : undefined,
    redis: {
        configurationEndpointAddress: cluster.configurationEndpointAddress,
        port: cluster.port,
        transitEncryption: cluster.transitEncryption,
        authToken: cluster.authToken,
    },
    functionUrlAuthType: settings.functionUrlAuthType,
    durableWrites: settings.durableWrites,
    logRetentionDays: settings.logRetentionDays,
    tags,
});

export const configurationEndpoint = cluster.configurationEndpointAddress;
export const port = cluster.port;
export const authToken = cluster.authToken;
export const functionUrl = compute.functionUrl;
export const functionName = compute.functionName;
export const clientInstanceId = compute.clientInstanceId;
export const availabilityZones = network.availabilityZoneNames;
export const { ssmSessionCommand, redisCliCommand, invokeCommand } = connectionCommands();

/** Ready-to-paste commands for the stack's outputs. */
function connectionCommands() {
    const tlsFlags = settings.transitEncryption ? " --tls --askpass" : "";
    return {
        ssmSessionCommand: compute.clientInstanceId
            ? pulumi.interpolate`aws ssm start-session --target ${compute.clientInstanceId}`
            : pulumi.output("clientHost is false: no client host in this stack"),
        // -c follows MOVED/ASK redirections; --askpass prompts for the token (`pulumi stack output authToken --show-secrets`).
        redisCliCommand: pulumi.interpolate`redis-cli -c${tlsFlags} -h ${cluster.configurationEndpointAddress} -p ${cluster.port}`,
        invokeCommand:
            settings.functionUrlAuthType === "NONE"
                ? pulumi.interpolate`curl '${compute.functionUrl}?key=hello&value=world'`
                : pulumi.interpolate`curl --aws-sigv4 "aws:amz:$AWS_REGION:lambda" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN" '${compute.functionUrl}?key=hello&value=world'`,
    };
}
