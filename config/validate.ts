/**
 * Validation of a stack's configuration: each key's value alone as its declaration in config/keys/ says, then the rules
 * that relate keys (node counts, engine version and parameter group, authentication against TLS and version, room in
 * the VPC per AZ, what is ignored because of another key) and the warnings they give.
 */
import {
    AuthMode,
    DEFAULT_ENGINE_VERSION,
    DEFAULT_NODE_QUOTA,
    ENGINE_VERSIONS,
    Engine,
    IAM_MINIMUM_VERSION,
    RBAC_MINIMUM_VERSION,
    MAX_NODES,
    REGION_AVAILABILITY_ZONES,
} from "./catalog";
import { alarmThresholdsOf, thresholdOf } from "./alarms";
import {
    AUTO_SCALING_FAMILIES,
    AUTO_SCALING_MINIMUM_VERSION,
    AUTO_SCALING_PAGE,
    AUTO_SCALING_SIZES,
    autoScalingOf,
    DIMENSION_KEYS,
    maximumShape,
    scalableNodeType,
    type ScaledDimension,
} from "./autoScaling";
import { extendedSupportWarning } from "./engineSupport";
import { isPrivateIpv4, networkOf, parseIpv4Cidr, subnetPrefixLength, usableAddresses } from "./cidr";
import { checkParameters, parameterGroupFamily, parseParameters } from "./engineParameters";
import { givenNetworkProblems, parseSubnetIds } from "./givenNetwork";
import { CONFIG_KEYS, DEFAULTS, isConfigKey } from "./keys";
import { nodeTypeProblem } from "./nodeTypes";
import { MIN_AVAILABILITY_ZONES } from "./keys/network";
import { booleanOf, isAbsent, Reader } from "./keys/read";
import { nodesPerZone } from "./placement";
import { RawConfig, SettingsResult, StackSettings } from "./settings";

