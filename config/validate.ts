import {
    AUTH_MODES,
    AuthMode,
    DEFAULT_ENGINE_VERSION,
    DEFAULT_NODE_QUOTA,
    ENGINE_VERSIONS,
    CLIENT_ACCESS_WAYS,
    DEFAULT_CLIENT_ACCESS,
    ENGINES,
    Engine,
    FUNCTION_URL_AUTH_TYPES,
    FunctionUrlAuthType,
    IAM_MINIMUM_VERSION,
    RBAC_MINIMUM_VERSION,
    PASSWORD_ROTATION_STEPS,
    PasswordRotationStep,
    LOG_RETENTION_DAYS,
    MAX_NODES,
    MAX_REPLICAS_PER_SHARD,
    MAX_SHARDS,
    REGION_AVAILABILITY_ZONES,
    SHARD_PLACEMENTS,
    ShardPlacement,
} from "./catalog";
import { ALARM_THRESHOLD_KEYS, ALARM_THRESHOLD_LIMITS, AlarmThresholds, DEFAULT_ALARM_THRESHOLDS } from "./alarms";
import { extendedSupportWarning } from "./engineSupport";
import { isPrivateIpv4, networkOf, parseIpv4Cidr, subnetPrefixLength, usableAddresses } from "./cidr";
import { nodesPerZone } from "./placement";
import { RawConfig, SettingsResult, StackSettings } from "./settings";

/** The stack's defaults: the tutorial's shape with secure settings. Pulumi.yaml declares the same values. */
export const DEFAULTS = {
    numNodeGroups: 1,
    replicaCount: 1,
    nodeType: "cache.t4g.micro",
    engine: "redis" as Engine,
    port: 6379,
    availabilityZoneCount: 2,
    shardPlacement: "auto" as ShardPlacement,
    vpcCidr: "10.0.0.0/16",
    transitEncryption: true,
    authMode: "rbac" as AuthMode,
    passwordVersion: 1,
    passwordRotation: "none" as PasswordRotationStep,
    clientHost: true,
    functionUrlAuthType: "AWS_IAM" as FunctionUrlAuthType,
    durableWrites: false,
    protect: false,
    snapshotRetentionDays: 1,
    logRetentionDays: 14,
    applyImmediately: true,
    monitoring: true,
    alarmEmail: "",
    alarmEngineCpuPercent: DEFAULT_ALARM_THRESHOLDS.engineCpuPercent,
    alarmMemoryPercent: DEFAULT_ALARM_THRESHOLDS.memoryPercent,
    alarmEvictions: DEFAULT_ALARM_THRESHOLDS.evictions,
    alarmReplicationLagSeconds: DEFAULT_ALARM_THRESHOLDS.replicationLagSeconds,
    alarmConnections: DEFAULT_ALARM_THRESHOLDS.connections,
    alarmFunctionErrors: DEFAULT_ALARM_THRESHOLDS.functionErrors,
    alarmFunctionDurationPercent: DEFAULT_ALARM_THRESHOLDS.functionDurationPercent,
} as const;

/** Every key the program reads from the `redis-cluster` namespace. */
export const CONFIG_KEYS = [
    "numNodeGroups",
    "replicaCount",
    "nodeType",
    "engine",
    "engineVersion",
    "parameterGroupName",
    "port",
    "availabilityZoneCount",
    "shardPlacement",
    "vpcCidr",
    "transitEncryption",
    "authMode",
    "passwordVersion",
    "passwordRotation",
    "clientHost",
    "clientAccess",
    "functionUrlAuthType",
    "durableWrites",
    "protect",
    "snapshotRetentionDays",
    "logRetentionDays",
    "applyImmediately",
    "monitoring",
    "alarmEmail",
    "alarmEngineCpuPercent",
    "alarmMemoryPercent",
    "alarmEvictions",
    "alarmReplicationLagSeconds",
    "alarmConnections",
    "alarmFunctionErrors",
    "alarmFunctionDurationPercent",
] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Addresses per AZ subnet kept for what is not a cache node: Lambda ENIs, interface endpoints, the client host. */
const NON_NODE_ADDRESSES_PER_ZONE = 8;
const MIN_AVAILABILITY_ZONES = 2;
const MAX_AVAILABILITY_ZONES = 6;

