/**
 * One representative change per configuration key, and the few further changes the safe-change guide needs (a stack
 * created without snapshots, leaving `spread`, dropping to 0 replicas, a deferred change). A key added to Pulumi.yaml
 * needs one entry here: `KEY_CHANGES` is typed over every key the program reads, and a test compares it with
 * Pulumi.yaml.
 */
import type { ConfigKey } from "../../config/validate";
import type { StackSettings } from "../../config/settings";
import type { ClientAccess } from "../../config/catalog";
import { ALARM_THRESHOLD_KEYS, ALARM_THRESHOLD_LIMITS, type AlarmThresholds } from "../../config/alarms";

export interface ConfigChange {
    /** The key the change is about (the guide's row). */
    readonly key: ConfigKey;
    /** What the row says was done, e.g. "+1". */
    readonly label: (settings: StackSettings) => string;
    /** Overrides applied before (on top of the stack's own configuration); none = the stack as shipped. */
    readonly from?: (settings: StackSettings) => Record<string, string>;
    /** Overrides applied after. */
    readonly to: (settings: StackSettings) => Record<string, string>;
    /** What the provider's rules do not say and the reader needs (AWS behaviour, limits, links). */
    readonly note: string;
}

const flip = (value: boolean) => String(!value);
const otherAccess = (settings: StackSettings): ClientAccess =>
    settings.clientAccess === "ssm" ? "instance-connect" : "ssm";
const withHost = (settings: StackSettings): Record<string, string> =>
    settings.clientHost ? {} : { clientHost: "true" };

