import * as pulumi from "@pulumi/pulumi";
import { Compute } from "./components/compute";
import { connectionCommands } from "./components/connectionCommands";
import { Network } from "./components/network";
import { RedisCluster } from "./components/redisCluster";
import { RedisUsers } from "./components/redisUsers";
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

// rbac and iam: a user group in place of the one AUTH token (token); none at all without TLS.
const users =
    settings.authMode === "rbac" || settings.authMode === "iam"
        ? new RedisUsers(name, {
              prefix: name,
              engine: settings.engine,
              engineVersion: settings.engineVersion,
              functionAuthentication: settings.authMode === "iam" ? "iam" : "password",
              durableWrites: settings.durableWrites,
              passwordVersion: settings.passwordVersion,
              passwordRotation: settings.passwordRotation,
              tags,
          })
        : undefined;

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
    userGroupId: users?.userGroupId,
    snapshotRetentionDays: settings.snapshotRetentionDays,
    logRetentionDays: settings.logRetentionDays,
    protect: settings.protect,
    tags,
});

const compute = new Compute(name, {
    functionSubnetIds: network.isolatedSubnetIds,
    functionSecurityGroupId: network.functionSecurityGroupId,
    clientHost: network.clientHostSecurityGroupId
        ? {
              subnetId: network.clientHostSubnetId,
              securityGroupId: network.clientHostSecurityGroupId,
              prerequisites: network.clientHostPrerequisites,
          }
        : undefined,
    redis: {
        configurationEndpointAddress: cluster.configurationEndpointAddress,
        port: cluster.port,
        transitEncryption: cluster.transitEncryption,
        authToken: cluster.authToken,
        user: users && {
            userName: users.functionUser.userName,
            password: users.functionUser.password,
            iam:
                settings.authMode === "iam"
                    ? { replicationGroupId: cluster.replicationGroupId, replicationGroupArn: cluster.arn, userArn: users.functionUser.arn }
                    : undefined,
        },
    },
    functionUrlAuthType: settings.functionUrlAuthType,
    durableWrites: settings.durableWrites,
    logRetentionDays: settings.logRetentionDays,
    tags,
});

export const configurationEndpoint = cluster.configurationEndpointAddress;
export const port = cluster.port;
export const authMode = pulumi.output(settings.authMode);
/** authMode token only: the one AUTH token every client shares. */
export const authToken = cluster.authToken;
/** authMode rbac, iam: who operators log in as with redis-cli, and with what (a secret). */
export const operatorUserName = users?.operatorUser.userName;
export const operatorPassword = users?.operatorUser.password;
export const functionUserName = users?.functionUser.userName;
export const functionUrl = compute.functionUrl;
export const functionName = compute.functionName;
export const clientInstanceId = compute.clientInstanceId;
export const availabilityZones = network.availabilityZoneNames;
export const { ssmSessionCommand, redisCliCommand, invokeCommand } = connectionCommands({
    configurationEndpointAddress: cluster.configurationEndpointAddress,
    port: cluster.port,
    transitEncryption: settings.transitEncryption,
    operatorUserName: users?.operatorUser.userName,
    functionUrl: compute.functionUrl,
    functionUrlAuthType: settings.functionUrlAuthType,
    clientInstanceId: compute.clientInstanceId,
});