export interface ValidationContext {
    /** The AWS region (`aws:region`), when known, to check `availabilityZoneCount` against. */
    readonly region?: string;
    /**
     * Today's date, to warn about engine versions in (or close to) paid Extended Support. Without it no such warning
     * is given; the program and the local tools pass the current date.
     */
    readonly today?: Date;
}

/**
 * Validates a stack's raw configuration and applies defaults. Pure: reports every problem at once instead of
 * stopping at the first, so one `pulumi preview` shows all that needs fixing.
 */
export function validateSettings(raw: RawConfig, context: ValidationContext = {}): SettingsResult {
    const problems: string[] = [];
    const warnings: string[] = [];
    const read = new Reader(raw, problems);

    const numNodeGroups = read.integer("numNodeGroups", DEFAULTS.numNodeGroups, 1, MAX_SHARDS, "shards");
    const replicaCount = read.integer(
        "replicaCount",
        DEFAULTS.replicaCount,
        0,
        MAX_REPLICAS_PER_SHARD,
        "replicas per shard",
    );
    const nodeType = read.text(
        "nodeType",
        DEFAULTS.nodeType,
        /^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$/,
        "a cache.<family>.<size> node type such as cache.t4g.micro or cache.r7g.large",
    );
    const engine = read.oneOf("engine", DEFAULTS.engine, ENGINES);
    const port = read.integer("port", DEFAULTS.port, 1024, 65535, "");
    const availabilityZoneCount = read.integer(
        "availabilityZoneCount",
        DEFAULTS.availabilityZoneCount,
        MIN_AVAILABILITY_ZONES,
        MAX_AVAILABILITY_ZONES,
        "availability zones",
    );
    const shardPlacement = read.oneOf("shardPlacement", DEFAULTS.shardPlacement, SHARD_PLACEMENTS);
    const vpcCidr = read.text("vpcCidr", DEFAULTS.vpcCidr, /.*/, "");
    const transitEncryption = read.boolean("transitEncryption", DEFAULTS.transitEncryption);
    const explicitAuthMode = !isAbsent(raw.authMode);
    const requestedAuthMode = read.oneOf("authMode", DEFAULTS.authMode, AUTH_MODES);
    const passwordVersion = read.integer("passwordVersion", DEFAULTS.passwordVersion, 1, 9999, "");
    const passwordRotation = read.oneOf("passwordRotation", DEFAULTS.passwordRotation, PASSWORD_ROTATION_STEPS);
    const clientHost = read.boolean("clientHost", DEFAULTS.clientHost);
    const clientAccess = read.oneOf("clientAccess", DEFAULT_CLIENT_ACCESS, CLIENT_ACCESS_WAYS);
    const functionUrlAuthType = read.oneOf(
        "functionUrlAuthType",
        DEFAULTS.functionUrlAuthType,
        FUNCTION_URL_AUTH_TYPES,
    );
    const durableWrites = read.boolean("durableWrites", DEFAULTS.durableWrites);
    const protect = read.boolean("protect", DEFAULTS.protect);
    const snapshotRetentionDays = read.integer("snapshotRetentionDays", DEFAULTS.snapshotRetentionDays, 0, 35, "days");
    const logRetentionDays = read.oneOf("logRetentionDays", DEFAULTS.logRetentionDays, LOG_RETENTION_DAYS);
    const applyImmediately = read.boolean("applyImmediately", DEFAULTS.applyImmediately);
    const monitoring = read.boolean("monitoring", DEFAULTS.monitoring);
    const alarmEmail = read.text(
        "alarmEmail",
        DEFAULTS.alarmEmail,
        EMAIL_ADDRESS,
        "one e-mail address such as oncall@example.com, or empty for no subscription",
    );
    const alarmThresholds = readAlarmThresholds(read);

    const nodes = numNodeGroups * (replicaCount + 1);
    if (read.valid("numNodeGroups", "replicaCount") && nodes > MAX_NODES) {
        problems.push(
            `numNodeGroups × (replicaCount + 1): ${numNodeGroups} × ${replicaCount + 1} = ${nodes} nodes is over the ` +
                `ElastiCache limit; allowed at most ${MAX_NODES} nodes per cluster`,
        );
    } else if (nodes > DEFAULT_NODE_QUOTA) {
        warnings.push(
            `${nodes} nodes exceed ElastiCache's default quota of ${DEFAULT_NODE_QUOTA} nodes per cluster; request a ` +
                `quota increase (Service Quotas, "Nodes per cluster (cluster mode enabled)") before \`pulumi up\``,
        );
    }

    const engineVersion = readEngineVersion(raw, engine, read, problems);
    const parameterGroupName = readParameterGroup(raw, engine, engineVersion, read, problems, warnings);
    const authMode = checkAuthMode(
        requestedAuthMode,
        explicitAuthMode,
        { engine, engineVersion, transitEncryption },
        read,
        problems,
    );
    if (context.today !== undefined && read.valid("engine", "engineVersion")) {
        const supportWarning = extendedSupportWarning(engine, engineVersion, context.today);
        if (supportWarning) warnings.push(supportWarning);
    }

    if (context.region !== undefined && read.valid("availabilityZoneCount")) {
        const regionZones = REGION_AVAILABILITY_ZONES[context.region];
        if (regionZones !== undefined && availabilityZoneCount > regionZones) {
            problems.push(
                `availabilityZoneCount: ${availabilityZoneCount} is more than region ${context.region} offers; ` +
                    `allowed ${MIN_AVAILABILITY_ZONES}–${regionZones} there`,
            );
        }
    }

    let subnetPrefix = 0;
    const cidr = parseIpv4Cidr(vpcCidr);
    if (!read.valid("vpcCidr")) {
        // already reported
    } else if (!cidr) {
        const network = networkOf(vpcCidr);
        problems.push(
            `vpcCidr: ${JSON.stringify(vpcCidr)} is not an IPv4 network in CIDR notation` +
                (network && network !== vpcCidr ? ` (host bits are set; did you mean ${network}?)` : "") +
                `; allowed an IPv4 block from /16 to /24, e.g. 10.0.0.0/16`,
        );
    } else if (cidr.prefixLength < 16 || cidr.prefixLength > 24) {
        problems.push(
            `vpcCidr: ${vpcCidr} has a /${cidr.prefixLength} prefix; allowed /16 to /24 (AWS VPC sizes this program plans subnets for)`,
        );
    } else {
        if (!isPrivateIpv4(cidr)) {
            warnings.push(
                `vpcCidr: ${vpcCidr} is not an RFC 1918 private range; hosts in the VPC cannot reach the public addresses it shadows`,
            );
        }
        subnetPrefix = subnetPrefixLength(cidr.prefixLength, availabilityZoneCount);
        if (read.valid("numNodeGroups", "replicaCount", "availabilityZoneCount")) {
            const busiestZone = Math.max(...nodesPerZone(numNodeGroups, replicaCount, availabilityZoneCount));
            const room = usableAddresses(subnetPrefix) - NON_NODE_ADDRESSES_PER_ZONE;
            if (busiestZone > room) {
                problems.push(
                    `vpcCidr: ${vpcCidr} gives each of ${availabilityZoneCount} AZs a /${subnetPrefix} subnet with room for ` +
                        `${room} nodes, but ${busiestZone} nodes go to one AZ; allowed a larger block (smaller prefix) or fewer nodes`,
                );
            }
        }
    }

    if (!transitEncryption) {
        warnings.push(
            "transitEncryption: false turns off TLS and the AUTH token; anyone in the cache security group can read and write unauthenticated, in clear text",
        );
    }
    // Pulumi.yaml's defaults arrive as values too: only a departure from them is worth a warning.
    const rotationSet = passwordVersion !== DEFAULTS.passwordVersion || passwordRotation !== DEFAULTS.passwordRotation;
    if (rotationSet && (authMode === "token" || authMode === "none")) {
        warnings.push(
            `passwordVersion, passwordRotation: ignored with authMode ${authMode}; they rotate the passwords of the Redis users ` +
                "that authMode rbac and iam create (the AUTH token rotates with authTokenUpdateStrategy, docs/operations.md)",
        );
    }
    if (durableWrites && replicaCount === 0) {
        warnings.push(
            "durableWrites: true with replicaCount 0: no replica can acknowledge a write, so every write answers 503",
        );
    }
    if (!clientHost && !isAbsent(raw.clientAccess) && read.valid("clientHost", "clientAccess")) {
        warnings.push(
            `clientAccess: ${clientAccess} is ignored because clientHost is false: there is no host to reach`,
        );
    }
    if (snapshotRetentionDays === 0 && read.valid("snapshotRetentionDays")) {
        warnings.push(
            "snapshotRetentionDays: 0 turns automatic snapshots off, and turning them on later by config fails for cluster " +
                "mode enabled (the provider sends SnapshottingClusterId, which AWS refuses); keep 1 or more, or see " +
                "docs/operations.md §6 for the way back",
        );
    }
    if (shardPlacement === "spread" && read.valid("shardPlacement")) {
        warnings.push(
            "shardPlacement: spread fixes the node placement: a later numNodeGroups or replicaCount change replaces the " +
                "cluster (data loss); auto reshards in place",
        );
    }
    if (functionUrlAuthType === "NONE") {
        warnings.push(
            "functionUrlAuthType: NONE makes the function URL public: anyone on the internet can invoke it and write to the cluster",
        );
    }
    if (!monitoring && alarmEmail !== "") {
        warnings.push(
            `alarmEmail: ${alarmEmail} is ignored with monitoring: false (no topic, no alarms, no subscription)`,
        );
    }
    for (const key of Object.keys(raw)) {
        if (!(CONFIG_KEYS as readonly string[]).includes(key)) {
            warnings.push(`${key}: unknown configuration key, ignored; known keys are ${CONFIG_KEYS.join(", ")}`);
        }
    }

    if (problems.length > 0) return { problems, warnings };
    const settings: StackSettings = {
        numNodeGroups,
        replicaCount,
        nodeType,
        engine,
        engineVersion,
        parameterGroupName,
        port,
        availabilityZoneCount,
        shardPlacement,
        vpcCidr,
        subnetPrefixLength: subnetPrefix,
        transitEncryption,
        authMode,
        passwordVersion,
        passwordRotation,
        clientHost,
        clientAccess,
        functionUrlAuthType,
        durableWrites,
        protect,
        snapshotRetentionDays,
        logRetentionDays,
        applyImmediately,
        monitoring,
        alarmEmail: alarmEmail === "" ? undefined : alarmEmail,
        alarmThresholds,
    };
    return { settings, problems, warnings };
}

