/**
 * Facts about ElastiCache that decide what a stack may ask for. Each list says where it comes from so it can be
 * refreshed when AWS adds a version or a region.
 */

export const ENGINES = ["redis", "valkey"] as const;
export type Engine = (typeof ENGINES)[number];

/**
 * Engine versions ElastiCache offers for new replication groups with in-transit encryption and AUTH, and the default
 * parameter group (with cluster mode on) of each version's family.
 * Source: "Supported engines and versions" and "Parameter group families" in the ElastiCache user guide (checked
 * 2026-11). Redis OSS 4.0.10 is still offered but has been in paid Extended Support since 2026-02-01: a new stack
 * should not start there, so it is not offered here.
 */
export const ENGINE_VERSIONS: Readonly<Record<Engine, Readonly<Record<string, string>>>> = {
    redis: {
        "5.0.6": "default.redis5.0.cluster.on",
        "6.0": "default.redis6.x.cluster.on",
        "6.2": "default.redis6.x.cluster.on",
        "7.0": "default.redis7.cluster.on",
        "7.1": "default.redis7.cluster.on",
    },
    valkey: {
        "7.2": "default.valkey7.cluster.on",
        "8.0": "default.valkey8.cluster.on",
        "8.1": "default.valkey8.cluster.on",
    },
};

/**
 * What a stack gets when it names no version (Pulumi.yaml's `engineVersion` default is "": derived from `engine`).
 * Redis OSS: the tutorial's 6.2 (with `default.redis6.x.cluster.on`), because changing a default changes every stack
 * that relies on it: an unchanged `pulumi up` would upgrade it. 6.x leaves standard support on 2027-01-31 (see
 * `ENGINE_STANDARD_SUPPORT_ENDS`), so validation warns with the surcharge and the way out (7.1, or valkey 8.1).
 * Valkey: the newest major.
 */
export const DEFAULT_ENGINE_VERSION: Readonly<Record<Engine, string>> = { redis: "6.2", valkey: "8.1" };

/**
 * Last day of ElastiCache standard support per Redis OSS major version; from the first day of the next month AWS
 * enrolls the cluster in Extended Support and bills it on top of the node price. Versions not listed have no announced
 * date (Redis OSS 7.x, every Valkey version, as of 2026-11).
 * Sources: "ElastiCache Extended Support" and "ElastiCache Extended Support charges"
 * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/extended-support.html, …/extended-support-charges.html):
 * Redis OSS 4 and 5 on 2026-01-31 (Extended Support until 2029-01-31), Redis OSS 6 on 2027-01-31.
 */
export const ENGINE_STANDARD_SUPPORT_ENDS: Readonly<Record<string, string>> = {
    "redis 5": "2026-01-31",
    "redis 6": "2027-01-31",
};

/**
 * The Extended Support surcharge as a share of the on-demand node-hour price: years 1 and 2 after the end of standard
 * support, then year 3 (80 % / 160 %). Source: a third-party summary of the Amazon ElastiCache pricing page
 * (cloudburn.io, "ElastiCache Pricing: Extended Support Adds 80%", 2026-04); the pricing page itself
 * (https://aws.amazon.com/elasticache/pricing/) could not be read from where this was written: confirm there.
 */
export const EXTENDED_SUPPORT_SURCHARGE = { firstTwoYears: 0.8, thirdYear: 1.6 } as const;

/** How far ahead of the end of standard support a stack is warned. */
export const EXTENDED_SUPPORT_WARNING_DAYS = 180;

/**
 * ElastiCache's `maxclients`: 65,000 concurrent connections per node, fixed by the service (not modifiable in a
 * parameter group). Source: "Large number of connections (Valkey and Redis OSS)", ElastiCache developer guide,
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/BestPractices.Clients.Redis.Connections.html
 */
export const ELASTICACHE_MAX_CLIENTS = 65_000;

/** A shard is one primary and 0–5 replicas; a cluster has at most 500 nodes (ElastiCache quotas). */
export const MAX_REPLICAS_PER_SHARD = 5;
export const MAX_SHARDS = 500;
export const MAX_NODES = 500;
/** Default "nodes per cluster" quota; above it `pulumi up` fails until a quota increase is granted. */
export const DEFAULT_NODE_QUOTA = 90;

/**
 * Availability zones a region offers to a new account, as listed on the AWS global infrastructure page
 * (checked 2026-11). A region not listed here is checked by the program against `aws.getAvailabilityZones` only.
 */
