import { AlarmThresholds } from "./alarms";
import { AuthMode, ClientAccess, Engine, FunctionUrlAuthType, PasswordRotationStep, ShardPlacement } from "./catalog";

/**
 * Everything a stack can configure, validated and with defaults applied. Values that decide how many resources exist
 * are plain numbers and booleans, so the program's shape is known before anything is registered.
 */
export interface StackSettings {
    /** Shards (node groups). Each owns a share of the 16384 hash slots. */
    readonly numNodeGroups: number;
    /** Replicas per shard; 0 means no failover target and no multi-AZ. */
    readonly replicaCount: number;
    /** ElastiCache node type, e.g. `cache.t4g.micro`. */
    readonly nodeType: string;
    readonly engine: Engine;
    readonly engineVersion: string;
    /** A parameter group with `cluster-enabled yes`. */
    readonly parameterGroupName: string;
    readonly port: number;
    readonly availabilityZoneCount: number;
    /** How nodes are placed in AZs; see `SHARD_PLACEMENTS`. */
    readonly shardPlacement: ShardPlacement;
    readonly vpcCidr: string;
    /** Prefix length of each AZ's isolated subnet, derived from `vpcCidr` and `availabilityZoneCount`. */
    readonly subnetPrefixLength: number;
    /** TLS between clients and nodes; the AUTH token exists only with it (ElastiCache requires that). */
    readonly transitEncryption: boolean;
    /**
     * How clients authenticate (see `AUTH_MODES`); `none` only when `transitEncryption` is false (ElastiCache takes
     * users and tokens only with TLS).
     */
    readonly authMode: AuthMode | "none";
    /** The generation of the Redis users' passwords in use (rbac, iam: the operator's; rbac: the function's too). */
    readonly passwordVersion: number;
    /** Where a password rotation stands; see `PASSWORD_ROTATION_STEPS`. */
    readonly passwordRotation: PasswordRotationStep;
    /** The EC2 client host with redis-cli, and the way operators reach it (`clientAccess`). */
    readonly clientHost: boolean;
    /** How operators reach the client host; see `CLIENT_ACCESS_WAYS`. Meaningless (and ignored) without a host. */
    readonly clientAccess: ClientAccess;
    readonly functionUrlAuthType: FunctionUrlAuthType;
    /** The Lambda confirms each SET with `WAIT 1` on the key's primary (see functions/README.md). */
    readonly durableWrites: boolean;
    /** Protect the replication group from deletion and replacement (`pulumi destroy`, a replacing change). */
    readonly protect: boolean;
    /** Days of automatic daily snapshots to keep; 0 turns snapshots off. */
    readonly snapshotRetentionDays: number;
    /** Days CloudWatch keeps the cluster's slow log and the function's logs. */
    readonly logRetentionDays: number;
    /** Replication group modifications at `pulumi up` (true) or in the next maintenance window (false). */
    readonly applyImmediately: boolean;
    /** The alarm topic, the alarms on every node and on the function, and the dashboard; false: none of them. */
    readonly monitoring: boolean;
    /** The address subscribed to the alarm topic; undefined for no subscription. */
    readonly alarmEmail?: string;
    readonly alarmThresholds: AlarmThresholds;
}

/** Raw configuration values by key, as Pulumi (strings) or a YAML file (strings, numbers, booleans) gives them. */
export type RawConfig = Readonly<Record<string, unknown>>;

/** The result of validation: settings when there was no problem, and every problem and warning found. */
export interface SettingsResult {
    readonly settings?: StackSettings;
    /** Each names the key, the value given and what is allowed. */
    readonly problems: readonly string[];
    /** Valid but worth saying (cost, exposure, quotas). */
    readonly warnings: readonly string[];
}

/** Thrown when a stack's configuration has problems; lists all of them. */
export class ConfigurationError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(
            `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((problem) => `  - ${problem}`).join("\n"),
        );
        this.name = "ConfigurationError";
    }
}
