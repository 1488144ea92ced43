import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { AutoScaling } from "../../config/autoScaling";
import { ShardPlacement } from "../../config/catalog";
import { CLUSTER_ENABLED, familyNamePart } from "../../config/engineParameters";
import { placeShards } from "../../config/placement";
import { createScalers, SCALED_INPUTS, scaledDimensions } from "./autoScaling";

/**
 * The cluster's inputs. Names follow the provider's `ReplicationGroup` (`numNodeGroups`, `replicasPerNodeGroup`), so
 * each maps to one provider input; the stack configuration keeps the tutorial's CloudFormation names (`replicaCount`),
 * and index.ts is where one becomes the other. No field has a default here: index.ts passes every value from the
 * validated configuration, whose defaults live in Pulumi.yaml.
 */
/*
 * Provider behaviour cited below as `replication_group.go`: terraform-provider-aws v6.66.0
 * internal/service/elasticache/replication_group.go, the version @pulumi/aws 7.48.0 is built from.
 */
export interface RedisClusterArgs {
    /** The VPC of the cluster's security group. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets of the subnet group, one per AZ; every node takes one address in them. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The subnets' AZs, in order; shards' primaries and replicas are spread across them. */
    readonly availabilityZoneNames: pulumi.Input<string[]>;
    /**
     * Shards (node groups), 1–500. Config key `numNodeGroups`.
     * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.NodeGroups.html
     */
    readonly numNodeGroups: number;
    /** Replicas per shard, 0–5. With at least one, the cluster is multi-AZ. Config key `replicaCount`. */
    readonly replicasPerNodeGroup: number;
    /**
     * `auto` leaves placement to ElastiCache and reshards in place. `spread` places each shard's primary and replicas
     * in different AZs and sends each shard's slots, so an unchanged re-run reads back what was configured; the
     * provider then treats a later shard or replica count change as a replacement (see docs/changing.md §1).
     */
    readonly shardPlacement: ShardPlacement;
    /** The node type of every node, e.g. `cache.t4g.micro`. */
    readonly nodeType: string;
    /** `redis` or `valkey`. */
    readonly engine: string;
    /** The engine version, e.g. `6.2`; it must match the parameter group's family. */
    readonly engineVersion: string;
    /** A group with cluster-enabled yes, e.g. `default.redis6.x.cluster.on`; not used with {@link parameters}. */
    readonly parameterGroupName: string;
    /**
     * Engine parameters (config key `parameters`): a parameter group of `parameterGroupFamily` is created with them and
     * `cluster-enabled yes`, and the cluster uses it in place of `parameterGroupName`.
     * @default undefined (the group named by `parameterGroupName`)
     * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html
     */
    readonly parameters?: Readonly<Record<string, string>>;
    /** The engine version's parameter group family (`redis6.x`, `redis7`, `valkey8`); needed with {@link parameters}. */
    readonly parameterGroupFamily?: string;
    /**
     * The network the subnet group belongs to, when it is not the program's own VPC (a given VPC's id). The subnet group
     * is named after it: a cluster cannot move to another VPC, so another network is another subnet group, and the
     * provider replaces the cluster (subnet_group_name ForceNew in replication_group.go) instead of sending subnets
     * of another VPC to the group in use. Undefined for the program's own VPC, whose group keeps its first name.
     */
    readonly networkName?: string;
    /** The port every node listens on; clients add their own ingress rule for it on {@link RedisCluster.securityGroupId}. */
    readonly port: number;
    /** TLS in transit and a generated AUTH token (ElastiCache accepts a token only with TLS). */
    readonly transitEncryption: boolean;
    /**
     * The user group clients authenticate against (authMode rbac, iam; see RedisUsers). Without it, and with TLS, the
     * cluster gets one generated AUTH token instead (authMode token): ElastiCache takes one or the other.
     */
    readonly userGroupId?: pulumi.Input<string>;
    /**
     * Days of automatic daily snapshots, 0–35 (config key `snapshotRetentionDays`). Created at 1 or more: turning
     * snapshots on later (0 → N) makes the provider send `SnapshottingClusterId` (replication_group.go,
     * resourceReplicationGroupUpdate), which AWS refuses for cluster mode enabled (docs/changing.md §1).
     */
    readonly snapshotRetentionDays: number;
    /**
     * Apply modifications at `pulumi up` instead of the next maintenance window. With `false` the provider reads the
     * current (not the pending) values back, so every later preview shows the same pending change until the window
     * (replication_group.go: Read takes node_type and engine_version from the cache cluster).
     */
    readonly applyImmediately: boolean;
    /** Retention of the slow log's CloudWatch log group, days. Config key `logRetentionDays`. */
    readonly logRetentionDays: number;
    /**
     * The KMS key that encrypts the slow log's group (`logEncryption: kms`); its policy must let CloudWatch Logs use it
     * for {@link slowLogGroupPrefix}. Undefined: CloudWatch Logs' own encryption.
     * @default undefined
     */
    readonly logKmsKeyArn?: pulumi.Input<string>;
    /** Refuse deletion and replacement of the replication group (and keep it if the stack is destroyed). */
    readonly protect: boolean;
    /**
     * The name of the snapshot ElastiCache takes when the replication group is deleted (config key `finalSnapshot`).
     * The provider sends it with DeleteReplicationGroup only when it is in the state (replication_group.go,
     * resourceReplicationGroupDelete), so it must be applied by an `up` before the destroy.
     * @default undefined (no final snapshot)
     */
    readonly finalSnapshotIdentifier?: string;
    /**
     * An SNS topic for the replication group's own events (failover, node replacement, maintenance). ElastiCache
     * cannot publish to an encrypted topic, and needs the `AWS:SourceOwner` condition in the topic's policy.
     * @default undefined (no event notifications)
     * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ElastiCacheSNS.html
     */
    readonly notificationTopicArn?: pulumi.Input<string>;
    /**
     * Auto scaling of shards and/or replicas; `numNodeGroups` and `replicasPerNodeGroup` are then the minima. While a
     * scaler owns a count the replication group ignores changes to it: a later `up` keeps the live count, whatever
     * the configuration says, and changing the minimum moves only the scalable target. Refused with `shardPlacement:
     * spread` by validation (its explicit node groups would make the scaler's next shard a replacement).
     * @default undefined (no scaling: the counts are the configuration's)
     * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoScaling.html
     */
    readonly autoScaling?: AutoScaling;
    /** Tags on every resource that takes them. */
    readonly tags?: Record<string, string>;
}