export const REGION_AVAILABILITY_ZONES: Readonly<Record<string, number>> = {
    "us-east-1": 6,
    "us-east-2": 3,
    "us-west-1": 2,
    "us-west-2": 4,
    "ca-central-1": 3,
    "ca-west-1": 3,
    "sa-east-1": 3,
    "eu-west-1": 3,
    "eu-west-2": 3,
    "eu-west-3": 3,
    "eu-central-1": 3,
    "eu-central-2": 3,
    "eu-north-1": 3,
    "eu-south-1": 3,
    "eu-south-2": 3,
    "ap-northeast-1": 3,
    "ap-northeast-2": 4,
    "ap-northeast-3": 3,
    "ap-southeast-1": 3,
    "ap-southeast-2": 3,
    "ap-southeast-3": 3,
    "ap-southeast-4": 3,
    "ap-south-1": 3,
    "ap-south-2": 3,
    "ap-east-1": 3,
    "me-south-1": 3,
    "me-central-1": 3,
    "il-central-1": 3,
    "af-south-1": 3,
};

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * `auto` (the default): ElastiCache chooses the AZs, and shard or replica changes are applied online (resharding) in
 * place. `spread`: each shard's primary and replicas in chosen AZs, with explicit slots (nodeGroupConfigurations);
 * an unchanged re-run keeps the cluster, but the provider replaces it when the shard or replica count changes.
 */
export const SHARD_PLACEMENTS = ["spread", "auto"] as const;
export type ShardPlacement = (typeof SHARD_PLACEMENTS)[number];

/**
 * How the log groups (the slow log, the function's logs) are encrypted: `default`, CloudWatch Logs' own encryption;
 * `kms`, a customer-managed KMS key of the stack's own, with rotation, which the account controls and can revoke.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export const LOG_ENCRYPTIONS = ["default", "kms"] as const;
export type LogEncryption = (typeof LOG_ENCRYPTIONS)[number];

/**
 * Lambda keeps at least this much of an account's concurrency unreserved in each region: a reservation may take the
 * account's concurrency minus this ("Configuring reserved concurrency",
 * https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
 */
export const LAMBDA_UNRESERVED_MINIMUM = 100;
/** Lambda's default "Concurrent executions" quota per region; new accounts start lower (Lambda quotas page). */
export const LAMBDA_DEFAULT_ACCOUNT_CONCURRENCY = 1_000;

export const FUNCTION_URL_AUTH_TYPES = ["AWS_IAM", "NONE"] as const;
export type FunctionUrlAuthType = (typeof FUNCTION_URL_AUTH_TYPES)[number];

/**
 * How clients authenticate (a contract: exactly these values).
 * - `rbac`: a user group (ElastiCache RBAC, Redis OSS 6.0+ / Valkey 7.2+): the `default` user switched off, the function
 *   and the operators each with their own user and password.
 * - `iam`: as `rbac`, but the function's user authenticates with short-lived IAM tokens (Redis OSS 7.0+ / Valkey 7.2+).
 * - `token`: one AUTH token shared by every client (the `default` user).
 * Source: "Role-Based Access Control (RBAC)" and "Authenticating with IAM" in the ElastiCache user guide.
 */
export const AUTH_MODES = ["rbac", "iam", "token"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** The oldest engine version with ElastiCache RBAC (users and user groups) and with channel patterns in access strings. */
export const RBAC_MINIMUM_VERSION: Readonly<Record<Engine, string>> = { redis: "6.0", valkey: "7.2" };
export const CHANNEL_PATTERNS_MINIMUM_VERSION: Readonly<Record<Engine, string>> = { redis: "6.2", valkey: "7.2" };

/** The oldest engine version IAM authentication works with, per engine ("Authenticating with IAM", Limitations). */
export const IAM_MINIMUM_VERSION: Readonly<Record<Engine, string>> = { redis: "7.0", valkey: "7.2" };

/**
 * Where a password rotation stands (docs/changing.md §6, "Rotating the Redis users' passwords"): `none` — each user has
 * password `passwordVersion`; `add-next` — each user accepts that one and the next, clients still use the current;
 * `use-next` — both accepted, clients use the next. Then `passwordVersion + 1` with `none` drops the old one.
 */
export const PASSWORD_ROTATION_STEPS = ["none", "add-next", "use-next"] as const;
export type PasswordRotationStep = (typeof PASSWORD_ROTATION_STEPS)[number];

/**
 * How operators reach the client host (config key `clientAccess`), a contract: exactly these values.
 * - `ssm`: SSM Session Manager through the ssm, ec2messages and ssmmessages interface endpoints (billed per AZ-hour).
 * - `instance-connect`: SSH through an EC2 Instance Connect Endpoint, which has no charge of its own
 *   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/connect-with-ec2-instance-connect-endpoint.html, "Pricing").
 */
export const CLIENT_ACCESS_WAYS = ["ssm", "instance-connect"] as const;
export type ClientAccess = (typeof CLIENT_ACCESS_WAYS)[number];

/**
 * What a stack with a client host gets when `clientAccess` is empty (Pulumi.yaml's default, so that the CLI's merge of
 * project defaults still lets the program tell "not set" from "set" and warn only about a value it ignores): the same
 * shell as Session Manager's for none of its hourly endpoint charges. docs/deploying.md §2.1 says what the other way gives.
 */
export const DEFAULT_CLIENT_ACCESS: ClientAccess = "instance-connect";
