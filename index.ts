import * as pulumi from "@pulumi/pulumi";
import { AlertTopic } from "./components/monitoring/alertTopic";
import { ClientHost } from "./components/clientHost/clientHost";
import { connectionCommands } from "./components/clientHost/connectionCommands";
import { invokeCommandFor } from "./components/function/invokeCommand";
import { functionLogGroupPrefix, SetGetFunction } from "./components/function/setGetFunction";
import { LogEncryptionKey } from "./components/logs/logEncryptionKey";
import { Monitoring } from "./components/monitoring/monitoring";
import { givenNetwork } from "./components/network/givenNetwork";
import { Network } from "./components/network/network";
import type { NetworkPlacement } from "./components/network/networkPlacement";
import { RedisCluster, slowLogGroupPrefix } from "./components/cache/redisCluster";
import { RedisUsers } from "./components/cache/redisUsers";
import { parameterGroupFamily } from "./config/engineParameters";
import { autoScalingOf, maximumShape } from "./config/autoScaling";
import { resourcePrefix } from "./config/naming";
import { readStackSettings } from "./config/stack";
import { LAMBDA_TIMEOUT_SECONDS } from "./functions/environment";

const settings = readStackSettings();
// Auto scaling of shards or replicas (maxNumNodeGroups, maxReplicaCount), or undefined: the cluster's scaler and the
// largest shape the monitoring plans for.
const scaling = autoScalingOf(settings);
const name = resourcePrefix(pulumi.getStack());
const tags = { project: "redis-cluster", stack: pulumi.getStack() };

// What the client host needs of the network, its own or a given one: its package repositories, and the Session
// Manager endpoints when that is the way in.
const hostNeeds = {
    packageRepository: settings.clientHost,
    sessionManager: settings.clientHost && settings.clientAccess === "ssm",
};
// An existing network (vpcId, subnetIds) or the program's own VPC: the components take either as the same plain ids.
const network: NetworkPlacement =
    settings.vpcId !== undefined && settings.subnetIds !== undefined
        ? givenNetwork({
              vpcId: settings.vpcId,
              subnetIds: settings.subnetIds,
              multiAz: settings.replicaCount >= 1,
              ...hostNeeds,
          })
        : new Network(name, {
              vpcCidr: settings.vpcCidr,
              availabilityZoneCount: settings.availabilityZoneCount,
              subnetPrefixLength: settings.subnetPrefixLength,
              packageRepositoryEndpoint: hostNeeds.packageRepository,
              sessionManagerEndpoints: hostNeeds.sessionManager,
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

// logEncryption kms: one key for the stack's two log groups, before either exists.
const logKey =
    settings.logEncryption === "kms"
        ? new LogEncryptionKey(name, {
              logGroupNamePrefixes: [slowLogGroupPrefix(name), functionLogGroupPrefix(name)],
              tags,
          })
        : undefined;

// Before the cluster: the replication group sends its own events to the topic the alarms use, once its policy exists.
const alerts = settings.monitoring ? new AlertTopic(name, { email: settings.alarmEmail, tags }) : undefined;

const cluster = new RedisCluster(name, {
    vpcId: network.vpcId,
    subnetIds: network.subnetIds,
    availabilityZoneNames: network.availabilityZoneNames,
    networkName: settings.subnetIds !== undefined ? settings.vpcId : undefined,
    numNodeGroups: settings.numNodeGroups,
    replicasPerNodeGroup: settings.replicaCount,
    shardPlacement: settings.shardPlacement,
    nodeType: settings.nodeType,
    engine: settings.engine,
    engineVersion: settings.engineVersion,
    parameterGroupName: settings.parameterGroupName,
    parameters: settings.parameters,
    parameterGroupFamily: parameterGroupFamily(settings.engine, settings.engineVersion),
    port: settings.port,
    transitEncryption: settings.transitEncryption,
    userGroupId: users?.userGroupId,
    snapshotRetentionDays: settings.snapshotRetentionDays,
    applyImmediately: settings.applyImmediately,
    logRetentionDays: settings.logRetentionDays,
    logKmsKeyArn: logKey?.keyArn,
    protect: settings.protect,
    finalSnapshotIdentifier: settings.finalSnapshot ? `${name}-final` : undefined,
    notificationTopicArn: alerts?.eventTopicArn,
    autoScaling: scaling,
    tags,
});

const clientHost = settings.clientHost
    ? new ClientHost(name, {
          vpcId: network.vpcId,
          subnetId: network.clientHostSubnetId,
          // Always there with a host: the Network creates it for one, and a given network names S3's managed list.
          ...network.packageRepository!,
          access:
              settings.clientAccess === "ssm" ? { way: "ssm", ...network.sessionManager } : { way: "instance-connect" },
          cache: { port: cluster.port, securityGroupId: cluster.securityGroupId },
          tags,
      })
    : undefined;

const setGetFunction = new SetGetFunction(name, {
    vpcId: network.vpcId,
    subnetIds: network.subnetIds,
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
                    ? {
                          replicationGroupId: cluster.replicationGroupId,
                          replicationGroupArn: cluster.arn,
                          userArn: users.functionUser.arn,
                      }
                    : undefined,
        },
        securityGroupId: cluster.securityGroupId,
    },
    functionUrlAuthType: settings.functionUrlAuthType,
    durableWrites: settings.durableWrites,
    logRetentionDays: settings.logRetentionDays,
    logKmsKeyArn: logKey?.keyArn,
    reservedConcurrency: settings.functionConcurrency,
    tags,
});

