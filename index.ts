import * as pulumi from "@pulumi/pulumi";
import { AlertTopic } from "./components/alertTopic";
import { Compute } from "./components/compute";
import { connectionCommands } from "./components/connectionCommands";
import { Monitoring } from "./components/monitoring";
import { Network } from "./components/network";
import { RedisCluster } from "./components/redisCluster";
import { resourcePrefix } from "./config/naming";
import { readStackSettings } from "./config/stack";
import { LAMBDA_TIMEOUT_SECONDS } from "./functions/environment";

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

// Before the cluster: the replication group sends its own events to the topic the alarms use.
const alerts = settings.monitoring ? new AlertTopic(name, { email: settings.alarmEmail, tags }) : undefined;

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
    notificationTopicArn: alerts?.topicArn,
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
    },
    functionUrlAuthType: settings.functionUrlAuthType,
    durableWrites: settings.durableWrites,
    logRetentionDays: settings.logRetentionDays,
    tags,
});

const monitoring = alerts
    ? new Monitoring(name, {
          topicArn: alerts.topicArn,
          replicationGroupId: cluster.replicationGroupId,
          numNodeGroups: settings.numNodeGroups,
          replicasPerNodeGroup: settings.replicaCount,
          functionName: compute.functionName,
          functionTimeoutSeconds: LAMBDA_TIMEOUT_SECONDS,
          thresholds: settings.alarmThresholds,
          tags,
      })
    : undefined;

export const configurationEndpoint = cluster.configurationEndpointAddress;
export const port = cluster.port;
export const authToken = cluster.authToken;
export const functionUrl = compute.functionUrl;
export const functionName = compute.functionName;
export const clientInstanceId = compute.clientInstanceId;
export const availabilityZones = network.availabilityZoneNames;
export const { ssmSessionCommand, redisCliCommand, invokeCommand } = connectionCommands({
    configurationEndpointAddress: cluster.configurationEndpointAddress,
    port: cluster.port,
    transitEncryption: settings.transitEncryption,
    functionUrl: compute.functionUrl,
    functionUrlAuthType: settings.functionUrlAuthType,
    clientInstanceId: compute.clientInstanceId,
});
export const replicationGroupId = cluster.replicationGroupId;
export const alarmTopicArn = alerts?.topicArn;
export const dashboardName = monitoring?.dashboardName;
export const monitoredCacheClusterIds = monitoring?.watchedCacheClusterIds;