export const KEY_CHANGES: Readonly<Record<ConfigKey, Omit<ConfigChange, "key">>> = {
    numNodeGroups: {
        label: (s) => `${s.numNodeGroups} → ${s.numNodeGroups + 1}`,
        to: (s) => ({ numNodeGroups: String(s.numNodeGroups + 1) }),
        note: "Online resharding (ModifyReplicationGroupShardConfiguration); the cluster serves throughout. Scale in only with free memory on the remaining shards ≥ 1.5× what the removed shards hold ([best practices](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/best-practices-online-resharding.html)). With `shardPlacement: spread`: replacement.",
    },
    replicaCount: {
        label: (s) => `${s.replicaCount} → ${s.replicaCount + 1}`,
        to: (s) => ({ replicaCount: String(s.replicaCount + 1) }),
        note: "IncreaseReplicaCount / DecreaseReplicaCount, applied immediately. With `shardPlacement: spread`: replacement.",
    },
    nodeType: {
        label: () => "→ cache.m7g.large",
        to: () => ({ nodeType: "cache.m7g.large" }),
        note: "Online vertical scaling. A data-tiering type (r6gd) would need `dataTieringEnabled`, which is ForceNew.",
    },
    engine: {
        label: () => "redis → valkey (with engineVersion 8.1)",
        to: () => ({ engine: "valkey", engineVersion: "8.1" }),
        note: "The provider sends Engine=valkey only with an engineVersion change; valkey → redis is a replacement. With `authMode` rbac or iam the user group is replaced (its engine is ForceNew) by one whose id names the new engine, so the new group exists before the cluster moves to it and the old one is deleted after (on paper: that AWS accepts the users' engine change in place). See [§5](#5-switching-to-valkey).",
    },
    engineVersion: {
        label: (s) => `${s.engineVersion} → 7.1`,
        to: () => ({ engineVersion: "7.1" }),
        note: "The program derives the matching parameter group. A downgrade is a replacement. See [§3](#3-engine-upgrade-62--7x).",
    },
    parameterGroupName: {
        label: () => "→ a custom group",
        to: () => ({ parameterGroupName: "redis-cluster-custom" }),
        note: "Must stay a cluster-mode group of the version's family; some parameters take effect only after a reboot.",
    },
    port: {
        label: (s) => `${s.port} → ${s.port + 1}`,
        to: (s) => ({ port: String(s.port + 1) }),
        note: "Data lost; the endpoint changes. Prod: the update fails instead (`protect`).",
    },
    availabilityZoneCount: {
        label: (s) => `${s.availabilityZoneCount} → ${s.availabilityZoneCount + 1}`,
        to: (s) => ({ availabilityZoneCount: String(s.availabilityZoneCount + 1) }),
        note: "awsx lays the subnets out again (new prefix length and CIDRs), which replaces the subnets the nodes are in; ElastiCache cannot leave them. Plan it as a new stack and a data migration.",
    },
    shardPlacement: {
        label: (s) => `${s.shardPlacement} → ${s.shardPlacement === "auto" ? "spread" : "auto"}`,
        to: (s) => ({ shardPlacement: s.shardPlacement === "auto" ? "spread" : "auto" }),
        note: "auto → spread sends AZs ElastiCache did not choose (unless by chance): replacement. spread → auto is no change (row below).",
    },
    vpcCidr: {
        label: () => "→ 10.1.0.0/16",
        to: () => ({ vpcCidr: "10.1.0.0/16" }),
        note: "The VPC (cidr_block ForceNew), its subnets and security groups are replaced. The subnet group's subnetIds are updatable, but a running cluster cannot move to another VPC: plan it as a new stack.",
    },
    transitEncryption: {
        label: () => "true → false",
        to: () => ({ transitEncryption: "false" }),
        note: "Below 7.0.5 TLS is fixed at creation (replacement). From 7.0.5 AWS changes it on a running cluster only through `transitEncryptionMode: preferred` (two updates), which the program does not expose. Turning TLS off is also refused by the policy pack.",
    },
    clientHost: {
        label: (s) => `${s.clientHost} → ${!s.clientHost}`,
        to: (s) => ({ clientHost: flip(s.clientHost) }),
        note: "Adds or removes the EC2 host, its security group and rules, the S3 gateway endpoint and its `clientAccess` way's resources; the cluster is untouched.",
    },
    clientAccess: {
        // Judged with a client host: without one (prod as shipped) the key is ignored, with a warning.
        label: (s) => `${s.clientAccess} → ${otherAccess(s)}${s.clientHost ? "" : " (with clientHost: true)"}`,
        from: (s) => withHost(s),
        to: (s) => ({ ...withHost(s), clientAccess: otherAccess(s) }),
        note: "One way's resources are deleted and the other's created (SSM interface endpoints, their group, the host's role and profile ↔ the EC2 Instance Connect Endpoint, its group, the SSH rules). The host's security group is replaced (its description names the way in); the host moves to the new group in place. The endpoint is `deleteBeforeReplace`: one per VPC.",
    },
    functionUrlAuthType: {
        label: () => "AWS_IAM → NONE",
        to: () => ({ functionUrlAuthType: "NONE" }),
        note: "Also needs `allowPublicFunctionUrl` in the stack's policy config.",
    },
    durableWrites: {
        label: (s) => `${s.durableWrites} → ${!s.durableWrites}`,
        to: (s) => ({ durableWrites: flip(s.durableWrites) }),
        note: "The function's environment variable; the cluster is untouched.",
    },
    protect: {
        label: (s) => `${s.protect} → ${!s.protect}`,
        to: (s) => ({ protect: flip(s.protect) }),
        note: "A resource option, no AWS call. To replace a protected cluster on purpose: first `protect: false` (or `pulumi state unprotect`), then the change.",
    },
    snapshotRetentionDays: {
        label: (s) => `${s.snapshotRetentionDays} → 14`,
        to: () => ({ snapshotRetentionDays: "14" }),
        note: "From 1 or more. From 0 see the row below.",
    },
    logRetentionDays: {
        label: () => "→ 30",
        to: () => ({ logRetentionDays: "30" }),
        note: "The log groups' retention.",
    },
    authMode: {
        label: () => "token → rbac",
        from: () => ({ authMode: "token" }),
        to: () => ({ authMode: "rbac" }),
        note: "The user group is attached and the token removed in one ModifyReplicationGroup (authTokenUpdateStrategy DELETE); clients still holding the token are refused until the function update lands. See [§7](#7-moving-a-running-cluster-from-token-to-rbac). `iam` needs redis ≥ 7.0 / valkey ≥ 7.2.",
    },
    passwordVersion: {
        label: (s) => `${s.passwordVersion} → ${s.passwordVersion + 1} (rotation step 3)`,
        from: () => ({ passwordRotation: "use-next" }),
        to: (s) => ({ passwordVersion: String(s.passwordVersion + 1), passwordRotation: "none" }),
        note: "The users keep only the new password (ModifyUser); the old generation's random password is deleted. See [§6](#6-rotating-the-redis-users-passwords).",
    },
    passwordRotation: {
        label: () => "none → add-next (rotation step 1)",
        to: () => ({ passwordRotation: "add-next" }),
        note: "Each user accepts the next password too (a user holds at most two); clients are untouched until use-next. See [§6](#6-rotating-the-redis-users-passwords).",
    },
    applyImmediately: {
        label: (s) => `${s.applyImmediately} → ${!s.applyImmediately}`,
        to: (s) => ({ applyImmediately: flip(s.applyImmediately) }),
        note: "Changes only how later modifications are sent. `false`: node type, engine and version changes wait for the maintenance window, and every preview shows them again until then (Read stores the current value).",
    },
    monitoring: {
        label: (s) => `${s.monitoring} → ${!s.monitoring}`,
        to: (s) => ({ monitoring: flip(s.monitoring) }),
        note: "Creates or deletes the alarm topic, the alarms and the dashboard, and sets or clears the replication group's `notificationTopicArn` (ModifyReplicationGroup). Whether AWS accepts an empty topic ARN when clearing it is not documented: if that update fails, `aws elasticache modify-replication-group --replication-group-id <id> --notification-topic-status inactive --apply-immediately`, then `up` again ([runbook](runbook.md#1-what-monitoring-creates)).",
    },
    alarmEmail: {
        label: () => "→ oncall@example.com",
        to: () => ({ alarmEmail: "oncall@example.com" }),
        note: "Adds, replaces or removes the topic's e-mail subscription; a new address receives SNS's confirmation mail first.",
    },
    ...alarmThresholdChanges(),
};