/** Addresses per AZ subnet kept for what is not a cache node: Lambda ENIs, interface endpoints, the client host. */
const NON_NODE_ADDRESSES_PER_ZONE = 8;

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
    const declared = read.declared(warnings);
    const { numNodeGroups, replicaCount, engine, availabilityZoneCount, vpcCidr, transitEncryption } = declared;
    const { passwordVersion, passwordRotation, clientHost, clientAccess, durableWrites, monitoring } = declared;

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

    if (read.valid("nodeType")) {
        const problem = nodeTypeProblem(declared.nodeType, context.region);
        if (problem) problems.push(problem);
    }
    const engineVersion = readEngineVersion(raw, engine, read, problems);
    const parameterGroupName = readParameterGroup(raw, engine, engineVersion, read, problems, warnings);
    const parameters = readParameters(raw, { engine, engineVersion }, read, problems, warnings);
    const subnetIds = readGivenNetwork(raw, declared.vpcId, read, problems, warnings);
    const finalSnapshot = readFinalSnapshot(raw, declared.protect, problems);
    const authMode = checkAuthMode(
        declared.authMode,
        !isAbsent(raw.authMode),
        { engine, engineVersion, transitEncryption },
        read,
        problems,
    );
    checkAutoScaling({ ...declared, engineVersion }, read, problems);
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
        // A given network's subnets are the user's: their room is theirs to size.
        if (subnetIds === undefined && read.valid("numNodeGroups", "replicaCount", "availabilityZoneCount")) {
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

    // Pulumi.yaml's defaults arrive as values too: only a departure from them is worth a warning.
    const rotationSet = passwordVersion !== DEFAULTS.passwordVersion || passwordRotation !== DEFAULTS.passwordRotation;
    if (rotationSet && (authMode === "token" || authMode === "none")) {
        warnings.push(
            `passwordVersion, passwordRotation: ignored with authMode ${authMode}; they rotate the passwords of the Redis users ` +
                "that authMode rbac and iam create (the AUTH token rotates with authTokenUpdateStrategy, docs/changing.md §4)",
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
    if (!monitoring && declared.alarmEmail !== undefined) {
        warnings.push(
            `alarmEmail: ${declared.alarmEmail} is ignored with monitoring: false (no topic, no alarms, no subscription)`,
        );
    }
    for (const key of Object.keys(raw)) {
        if (!isConfigKey(key)) {
            warnings.push(`${key}: unknown configuration key, ignored; known keys are ${CONFIG_KEYS.join(", ")}`);
        }
    }

    if (problems.length > 0) return { problems, warnings };
    // The thresholds reach the settings gathered in one object only.
    const perKey = Object.fromEntries(Object.entries(declared).filter(([key]) => thresholdOf(key) === undefined));
    const settings: StackSettings = {
        ...(perKey as Omit<
            StackSettings,
            | "engineVersion"
            | "parameterGroupName"
            | "subnetPrefixLength"
            | "authMode"
            | "alarmThresholds"
            | "subnetIds"
            | "parameters"
            | "finalSnapshot"
        >),
        engineVersion,
        parameterGroupName,
        subnetIds,
        parameters,
        finalSnapshot,
        subnetPrefixLength: subnetPrefix,
        authMode,
        alarmThresholds: alarmThresholdsOf(declared),
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
 * `parameters`: a map checked where the program knows the values, for a group of the engine version's family. Not
 * with `parameterGroupName`: a named group is the user's own, which the program neither owns nor changes, and two
 * sources of the same parameters would leave it unclear which one the cluster runs with.
 */
function readParameters(
    raw: RawConfig,
    stack: { engine: Engine; engineVersion: string },
    read: Reader,
    problems: string[],
    warnings: string[],
): Readonly<Record<string, string>> | undefined {
    if (isAbsent(raw.parameters)) return undefined;
    const { parameters, problem } = parseParameters(raw.parameters);
    if (!parameters) {
        problems.push(`parameters: ${problem}`);
        read.invalidate("parameters");
        return undefined;
    }
    const checked = checkParameters(parameters);
    problems.push(...checked.problems);
    warnings.push(...checked.warnings);
    if (!isAbsent(raw.parameterGroupName)) {
        problems.push(
            `parameters, parameterGroupName: both set; allowed one of them: parameters (the program creates and owns a group ` +
                "with them) or parameterGroupName (a group of your own, used as it is)",
        );
    }
    if (
        read.valid("engine", "engineVersion") &&
        parameterGroupFamily(stack.engine, stack.engineVersion) === undefined
    ) {
        problems.push(`parameters: no parameter group family is known for ${stack.engine} ${stack.engineVersion}`);
    }
    return parameters;
}

/**
 * `vpcId` and `subnetIds`: both or neither, well-formed, 2–20 subnets. Their VPC and AZs are checked once the subnets
 * are looked up (components/network/givenNetwork.ts). Keys of the program's own VPC are ignored then (warned).
 */
function readGivenNetwork(
    raw: RawConfig,
    vpcId: string | undefined,
    read: Reader,
    problems: string[],
    warnings: string[],
): readonly string[] | undefined {
    let subnetIds: string[] | undefined;
    if (!isAbsent(raw.subnetIds)) {
        const parsed = parseSubnetIds(raw.subnetIds);
        if (!parsed.subnetIds) {
            problems.push(`subnetIds: ${parsed.problem}`);
            read.invalidate("subnetIds");
            return undefined;
        }
        subnetIds = parsed.subnetIds;
    }
    const networkProblems = givenNetworkProblems(vpcId, subnetIds);
    problems.push(...networkProblems);
    if (networkProblems.length > 0 || vpcId === undefined || subnetIds === undefined) return undefined;
    const ownNetworkKeys = (["vpcCidr", "availabilityZoneCount"] as const).filter(
        (key) => !isAbsent(raw[key]) && String(raw[key]) !== String(DEFAULTS[key]),
    );
    if (ownNetworkKeys.length > 0) {
        warnings.push(
            `${ownNetworkKeys.join(", ")}: ignored with vpcId and subnetIds (they shape the VPC the program creates; the given subnets decide the AZs)`,
        );
    }
    return subnetIds;
}

/** `finalSnapshot`: true or false; not set, it follows `protect` (a stack worth protecting is worth a last snapshot). */
function readFinalSnapshot(raw: RawConfig, protect: boolean, problems: string[]): boolean {
    const given = raw.finalSnapshot;
    if (isAbsent(given)) return protect;
    const value = booleanOf(given);
    if (value !== undefined) return value;
    problems.push(
        `finalSnapshot: ${JSON.stringify(given)} is not a boolean; allowed true, false, or empty (follows protect)`,
    );
    return protect;
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

/**
 * Auto scaling's prerequisites (config/autoScaling.ts cites AWS's page), checked only when a maximum is set: each
 * refusal names the scaling key and the key that stands in the way, with what is allowed.
 */
function checkAutoScaling(
    stack: {
        numNodeGroups: number;
        replicaCount: number;
        maxNumNodeGroups: number;
        maxReplicaCount: number;
        scalingCpuPercent: number;
        nodeType: string;
        engine: Engine;
        engineVersion: string;
        shardPlacement: string;
    },
    read: Reader,
    problems: string[],
): void {
    const scaling = autoScalingOf(stack);
    const scaled = (Object.keys(DIMENSION_KEYS) as ScaledDimension[]).flatMap((dimension) => {
        const bounds = scaling?.[dimension];
        const { max: key, min: minKey } = DIMENSION_KEYS[dimension];
        return bounds !== undefined && read.valid(key) ? [{ key, max: bounds.max, minKey, min: bounds.min }] : [];
    });
    if (scaled.length === 0) return;
    const keys = scaled.map((dimension) => dimension.key).join(", ");
    for (const { key, max, minKey, min } of scaled) {
        if (read.valid(minKey) && max < min) {
            problems.push(
                `${key}: ${max} is below ${minKey} ${min}, which is the scaler's minimum; allowed ${min} or more, or 0 to turn it off`,
            );
        }
    }
    if (read.valid("nodeType") && !scalableNodeType(stack.nodeType)) {
        problems.push(
            `${keys}: auto scaling does not support nodeType ${stack.nodeType}; allowed families ` +
                `${AUTO_SCALING_FAMILIES.join(", ")} in sizes ${AUTO_SCALING_SIZES.join(", ")} (e.g. cache.r7g.large), ` +
                `per ${AUTO_SCALING_PAGE}`,
        );
    }
    const minimum = AUTO_SCALING_MINIMUM_VERSION[stack.engine];
    if (read.valid("engine", "engineVersion") && compareVersions(stack.engineVersion, minimum) < 0) {
        problems.push(
            `${keys}: auto scaling needs ${stack.engine} ${minimum} or later, but engineVersion is ${JSON.stringify(stack.engineVersion)}; ` +
                `allowed engineVersion ${Object.keys(ENGINE_VERSIONS[stack.engine])
                    .filter((version) => compareVersions(version, minimum) >= 0)
                    .join(", ")}, per ${AUTO_SCALING_PAGE}`,
        );
    }
    if (read.valid("shardPlacement") && stack.shardPlacement === "spread") {
        problems.push(
            `${keys}: not with shardPlacement spread, which sends every shard's slots and AZs (nodeGroupConfigurations): ` +
                "a shard or replica the scaler adds makes the next up replace the cluster; allowed shardPlacement auto",
        );
    }
    const { shards, replicasPerShard: replicas } = maximumShape(stack, scaling);
    if (shards * (replicas + 1) > MAX_NODES) {
        problems.push(
            `${keys}: the largest shape, ${shards} × ${replicas + 1} = ${shards * (replicas + 1)} nodes, is over the ` +
                `ElastiCache limit; allowed at most ${MAX_NODES} nodes per cluster`,
        );
    }
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