/** The slow log's group name before Pulumi's random suffix, for a key policy that names it. */
export function slowLogGroupPrefix(name: string): string {
    return `${name}-slow-log`;
}

/** AUTH token length: 16–128 characters are allowed; letters and digits avoid every quoting problem in shells. */
const AUTH_TOKEN_LENGTH = 64;

/**
 * An ElastiCache replication group with cluster mode enabled: sharded, with automatic failover, multi-AZ when it has
 * replicas, TLS with a user group (or one generated AUTH token), encryption at rest and its slow log in CloudWatch.
 */
export class RedisCluster extends pulumi.ComponentResource {
    /** The configuration endpoint: the one address a cluster client is seeded with. */
    public readonly configurationEndpointAddress: pulumi.Output<string>;
    public readonly port: pulumi.Output<number>;
    /** The AUTH token (a secret), or undefined with a user group or without transit encryption. */
    public readonly authToken: pulumi.Output<string | undefined>;
    public readonly transitEncryption: boolean;
    /**
     * The cluster's own security group. It has no rules of its own: each client adds the ingress rule that lets it in,
     * named for the client, so adding or removing a client never renames another's rule.
     */
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly replicationGroup: aws.elasticache.ReplicationGroup;
    /**
     * The replication group id: the host an IAM auth token is signed for, and the prefix of its nodes' ids
     * (`<id>-0001-001`), which CloudWatch's node metrics use.
     */
    public readonly replicationGroupId: pulumi.Output<string>;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: RedisClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-cluster:cache:RedisCluster", name, {}, opts);
        this.transitEncryption = args.transitEncryption;