/**
 * One row per alarm threshold: each is a `PutMetricAlarm` on the alarms concerned (the alarm name is their only ForceNew
 * input: internal/service/cloudwatch/metric_alarm.go at 055611a6); the cluster and the function are untouched.
 */
function alarmThresholdChanges(): Record<
    (typeof ALARM_THRESHOLD_KEYS)[keyof typeof ALARM_THRESHOLD_KEYS],
    Omit<ConfigChange, "key">
> {
    const entries = (Object.keys(ALARM_THRESHOLD_KEYS) as (keyof AlarmThresholds)[]).map((threshold) => {
        const key = ALARM_THRESHOLD_KEYS[threshold];
        const [min, max] = ALARM_THRESHOLD_LIMITS[threshold];
        const next = (s: StackSettings) =>
            s.alarmThresholds[threshold] < max ? s.alarmThresholds[threshold] + 1 : min;
        return [
            key,
            {
                label: (s: StackSettings) => `${s.alarmThresholds[threshold]} → ${next(s)}`,
                to: (s: StackSettings) => ({ [key]: String(next(s)) }),
                note: "PutMetricAlarm on the alarms concerned, in place; the cluster and the function are untouched.",
            },
        ] as const;
    });
    return Object.fromEntries(entries) as Record<
        (typeof ALARM_THRESHOLD_KEYS)[keyof typeof ALARM_THRESHOLD_KEYS],
        Omit<ConfigChange, "key">
    >;
}

/** Changes beyond one per key that the guide must answer. */
export const FURTHER_CHANGES: readonly ConfigChange[] = [
    {
        key: "transitEncryption",
        label: () => "true → false on engine 7.1",
        from: () => ({ engineVersion: "7.1" }),
        to: () => ({ engineVersion: "7.1", transitEncryption: "false" }),
        note: "From 7.0.5 only through `transitEncryptionMode: preferred` first, which the program does not expose.",
    },
    {
        key: "engineVersion",
        label: () => "7.1 → 7.0 (a downgrade)",
        from: () => ({ engineVersion: "7.1" }),
        to: () => ({ engineVersion: "7.0" }),
        note: "There is no downgrade: snapshot first, restore into the new cluster.",
    },
    {
        key: "snapshotRetentionDays",
        label: () => "0 → 7 (a stack created with 0)",
        from: () => ({ snapshotRetentionDays: "0" }),
        to: () => ({ snapshotRetentionDays: "7" }),
        note: 'AWS answers "Cannot set snapshotting cluster for cluster mode enabled replication group" (terraform-provider-aws #20052). The way out: [below](#turning-snapshots-on-for-a-stack-created-with-0).',
    },
    {
        key: "shardPlacement",
        label: () => "spread → auto",
        from: () => ({ shardPlacement: "spread" }),
        to: () => ({ shardPlacement: "auto" }),
        note: "nodeGroupConfigurations is Optional+Computed: leaving it out keeps the state. The way off `spread` before a count change.",
    },
    {
        key: "replicaCount",
        label: (s) => `${s.replicaCount} → 0`,
        to: () => ({ replicaCount: "0" }),
        note: "AWS's DecreaseReplicaCount allows 0 replicas for cluster mode enabled, Multi-AZ or not ([API reference](https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DecreaseReplicaCount.html)); the provider sends it first, then Multi-AZ off in the standard modification. With 0 replicas a failed node loses its shard's data.",
    },
    {
        key: "nodeType",
        label: () => "→ cache.m7g.large with applyImmediately false",
        from: () => ({ applyImmediately: "false" }),
        to: () => ({ applyImmediately: "false", nodeType: "cache.m7g.large" }),
        note: "Pending until the maintenance window; `pulumi up` returns at once and every later preview shows the same update.",
    },
];

export function changesForEveryKey(): ConfigChange[] {
    return [
        ...(Object.keys(KEY_CHANGES) as ConfigKey[]).map((key) => ({ key, ...KEY_CHANGES[key] })),
        ...FURTHER_CHANGES,
    ];
}
