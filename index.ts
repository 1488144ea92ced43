import * as pulumi from "@pulumi/pulumi";
import { Compute } from "./components/compute";
import { connectionCommands } from "./components/connectionCommands";
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
    packageRepositoryEndpoint: settings.clientHost,
    sessionManagerEndpoints: settings.clientHost && settings.clientAccess === "ssm",
    tags,
});

const cluster = new RedisCluster(name, {
    vpcId: network.vpcId,
    subnetIds: network.isolatedSubnetIds,
    availabilityZoneNames: network.availabilityZoneNames,
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
    applyImmediately: settings.applyImmediately,
    logRetentionDays: settings.logRetentionDays,
    protect: settings.protect,
    tags,
});

const compute = new Compute(name, {
    vpcId: network.vpcId,
    functionSubnetIds: network.isolatedSubnetIds,
    clientHost: network.packageRepository && {
        subnetId: network.clientHostSubnetId,
        ...network.packageRepository,
        access: network.sessionManager ? { way: "ssm", ...network.sessionManager } : { way: "instance-connect" },
    },
    redis: {
        configurationEndpointAddress: cluster.configurationEndpointAddress,
        port: cluster.port,
        transitEncryption: cluster.transitEncryption,
        authToken: cluster.authToken,
        securityGroupId: cluster.securityGroupId,
    },
    functionUrlAuthType: settings.functionUrlAuthType,
    durableWrites: settings.durableWrites,
    logRetentionDays: settings.logRetentionDays,
    tags,
});

/** The configuration endpoint: the one address a cluster client is seeded with. */
export const configurationEndpoint = cluster.configurationEndpointAddress;
/** The port every node listens on. */
export const port = cluster.port;
/** The AUTH token (secret: `pulumi stack output authToken --show-secrets`); undefined without transit encryption. */
export const authToken = cluster.authToken;
/** The Lambda's function URL. */
export const functionUrl = compute.functionUrl;
/** The Lambda's name (for `aws lambda invoke`, its logs). */
export const functionName = compute.functionName;
/** The client host's instance id; undefined when `clientHost` is false. */
export const clientInstanceId = compute.clientInstanceId;
/** The AZs the subnets and nodes are in. */
export const availabilityZones = network.availabilityZoneNames;

const commands = connectionCommands({
    configurationEndpointAddress: cluster.configurationEndpointAddress,
    port: cluster.port,
    transitEncryption: settings.transitEncryption,
    functionUrl: compute.functionUrl,
    functionUrlAuthType: settings.functionUrlAuthType,
    clientHost: compute.clientInstanceId && { instanceId: compute.clientInstanceId, access: settings.clientAccess },
});
/**
 * A shell on the client host, for the access way the stack has (`clientAccess`):
 * `aws ec2-instance-connect ssh --instance-id … --os-user ec2-user --connection-type eice` or
 * `aws ssm start-session --target …`.
 */
export const connectCommand = commands.connectCommand;
/** `redis-cli -c --tls --askpass -h <endpoint> -p <port>`, to run on the client host. */
export const redisCliCommand = commands.redisCliCommand;
/** A `curl` that calls the function URL (SigV4-signed under `AWS_IAM`). */
export const invokeCommand = commands.invokeCommand;