        const securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `Redis cluster: port ${args.port} from its clients only`,
                tags: args.tags,
            },
            { parent: this },
        );
        this.securityGroupId = securityGroup.id;

        const subnetGroup = new aws.elasticache.SubnetGroup(
            args.networkName === undefined ? `${name}-subnets` : `${name}-subnets-${args.networkName}`,
            { description: "Isolated subnets of the Redis cluster", subnetIds: args.subnetIds, tags: args.tags },
            { parent: this },
        );
        const slowLog = new aws.cloudwatch.LogGroup(
            slowLogGroupPrefix(name),
            // A key added to an existing group is associated in place (AssociateKmsKey): kms_key_id is not ForceNew.
            { retentionInDays: args.logRetentionDays, kmsKeyId: args.logKmsKeyArn, tags: args.tags },
            { parent: this },
        );
        const authToken =
            args.transitEncryption && args.userGroupId === undefined
                ? new random.RandomPassword(
                      `${name}-auth-token`,
                      { length: AUTH_TOKEN_LENGTH, special: false },
                      { parent: this },
                  ).result
                : undefined;

        this.replicationGroup = new aws.elasticache.ReplicationGroup(
            `${name}-cache`,
            {
                description: describeShape(args),
                engine: args.engine,
                engineVersion: args.engineVersion,
                nodeType: args.nodeType,
                port: args.port,
                parameterGroupName: this.parameterGroup(name, args) ?? args.parameterGroupName,
                clusterMode: "enabled",
                numNodeGroups: args.numNodeGroups,
                replicasPerNodeGroup: args.replicasPerNodeGroup,
                nodeGroupConfigurations: args.shardPlacement === "spread" ? this.placement(args) : undefined,
                // Cluster mode requires automatic failover; multi-AZ requires a replica to fail over to.
                automaticFailoverEnabled: true,
                multiAzEnabled: args.replicasPerNodeGroup >= 1,
                subnetGroupName: subnetGroup.name,
                securityGroupIds: [securityGroup.id],
                transitEncryptionEnabled: args.transitEncryption,
                authToken,
                // Conflicts with authToken in the provider (replication_group.go, user_group_ids ConflictsWith
                // auth_token); AWS allows at most one group.
                userGroupIds: args.userGroupId === undefined ? undefined : [args.userGroupId],
                // Ignored at creation. On a cluster moving from authMode token to rbac/iam it makes the provider send
                // the group and the token's removal in one ModifyReplicationGroup call (replication_group.go, update:
                // the "Transitioning to RBAC" branch; its CustomizeDiff accepts DELETE only without auth_token).
                // docs/changing.md §7.
                authTokenUpdateStrategy: args.userGroupId === undefined ? undefined : "DELETE",
                atRestEncryptionEnabled: true,
                autoMinorVersionUpgrade: true,
                snapshotRetentionLimit: args.snapshotRetentionDays,
                applyImmediately: args.applyImmediately,
                finalSnapshotIdentifier: args.finalSnapshotIdentifier,
                notificationTopicArn: args.notificationTopicArn,
                logDeliveryConfigurations: [
                    {
                        destination: slowLog.name,
                        destinationType: "cloudwatch-logs",
                        logFormat: "json",
                        logType: "slow-log",
                    },
                ],
                tags: args.tags,
            },
            {
                parent: this,
                protect: args.protect,
                retainOnDelete: args.protect,
                additionalSecretOutputs: ["authToken"],
                // Pulumi then sends the state's value, not the program's: the scaler's count survives a later `up`
                // (https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/). The provider itself knows nothing
                // of auto scaling: Read stores the live counts and Update reshards to any other value
                // (replication_group.go: resourceReplicationGroupRead, modifyReplicationGroupShardConfiguration).
                ignoreChanges: scaledDimensions(args.autoScaling).map((dimension) => SCALED_INPUTS[dimension]),
            },
        );
        if (args.autoScaling) {
            createScalers(name, this.replicationGroup.id, args.autoScaling, this, args.tags);
        }

        this.configurationEndpointAddress = this.replicationGroup.configurationEndpointAddress;
        // The resource's id is its replication group id (the provider's d.SetId(replication_group_id)).
        this.replicationGroupId = this.replicationGroup.id;
        this.arn = this.replicationGroup.arn;
        this.port = pulumi.output(args.port);
        this.authToken = authToken ? pulumi.secret(authToken) : pulumi.output(undefined);
        this.registerOutputs({
            configurationEndpointAddress: this.configurationEndpointAddress,
            port: this.port,
            authToken: this.authToken,
            securityGroupId: this.securityGroupId,
            replicationGroupId: this.replicationGroupId,
        });
    }

    /**
     * The group of `parameters`, named after its family: an engine upgrade to another family registers a new group
     * (a new name and URN), which Pulumi creates first; the cluster moves to it in the upgrade's
     * ModifyReplicationGroup, and the old group is deleted once nothing uses it. A value change within the family is
     * sent to the group in place (ModifyCacheParameterGroup). Undefined without `parameters`.
     */
    private parameterGroup(name: string, args: RedisClusterArgs): pulumi.Output<string> | undefined {
        if (args.parameters === undefined) return undefined;
        if (args.parameterGroupFamily === undefined) {
            throw new pulumi.ResourceError("parameters need the engine version's parameterGroupFamily", this);
        }
        const family = familyNamePart(args.parameterGroupFamily);
        const group = new aws.elasticache.ParameterGroup(
            `${name}-params-${family}`,
            {
                name: `${name}-${family}`,
                family: args.parameterGroupFamily,
                description: `Engine parameters of ${name} (${args.parameterGroupFamily}, cluster mode enabled)`,
                // Kept whatever the user gives: a cluster-mode-enabled replication group needs a cluster-mode group.
                parameters: [
                    { name: CLUSTER_ENABLED, value: "yes" },
                    ...Object.entries(args.parameters)
                        .filter(([parameter]) => parameter !== CLUSTER_ENABLED)
                        .map(([parameter, value]) => ({ name: parameter, value })),
                ],
                tags: args.tags,
            },
            { parent: this, deleteBeforeReplace: false },
        );
        return group.name;
    }

    private placement(
        args: RedisClusterArgs,
    ): pulumi.Input<aws.types.input.elasticache.ReplicationGroupNodeGroupConfiguration[]> {
        return pulumi.output(args.availabilityZoneNames).apply((zones) => {
            // Without zone names (a data source a test does not answer) ElastiCache places the nodes itself.
            if (!zones || zones.length === 0) return [];
            return placeShards(args.numNodeGroups, args.replicasPerNodeGroup, zones.length).map((shard) => ({
                nodeGroupId: shard.nodeGroupId,
                primaryAvailabilityZone: zones[shard.primaryZone],
                replicaAvailabilityZones: shard.replicaZones.map((zone) => zones[zone]),
                replicaCount: args.replicasPerNodeGroup,
                // Read-back slots must equal configured ones, or every `up` replaces the cluster: send them
                // (replication_group.go: flattenNodeGroupConfigurations stores the slots read back; CustomizeDiff
                // ForceNewIf node_group_configuration via hasSignificantNodeGroupConfigChanges).
                slots: shard.slots,
            }));
        });
    }
}

/** The counts the configuration fixes; one a scaler owns is described as scaled (its minimum would go stale). */
function describeShape(args: RedisClusterArgs): string {
    const shards = args.autoScaling?.shards ? "auto-scaled shards" : `${args.numNodeGroups} shard(s)`;
    const replicas = args.autoScaling?.replicas ? "auto-scaled replicas" : `${args.replicasPerNodeGroup} replica(s)`;
    return `Redis cluster (cluster mode enabled), ${shards} x ${replicas}`;
}