function readEngineVersion(raw: RawConfig, engine: Engine, read: Reader, problems: string[]): string {
    const given = raw.engineVersion;
    if (isAbsent(given)) return DEFAULT_ENGINE_VERSION[engine];
    // A YAML number 7.0 arrives as 7; ElastiCache names it "7.0".
    const version = typeof given === "number" && Number.isInteger(given) ? given.toFixed(1) : String(given).trim();
    const offered = Object.keys(ENGINE_VERSIONS[engine]);
    if (!offered.includes(version)) {
        if (read.valid("engine")) {
            problems.push(
                `engineVersion: ${JSON.stringify(version)} is not offered for engine ${engine}; allowed ${offered.join(", ")}`,
            );
        }
        read.invalidate("engineVersion");
    }
    return version;
}

function readParameterGroup(
    raw: RawConfig,
    engine: Engine,
    engineVersion: string,
    read: Reader,
    problems: string[],
    warnings: string[],
): string {
    const derived = ENGINE_VERSIONS[engine][engineVersion];
    const given = raw.parameterGroupName;
    if (isAbsent(given)) return derived ?? "";
    const name = String(given).trim();
    if (name.startsWith("default.")) {
        if (!name.endsWith(".cluster.on")) {
            problems.push(
                `parameterGroupName: ${JSON.stringify(name)} does not have cluster mode on; allowed ` +
                    (derived
                        ? `${JSON.stringify(derived)} for ${engine} ${engineVersion}`
                        : "a default group ending in .cluster.on") +
                    ", or a custom group with cluster-enabled set to yes",
            );
        } else if (derived && name !== derived && read.valid("engine", "engineVersion")) {
            problems.push(
                `parameterGroupName: ${JSON.stringify(name)} is not of the parameter group family of ${engine} ${engineVersion}; ` +
                    `allowed ${JSON.stringify(derived)} (or a custom group of that family with cluster-enabled yes)`,
            );
        }
        return name;
    }
    if (!/^[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){0,254}$/.test(name) || name.endsWith("-")) {
        problems.push(
            `parameterGroupName: ${JSON.stringify(name)} is not a valid parameter group name; allowed 1–255 letters, ` +
                "digits and single hyphens, starting with a letter and not ending with a hyphen",
        );
        return name;
    }
    warnings.push(
        `parameterGroupName: custom group ${JSON.stringify(name)} is used as given; it must be of the ${engine} ${engineVersion} ` +
            "family and set cluster-enabled to yes, or ElastiCache refuses the cluster",
    );
    return name;
}