const monitoring = alerts
    ? new Monitoring(name, {
          topicArn: alerts.topicArn,
          replicationGroupId: cluster.replicationGroupId,
          nodeTags: tags,
          mayHaveReplicas: maximumShape(settings, scaling).replicasPerShard > 0,
          functionName: setGetFunction.functionName,
          functionTimeoutSeconds: LAMBDA_TIMEOUT_SECONDS,
          thresholds: settings.alarmThresholds,
          tags,
      })
    : undefined;

/** The configuration endpoint: the one address a cluster client is seeded with. */
export const configurationEndpoint = cluster.configurationEndpointAddress;
/** The port every node listens on. */
export const port = cluster.port;
/** How clients authenticate: `rbac`, `iam`, `token` (or `none` without TLS). */
export const authMode = pulumi.output(settings.authMode);
/** `authMode: token` only: the one AUTH token every client shares (secret: `pulumi stack output authToken --show-secrets`). */
export const authToken = cluster.authToken;
/** `authMode: rbac`, `iam`: the operators' Redis user, for redis-cli's `--user`. */
export const operatorUserName = users?.operatorUser.userName;
/** `authMode: rbac`, `iam`: the operators' password in use (secret: `pulumi stack output operatorPassword --show-secrets`). */
export const operatorPassword = users?.operatorUser.password;
/** `authMode: rbac`, `iam`: the function's own Redis user. */
export const functionUserName = users?.functionUser.userName;
/** The Lambda's function URL. */
export const functionUrl = setGetFunction.functionUrl;
/** The Lambda's name (for `aws lambda invoke`, its logs). */
export const functionName = setGetFunction.functionName;
/** The client host's instance id; undefined when `clientHost` is false. */
export const clientInstanceId = clientHost?.instanceId;
/** The AZs the subnets and nodes are in. */
export const availabilityZones = network.availabilityZoneNames;

const commands = connectionCommands({
    configurationEndpointAddress: cluster.configurationEndpointAddress,
    port: cluster.port,
    transitEncryption: settings.transitEncryption,
    operatorUserName: users?.operatorUser.userName,
    clientHost: clientHost && { instanceId: clientHost.instanceId, access: settings.clientAccess },
});
/**
 * A shell on the client host, for the access way the stack has (`clientAccess`):
 * `aws ec2-instance-connect ssh --instance-id … --os-user ec2-user --connection-type eice` or
 * `aws ssm start-session --target …`.
 */
export const connectCommand = commands.connectCommand;
/** `redis-cli -c --tls --user <operator user> --askpass -h <endpoint> -p <port>` (no `--user` with `authMode: token`), to run on the client host. */
export const redisCliCommand = commands.redisCliCommand;
/** A `curl` of the tutorial's call, `GET /` on the function URL (SigV4-signed under `AWS_IAM`): it answers `fugafuga`. */
export const invokeCommand = invokeCommandFor(setGetFunction.functionUrl, settings.functionUrlAuthType);
/** The replication group's id; its nodes are `<id>-<shard 0001…>-<node 001…>` (CloudWatch's `CacheClusterId`). */
export const replicationGroupId = cluster.replicationGroupId;
/** The SNS topic of every alarm and of the cluster's events, to subscribe to; undefined when `monitoring` is false. */
export const alarmTopicArn = alerts?.topicArn;
/** The CloudWatch dashboard (named after the replication group); undefined when `monitoring` is false. */
export const dashboardName = monitoring?.dashboardName;