/**
 * Users and tokens need in-transit encryption; IAM needs Redis OSS 7.0+ or Valkey 7.2+. Without TLS and without an
 * explicit `authMode` the stack has no authentication at all (`none`, warned about as `transitEncryption: false`).
 */
function checkAuthMode(
    requested: AuthMode,
    explicit: boolean,
    stack: { engine: Engine; engineVersion: string; transitEncryption: boolean },
    read: Reader,
    problems: string[],
): AuthMode | "none" {
    if (!read.valid("authMode")) return requested;
    if (!stack.transitEncryption) {
        // The CLI merges Pulumi.yaml's default (rbac) into every stack's config, so rbac cannot be told from an
        // explicit choice: only a non-default mode is surely the user's. transitEncryption's own warning says that
        // authentication is off.
        if (explicit && requested !== DEFAULTS.authMode && read.valid("transitEncryption")) {
            problems.push(
                `authMode: ${requested} needs transitEncryption: true (ElastiCache accepts users and AUTH tokens only with TLS); ` +
                    "allowed: set transitEncryption to true, or leave authMode unset for a cluster without authentication",
            );
        }
        return "none";
    }
    if (requested !== "token" && read.valid("engine", "engineVersion")) {
        const minimum = (requested === "iam" ? IAM_MINIMUM_VERSION : RBAC_MINIMUM_VERSION)[stack.engine];
        if (compareVersions(stack.engineVersion, minimum) < 0) {
            const offered = Object.keys(ENGINE_VERSIONS[stack.engine]).filter(
                (version) => compareVersions(version, minimum) >= 0,
            );
            problems.push(
                `authMode: ${requested} needs ${stack.engine} ${minimum} or later, but engineVersion is ${JSON.stringify(stack.engineVersion)}; ` +
                    `allowed engineVersion ${offered.join(", ")} for ${stack.engine}` +
                    (stack.engine === "redis" ? " (or engine valkey)" : "") +
                    (requested === "iam" ? ", or authMode rbac or token" : ", or authMode token"),
            );
        }
    }
    return requested;
}

/** Compares dotted version numbers ("6.2" < "7.0" < "7.0.5"). */
export function compareVersions(a: string, b: string): number {
    const left = a.split(".").map(Number);
    const right = b.split(".").map(Number);
    for (let index = 0; index < Math.max(left.length, right.length); index++) {
        const difference = (left[index] ?? 0) - (right[index] ?? 0);
        if (difference !== 0) return difference;
    }
    return 0;
}

/** One address, no spaces or commas: SNS takes exactly one endpoint per e-mail subscription. */
const EMAIL_ADDRESS = /^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$/;

function readAlarmThresholds(read: Reader): AlarmThresholds {
    const entries = (Object.keys(ALARM_THRESHOLD_KEYS) as (keyof AlarmThresholds)[]).map((name) => {
        const [min, max, unit] = ALARM_THRESHOLD_LIMITS[name];
        return [
            name,
            read.integer(ALARM_THRESHOLD_KEYS[name], DEFAULT_ALARM_THRESHOLDS[name], min, max, unit),
        ] as const;
    });
    return Object.fromEntries(entries) as unknown as AlarmThresholds;
}

function isAbsent(value: unknown): boolean {
    return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/** Reads typed values from raw config, recording a problem (and the key as invalid) for each bad one. */
class Reader {
    private readonly invalidKeys = new Set<string>();

    constructor(
        private readonly raw: RawConfig,
        private readonly problems: string[],
    ) {}

    valid(...keys: string[]): boolean {
        return keys.every((key) => !this.invalidKeys.has(key));
    }

    invalidate(key: string): void {
        this.invalidKeys.add(key);
    }

    integer(key: string, fallback: number, min: number, max: number, unit: string): number {
        const value = this.raw[key];
        if (isAbsent(value)) return fallback;
        const text = String(value).trim();
        const allowed = `allowed ${min}–${max}${unit ? ` ${unit}` : ""}`;
        if (!/^[+-]?\d+$/.test(text)) {
            return this.fail(key, `${JSON.stringify(value)} is not a whole number; ${allowed}`, fallback);
        }
        const parsed = Number(text);
        if (parsed < min || parsed > max) {
            return this.fail(key, `${parsed} is out of range; ${allowed}`, fallback);
        }
        return parsed;
    }

    boolean(key: string, fallback: boolean): boolean {
        const value = this.raw[key];
        if (isAbsent(value)) return fallback;
        if (typeof value === "boolean") return value;
        const text = String(value).trim().toLowerCase();
        if (text === "true") return true;
        if (text === "false") return false;
        return this.fail(key, `${JSON.stringify(value)} is not a boolean; allowed true or false`, fallback);
    }

    oneOf<T extends string | number>(key: string, fallback: T, allowed: readonly T[]): T {
        const value = this.raw[key];
        if (isAbsent(value)) return fallback;
        const text = String(value).trim();
        const match = allowed.find((candidate) => String(candidate) === text);
        if (match === undefined) {
            return this.fail(key, `${JSON.stringify(value)} is not allowed; allowed ${allowed.join(", ")}`, fallback);
        }
        return match;
    }

    text(key: string, fallback: string, pattern: RegExp, description: string): string {
        const value = this.raw[key];
        if (isAbsent(value)) return fallback;
        const text = String(value).trim();
        if (!pattern.test(text)) {
            return this.fail(key, `${JSON.stringify(value)} is not valid; allowed ${description}`, fallback);
        }
        return text;
    }

    private fail<T>(key: string, message: string, fallback: T): T {
        this.problems.push(`${key}: ${message}`);
        this.invalidKeys.add(key);
        return fallback;
    }
}
