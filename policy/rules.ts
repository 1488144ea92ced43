import * as policySdk from "@pulumi/policy";
import type { PolicyConfigSchema, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

/**
 * The guardrails of the redis-cluster program as plain data and pure functions.
 *
 * Each rule looks at one resource's inputs and returns the problems it finds, each one a sentence that says what is
 * wrong and how to fix it. `index.ts` turns the rules into a `PolicyPack`; tests call `check` directly, because
 * constructing a `PolicyPack` starts a gRPC server.
 */
export interface Rule<Config extends object = object> {
    /** Policy name: what `--policy-pack-config` files and violation reports use. */
    readonly name: string;
    readonly description: string;
    readonly remediationSteps: string;
    /** Pulumi type tokens the rule inspects; every other resource is ignored. */
    readonly resourceTypes: readonly string[];
    readonly configSchema?: PolicyConfigSchema;
    /** Values used when the policy-pack config does not set a key. */
    readonly defaults: Config;
    check(type: string, props: Record<string, unknown>, config: Config, options: ResourceOptions): string[];
}

/** The resource options a rule may look at (what `@pulumi/policy` passes as `args.opts`). */
export interface ResourceOptions {
    readonly protect?: boolean;
}

export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
export const LAMBDA_FUNCTION = "aws:lambda/function:Function";
export const FUNCTION_URL = "aws:lambda/functionUrl:FunctionUrl";
export const LAMBDA_PERMISSION = "aws:lambda/permission:Permission";
export const EC2_INSTANCE = "aws:ec2/instance:Instance";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const SECURITY_GROUP_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const ELASTICACHE_USER = "aws:elasticache/user:User";
export const SECURITY_GROUP_EGRESS_RULE = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/**
 * Thrown by the policy runtime when a rule reads a value that is unknown during a preview. The class is exported at
 * run time but marked internal, so its declaration is missing from the package's typings.
 */
const { UnknownValueError } = policySdk as unknown as { UnknownValueError: abstract new (...args: never[]) => Error };

/** Stands for a value that is computed by another resource and so unknown during `pulumi preview`. */
const UNKNOWN: unique symbol = Symbol("unknown during preview");
type Read = unknown | typeof UNKNOWN;

/**
 * Reads one property. During a preview the policy runtime hands us proxies that throw on values computed by other
 * resources (subnet ids, the generated AUTH token); such a value is not a violation yet — the same rule runs again
 * during `pulumi up`, when every input is known.
 */
function read(obj: unknown, key: string): Read {
    if (obj === null || typeof obj !== "object") return undefined;
    try {
        return (obj as Record<string, unknown>)[key];
    } catch (err) {
        if (err instanceof UnknownValueError) return UNKNOWN;
        throw err;
    }
}

function has(obj: unknown, key: string): boolean {
    // The `in` operator does not go through the unknown-checking proxy's `get` trap, so it never throws.
    return obj !== null && typeof obj === "object" && key in obj;
}

function nonEmptyList(value: Read): boolean | typeof UNKNOWN {
    if (value === UNKNOWN) return UNKNOWN;
    return Array.isArray(value) && value.length > 0;
}

function show(value: Read): string {
    if (value === UNKNOWN) return "unknown";
    return value === undefined ? "not set" : JSON.stringify(value);
}

/** A CIDR whose prefix length is 0 matches every address, whatever its base address says. */
export function isWorldCidr(cidr: unknown): boolean {
    return typeof cidr === "string" && /\/0+$/.test(cidr.trim());
}

function worldCidrs(list: Read): string[] {
    if (!Array.isArray(list)) return [];
    return list.filter((cidr, index) => read(list, String(index)) !== UNKNOWN && isWorldCidr(cidr));
}

export const clusterModeRule: Rule = {
    name: "elasticache-cluster-mode-enabled",
    description: "ElastiCache replication groups run with cluster mode enabled and a cluster-mode parameter group.",
    remediationSteps:
        'Set clusterMode: "enabled", numNodeGroups, and a parameter group with cluster-enabled yes ' +
        "(default.redis7.cluster.on, default.valkey8.cluster.on, ...). Changing cluster mode later needs a migration.",
    resourceTypes: [REPLICATION_GROUP],
    defaults: {},
    check(_type, props) {
        const problems: string[] = [];
        const clusterMode = read(props, "clusterMode");
        const numNodeGroups = read(props, "numNodeGroups");
        if (clusterMode !== UNKNOWN && clusterMode !== undefined && clusterMode !== "enabled") {
            problems.push(
                `Cluster mode is ${show(clusterMode)}. Fix: set clusterMode: "enabled" so the keyspace is sharded ` +
                    "and clients use the configuration endpoint.",
            );
        }
        if (clusterMode === undefined && numNodeGroups === undefined) {
            problems.push(
                'Cluster mode is not requested (clusterMode and numNodeGroups are not set). Fix: set clusterMode: "enabled" ' +
                    "and numNodeGroups (shards); numCacheClusters creates a cluster-mode-disabled group.",
            );
        }
        const group = read(props, "parameterGroupName");
        if (group === undefined) {
            problems.push(
                "No parameterGroupName: with one shard ElastiCache falls back to a group with cluster mode off. " +
                    "Fix: set parameterGroupName to a cluster-mode group such as default.redis7.cluster.on.",
            );
        } else if (typeof group === "string" && group.startsWith("default.") && !group.endsWith(".cluster.on")) {
            problems.push(
                `parameterGroupName ${show(group)} is a default group with cluster mode off. Fix: use its ".cluster.on" ` +
                    "sibling (e.g. default.redis6.x.cluster.on) or a custom group with cluster-enabled yes.",
            );
        }
        return problems;
    },
};

export const transitEncryptionRule: Rule = {
    name: "elasticache-transit-encryption",
    description: "ElastiCache replication groups require TLS for every connection.",
    remediationSteps:
        'Set transitEncryptionEnabled: true and leave transitEncryptionMode unset or "required". Before engine 7.0.5 ' +
        "this can only be chosen at creation (changing it replaces the cluster).",
    resourceTypes: [REPLICATION_GROUP],
    defaults: {},
    check(_type, props) {
        const problems: string[] = [];
        const enabled = read(props, "transitEncryptionEnabled");
        if (enabled !== UNKNOWN && enabled !== true) {
            problems.push(
                `transitEncryptionEnabled is ${show(enabled)}: clients would talk to Redis in plaintext. ` +
                    "Fix: set transitEncryptionEnabled: true (the program's transitEncryption config key).",
            );
        }
        const mode = read(props, "transitEncryptionMode");
        if (mode === "preferred") {
            problems.push(
                'transitEncryptionMode is "preferred", which still accepts plaintext connections. ' +
                    'Fix: set it to "required" once every client connects with TLS (or leave it unset).',
            );
        }
        return problems;
    },
};

export const atRestEncryptionRule: Rule = {
    name: "elasticache-at-rest-encryption",
    description: "ElastiCache replication groups encrypt their data, backups and swap at rest.",
    remediationSteps:
        "Set atRestEncryptionEnabled: true. It can only be chosen at creation: on an existing cluster it means a " +
        "replacement (a new cluster, restored from a snapshot).",
    resourceTypes: [REPLICATION_GROUP],
    defaults: {},
    check(_type, props) {
        const enabled = read(props, "atRestEncryptionEnabled");
        if (enabled === UNKNOWN || enabled === true) return [];
        return [
            `atRestEncryptionEnabled is ${show(enabled)} (Redis OSS defaults to false). ` +
                "Fix: set atRestEncryptionEnabled: true; on an existing cluster this replaces it, so plan a migration.",
        ];
    },
};

export const authTokenRule: Rule = {
    name: "elasticache-auth-token",
    description: "ElastiCache replication groups require clients to authenticate (AUTH token or RBAC user group).",
    remediationSteps:
        "Set authToken from a generated secret (random.RandomPassword, 16-128 characters) together with TLS, or " +
        "userGroupIds for RBAC. Rotate with authTokenUpdateStrategy ROTATE, then SET.",
    resourceTypes: [REPLICATION_GROUP],
    defaults: {},
    check(_type, props) {
        // Presence is checked with `in`: during a preview a generated token is unknown but already wired in.
        const userGroups = read(props, "userGroupIds");
        if (nonEmptyList(userGroups) !== false) return [];
        if (!has(props, "authToken") && !has(props, "authTokenWo")) {
            return [
                "No AUTH token (authToken/authTokenWo) and no RBAC user group: anyone who reaches the port can run " +
                    "commands. Fix: set authToken to a generated secret (random.RandomPassword) with " +
                    "transitEncryptionEnabled: true, or set userGroupIds.",
            ];
        }
        const token = has(props, "authToken") ? read(props, "authToken") : read(props, "authTokenWo");
        if (token === UNKNOWN || (typeof token === "string" && token.length > 0)) return [];
        return [
            `The AUTH token is ${token === "" ? "empty" : show(token)}. Fix: set authToken to a generated secret of ` +
                "16-128 characters (random.RandomPassword) with transitEncryptionEnabled: true.",
        ];
    },
};

export const automaticFailoverRule: Rule = {
    name: "elasticache-automatic-failover",
    description: "ElastiCache replication groups promote a replica automatically when a primary fails.",
    remediationSteps: "Set automaticFailoverEnabled: true (cluster mode requires it).",
    resourceTypes: [REPLICATION_GROUP],
    defaults: {},
    check(_type, props) {
        const enabled = read(props, "automaticFailoverEnabled");
        if (enabled === UNKNOWN || enabled === true) return [];
        return [
            `automaticFailoverEnabled is ${show(enabled)}: a failed primary would leave its shard's slots unavailable. ` +
                "Fix: set automaticFailoverEnabled: true.",
        ];
    },
};

export const multiAzRule: Rule = {
    name: "elasticache-multi-az",
    description: "ElastiCache replication groups with replicas keep them in other AZs and fail over across AZs.",
    remediationSteps: "Set multiAzEnabled: true whenever replicasPerNodeGroup is 1 or more.",
    resourceTypes: [REPLICATION_GROUP],
    defaults: {},
    check(_type, props) {
        const replicas = read(props, "replicasPerNodeGroup");
        if (typeof replicas !== "number" || replicas < 1) return [];
        const multiAz = read(props, "multiAzEnabled");
        if (multiAz === UNKNOWN || multiAz === true) return [];
        return [
            `replicasPerNodeGroup is ${replicas} but multiAzEnabled is ${show(multiAz)}: an AZ outage is not failed ` +
                "over. Fix: set multiAzEnabled: true (with automaticFailoverEnabled: true).",
        ];
    },
};

export const lambdaInVpcRule: Rule = {
    name: "lambda-in-vpc",
    description: "Lambda functions run inside the VPC, next to the cluster, with their own security group.",
    remediationSteps: "Set vpcConfig with the isolated subnets (one per AZ) and the function's security group.",
    resourceTypes: [LAMBDA_FUNCTION],
    defaults: {},
    check(_type, props) {
        const vpcConfig = read(props, "vpcConfig");
        if (vpcConfig === UNKNOWN) return [];
        const subnets = nonEmptyList(read(vpcConfig, "subnetIds"));
        const groups = nonEmptyList(read(vpcConfig, "securityGroupIds"));
        const missing = [subnets === false ? "subnetIds" : "", groups === false ? "securityGroupIds" : ""].filter(
            Boolean,
        );
        if (missing.length === 0) return [];
        return [
            `The function is not attached to the VPC (vpcConfig ${missing.join(" and ")} empty): it cannot reach the ` +
                "cluster's private endpoints. Fix: set vpcConfig.subnetIds to the private subnets and " +
                "vpcConfig.securityGroupIds to the function's security group.",
        ];
    },
};

export interface FunctionUrlConfig {
    /** A stack that really serves the public opts in through its policy-pack config file. */
    readonly allowPublicFunctionUrl: boolean;
}

export const functionUrlAuthRule: Rule<FunctionUrlConfig> = {
    name: "lambda-function-url-auth",
    description: "Lambda function URLs require IAM-signed requests unless the stack explicitly allows a public URL.",
    remediationSteps:
        'Set authorizationType: "AWS_IAM" (the program\'s functionUrlAuthType). A stack that must be public sets ' +
        '{"lambda-function-url-auth": {"allowPublicFunctionUrl": true}} in its policy config file.',
    resourceTypes: [FUNCTION_URL, LAMBDA_PERMISSION],
    configSchema: {
        properties: {
            allowPublicFunctionUrl: {
                type: "boolean",
                default: false,
                description: "Allow authorizationType NONE (anyone on the internet may invoke the function).",
            },
        },
    },
    defaults: { allowPublicFunctionUrl: false },
    check(type, props, config) {
        if (config.allowPublicFunctionUrl) return [];
        let what: string;
        if (type === FUNCTION_URL) {
            if (read(props, "authorizationType") !== "NONE") return [];
            what = 'authorizationType is "NONE"';
        } else if (read(props, "functionUrlAuthType") === "NONE") {
            what = 'A permission with functionUrlAuthType "NONE"';
        } else if (read(props, "principal") === "*" && read(props, "invokedViaFunctionUrl") === true) {
            // Since October 2025 a public URL also needs lambda:InvokeFunction for "*" through the URL.
            what = 'A permission for principal "*" invoked via the function URL';
        } else {
            return [];
        }
        return [
            `${what}: anyone on the internet can invoke the function. Fix: set functionUrlAuthType to ` +
                "AWS_IAM (stack config redis-cluster:functionUrlAuthType), or, if this stack must be public, set " +
                '"allowPublicFunctionUrl": true for lambda-function-url-auth in its policy-pack config file.',
        ];
    },
};

export const imdsV2Rule: Rule = {
    name: "ec2-imdsv2-required",
    description: "EC2 instances require IMDSv2 session tokens (or turn the metadata service off).",
    remediationSteps: 'Set metadataOptions: { httpTokens: "required" }.',
    resourceTypes: [EC2_INSTANCE, LAUNCH_TEMPLATE],
    defaults: {},
    check(_type, props) {
        const options = read(props, "metadataOptions");
        if (options === UNKNOWN) return [];
        const tokens = read(options, "httpTokens");
        if (tokens === UNKNOWN || tokens === "required" || read(options, "httpEndpoint") === "disabled") return [];
        return [
            `metadataOptions.httpTokens is ${show(tokens)}: IMDSv1 lets an SSRF bug read the instance role's ` +
                'credentials. Fix: set metadataOptions: { httpTokens: "required" }.',
        ];
    },
};

type Direction = "ingress" | "egress";

/**
 * The `/0` openings of one security-group resource in one direction, each as a sentence without its fix: a standalone
 * vpc rule's `cidrIpv4`/`cidrIpv6`, a classic SecurityGroupRule of that `type`, or a SecurityGroup's inline blocks.
 */
/**
 * The blocks of one direction in the classic shapes: a `SecurityGroupRule` of that type, or a `SecurityGroup`'s inline
 * blocks (the `vpc` rule resources are one block each and are read by their own field names).
 */
function classicBlocks(
    type: string,
    props: Record<string, unknown>,
    direction: Direction,
): { where: string; block: unknown }[] {
    if (type === SECURITY_GROUP_RULE) {
        return read(props, "type") === direction ? [{ where: `The ${direction} rule`, block: props }] : [];
    }
    if (type !== SECURITY_GROUP) return [];
    const inline = read(props, direction);
    return Array.isArray(inline)
        ? inline.map((_, i) => ({ where: `An inline ${direction} block`, block: read(inline, String(i)) }))
        : [];
}

function worldOpenings(
    type: string,
    props: Record<string, unknown>,
    direction: Direction,
    standaloneType: string,
): string[] {
    if (type === standaloneType) {
        return ["cidrIpv4", "cidrIpv6"]
            .filter((field) => isWorldCidr(read(props, field)))
            .map((field) =>
                direction === "ingress"
                    ? `Ingress from ${field} ${show(read(props, field))} opens the port to the internet`
                    : `Egress to ${field} ${show(read(props, field))} lets the group send to the whole internet`,
            );
    }
    const found: string[] = [];
    for (const { where, block } of classicBlocks(type, props, direction)) {
        const open = [...worldCidrs(read(block, "cidrBlocks")), ...worldCidrs(read(block, "ipv6CidrBlocks"))];
        if (open.length === 0) continue;
        const ports = `${show(read(block, "fromPort"))}-${show(read(block, "toPort"))}`;
        found.push(`${where} allows ports ${ports} ${direction === "ingress" ? "from" : "to"} ${open.join(", ")}`);
    }
    return found;
}

export const noWorldIngressRule: Rule = {
    name: "no-world-ingress",
    description: "Security groups never accept traffic from 0.0.0.0/0 or ::/0.",
    remediationSteps:
        "Allow ingress only from the client security groups (referencedSecurityGroupId / securityGroups) or a narrow CIDR.",
    resourceTypes: [SECURITY_GROUP, SECURITY_GROUP_RULE, SECURITY_GROUP_INGRESS_RULE],
    defaults: {},
    check(type, props) {
        const fix =
            "Fix: allow the port from the clients' security group (referencedSecurityGroupId) or a narrow CIDR instead.";
        return worldOpenings(type, props, "ingress", SECURITY_GROUP_INGRESS_RULE).map(
            (opening) => `${opening}. ${fix}`,
        );
    },
};

const SSH_PORT = 22;

/**
 * Whether a rule's protocol and port range let TCP port 22 through: "-1"/"all" is every protocol and port; TCP ("tcp"
 * or "6") when fromPort ≤ 22 ≤ toPort. Unknown during a preview: not decidable yet.
 */
function coversSsh(block: unknown, protocolField: string): boolean | typeof UNKNOWN {
    const protocol = read(block, protocolField);
    const [from, to] = [read(block, "fromPort"), read(block, "toPort")];
    if (protocol === UNKNOWN) return UNKNOWN;
    const name = String(protocol ?? "").toLowerCase();
    if (name === "-1" || name === "all") return true;
    if (name !== "tcp" && name !== "6") return false;
    if (from === UNKNOWN || to === UNKNOWN) return UNKNOWN;
    return Number(from) <= SSH_PORT && SSH_PORT <= Number(to);
}

/** The address sources (CIDRs, prefix lists) a block names, as `field value`; what is unknown is left out. */
function addressSources(block: unknown, fields: readonly string[]): string[] {
    return fields.flatMap((field) => {
        const value = read(block, field);
        if (value === UNKNOWN || value === undefined || value === null || value === "") return [];
        if (Array.isArray(value)) return value.length > 0 ? [`${field} ${show(value)}`] : [];
        return [`${field} ${show(value)}`];
    });
}

/**
 * SSH reaches the client host through the EC2 Instance Connect Endpoint only (`clientAccess: instance-connect`): the
 * host's group admits port 22 from the endpoint's group, never from an address range, which would let anything in the
 * range (a compromised function, another VPC over peering, a CIDR that grows) skip the endpoint's IAM check and its
 * CloudTrail record. A rule naming a security group (or `self`) passes; one naming a CIDR or a prefix list does not.
 */
export const sshOnlyFromSecurityGroupRule: Rule = {
    name: "ssh-only-from-security-group",
    description:
        "Port 22 accepts traffic only from a security group (the EC2 Instance Connect Endpoint's), never from an address range.",
    remediationSteps:
        "Let SSH in with referencedSecurityGroupId (sourceSecurityGroupId, securityGroups) set to the EC2 Instance Connect " +
        "Endpoint's security group, and remove the CIDR or prefix-list source.",
    resourceTypes: [SECURITY_GROUP, SECURITY_GROUP_RULE, SECURITY_GROUP_INGRESS_RULE],
    defaults: {},
    check(type, props) {
        const fix =
            "Fix: let port 22 in from the EC2 Instance Connect Endpoint's security group (referencedSecurityGroupId; " +
            "clientAccess: instance-connect creates it) and remove the address source; operators connect with " +
            "`aws ec2-instance-connect ssh --connection-type eice`.";
        const blocks: { where: string; block: unknown; protocolField: string; sourceFields: readonly string[] }[] =
            type === SECURITY_GROUP_INGRESS_RULE
                ? [
                      {
                          where: "The ingress rule",
                          block: props,
                          protocolField: "ipProtocol",
                          sourceFields: ["cidrIpv4", "cidrIpv6", "prefixListId"],
                      },
                  ]
                : classicBlocks(type, props, "ingress").map((classic) => ({
                      ...classic,
                      protocolField: "protocol",
                      sourceFields: ["cidrBlocks", "ipv6CidrBlocks", "prefixListIds"],
                  }));
        return blocks.flatMap(({ where, block, protocolField, sourceFields }) => {
            if (coversSsh(block, protocolField) !== true) return [];
            const sources = addressSources(block, sourceFields);
            if (sources.length === 0) return [];
            return [`${where} lets port 22 (SSH) in from ${sources.join(", ")}, not from a security group. ${fix}`];
        });
    },
};

export const noWorldEgressRule: Rule = {
    name: "no-world-egress",
    description:
        "Security groups never send traffic to 0.0.0.0/0 or ::/0: every client reaches only the cache, the VPC endpoints and S3.",
    remediationSteps:
        "Allow egress only to the destination's security group (referencedSecurityGroupId) or prefix list (prefixListId).",
    resourceTypes: [SECURITY_GROUP, SECURITY_GROUP_RULE, SECURITY_GROUP_EGRESS_RULE],
    defaults: {},
    check(type, props) {
        const fix =
            "Fix: allow egress to the destination's security group (referencedSecurityGroupId, e.g. the cache's) or its " +
            "prefix list (prefixListId, e.g. the S3 gateway endpoint's) instead of a /0.";
        return worldOpenings(type, props, "egress", SECURITY_GROUP_EGRESS_RULE).map((opening) => `${opening}. ${fix}`);
    },
};

export const noPublicInvokeRule: Rule = {
    name: "lambda-invoke-not-public",
    description: 'No Lambda permission lets anyone ("*") call lambda:InvokeFunction except through the function URL.',
    remediationSteps:
        "Remove the permission, name a specific principal, or set invokedViaFunctionUrl: true (the public-URL case).",
    resourceTypes: [LAMBDA_PERMISSION],
    defaults: {},
    check(_type, props) {
        const action = read(props, "action");
        if (read(props, "principal") !== "*") return [];
        if (action !== "lambda:InvokeFunction" && action !== "lambda:*") return [];
        if (read(props, "invokedViaFunctionUrl") === true) return [];
        return [
            `A permission grants ${show(action)} to principal "*" without invokedViaFunctionUrl: anyone with an AWS ` +
                "account can call the function through the Invoke API, around the function URL's auth type. " +
                'Fix: set invokedViaFunctionUrl: true (only a public function URL needs "*"), or name the calling ' +
                "principal (an account, a service with sourceArn).",
        ];
    },
};

export interface DeletionProtectionConfig {
    /** Set for stacks whose data must survive a mistaken delete or replace (prod). */
    readonly requireProtection: boolean;
}

export const deletionProtectionRule: Rule<DeletionProtectionConfig> = {
    name: "elasticache-deletion-protection",
    description: "In stacks that require it, the replication group is protected from deletion and replacement.",
    remediationSteps:
        "Set the stack's redis-cluster:protect to true (the program sets protect and retainOnDelete on the " +
        "replication group). Unprotect deliberately with `pulumi state unprotect` when a replacement is intended.",
    resourceTypes: [REPLICATION_GROUP],
    configSchema: {
        properties: {
            requireProtection: {
                type: "boolean",
                default: false,
                description: "Require the protect resource option on ElastiCache replication groups.",
            },
        },
    },
    defaults: { requireProtection: false },
    check(_type, _props, config, options) {
        if (!config.requireProtection || options.protect === true) return [];
        return [
            "This stack requires a protected cluster, but the replication group has protect: false, so a change that " +
                "replaces or deletes it would destroy its data. Fix: set redis-cluster:protect to true in the stack's " +
                "config (Pulumi.<stack>.yaml).",
        ];
    },
};

/** Every rule of the pack, in the order violations are reported. */
export const rules: readonly Rule<object>[] = [
    clusterModeRule,
    transitEncryptionRule,
    atRestEncryptionRule,
    authTokenRule,
    automaticFailoverRule,
    multiAzRule,
    lambdaInVpcRule,
    deletionProtectionRule as Rule<object>,
    functionUrlAuthRule as Rule<object>,
    noPublicInvokeRule,
    imdsV2Rule,
    noWorldIngressRule,
    noWorldEgressRule,
    sshOnlyFromSecurityGroupRule,
];

export interface Violation {
    readonly rule: string;
    /** Mandatory violations fail a preview and stop an update; advisory ones are only reported. */
    readonly level: "mandatory" | "advisory";
    readonly type: string;
    readonly name: string;
    readonly message: string;
}

export interface ResourceUnderTest {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly options?: ResourceOptions;
}

/** Runs every rule over a set of resources, as `pulumi preview --policy-pack` would, with per-rule config. */
export function evaluate(
    resources: readonly ResourceUnderTest[],
    config: Readonly<Record<string, object>> = {},
): Violation[] {
    return resources.flatMap((resource) =>
        rules
            .filter((rule) => rule.resourceTypes.includes(resource.type))
            .flatMap((rule) =>
                rule
                    .check(
                        resource.type,
                        resource.props,
                        { ...rule.defaults, ...(config[rule.name] ?? {}) },
                        resource.options ?? {},
                    )
                    .map((message) => ({
                        rule: rule.name,
                        level: "mandatory" as const,
                        type: resource.type,
                        name: resource.name,
                        message,
                    })),
            ),
    );
}

/** The `@pulumi/policy` form of a rule: mandatory, config merged over the rule's defaults. */
export function toPolicy(rule: Rule<object>): ResourceValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        remediationSteps: rule.remediationSteps,
        enforcementLevel: "mandatory",
        configSchema: rule.configSchema,
        validateResource: (args, reportViolation) => {
            if (!rule.resourceTypes.includes(args.type)) return;
            const config = { ...rule.defaults, ...args.getConfig<object>() };
            for (const message of rule.check(args.type, args.props, config, { protect: args.opts.protect })) {
                reportViolation(message);
            }
        },
    };
}

/**
 * A rule over the whole stack: what it checks spans resources (a function's environment against the Redis users'
 * passwords and rights). Problems name the resource they are about.
 */
export interface StackRule<Config extends object = object> {
    readonly name: string;
    /** @default "mandatory" */
    readonly enforcementLevel?: "mandatory" | "advisory";
    readonly description: string;
    readonly remediationSteps: string;
    readonly configSchema?: PolicyConfigSchema;
    readonly defaults: Config;
    check(
        resources: readonly StackResource[],
        config: Config,
    ): Array<{ readonly resource: StackResource; readonly message: string }>;
}

export interface StackResource {
    readonly type: string;
    readonly name: string;
    readonly props: Record<string, unknown>;
    readonly urn?: string;
    readonly options?: ResourceOptions;
}

/** Access-string rules that give a user everything, or the commands that can destroy or reconfigure a cluster. */
const ADMIN_GRANTS = ["+@all", "allcommands", "+@dangerous", "+@admin"];
const FORBIDDEN_FUNCTION_GRANTS = ["+@all", "allcommands", "+@dangerous"];

function grants(accessString: Read, wanted: readonly string[]): string[] {
    if (typeof accessString !== "string") return [];
    const rules = accessString.toLowerCase().split(/\s+/);
    return wanted.filter((grant) => rules.includes(grant));
}

/** The plain (known) string values of a Lambda function's environment variables. */
function environmentValues(fn: StackResource): Map<string, string> {
    const variables = read(read(fn.props, "environment"), "variables");
    const values = new Map<string, string>();
    if (variables === UNKNOWN || variables === null || typeof variables !== "object") return values;
    for (const key of Object.keys(variables)) {
        const value = read(variables, key);
        if (typeof value === "string" && value !== "") values.set(key, value);
    }
    return values;
}

/** A Redis user's passwords, wherever the program put them (top-level or in authenticationMode). */
function passwordsOf(user: StackResource): string[] {
    const lists = [read(user.props, "passwords"), read(read(user.props, "authenticationMode"), "passwords")];
    return lists.flatMap((list) =>
        Array.isArray(list) ? list.filter((item): item is string => typeof item === "string") : [],
    );
}

export interface AdminPasswordConfig {
    /** authMode token: the function holds the one AUTH token, the default user's, which can do anything. */
    readonly allowAuthToken: boolean;
}

export const noAdminPasswordInFunctionRule: StackRule<AdminPasswordConfig> = {
    name: "lambda-no-admin-redis-password",
    description:
        "No function environment holds the password of a Redis user with admin rights (or the cluster's AUTH token).",
    remediationSteps:
        "Give the function its own Redis user with only the commands it needs (the program's authMode rbac or iam) and " +
        "put that user's password, never an admin's, in its environment. A stack that keeps one shared AUTH token " +
        '(authMode token) opts in with {"lambda-no-admin-redis-password": {"allowAuthToken": true}} in its policy config.',
    configSchema: {
        properties: {
            allowAuthToken: {
                type: "boolean",
                default: false,
                description: "Allow a function to hold the replication group's AUTH token (authMode token).",
            },
        },
    },
    defaults: { allowAuthToken: false },
    check(resources, config) {
        const admins = resources
            .filter((resource) => resource.type === ELASTICACHE_USER)
            .filter((user) => grants(read(user.props, "accessString"), ADMIN_GRANTS).length > 0);
        const tokens = config.allowAuthToken
            ? []
            : resources
                  .filter((resource) => resource.type === REPLICATION_GROUP)
                  .map((group) => ({ group, token: read(group.props, "authToken") }))
                  .filter(
                      (entry): entry is { group: StackResource; token: string } =>
                          typeof entry.token === "string" && entry.token !== "",
                  );
        const problems: Array<{ resource: StackResource; message: string }> = [];
        for (const fn of resources.filter((resource) => resource.type === LAMBDA_FUNCTION)) {
            const environment = environmentValues(fn);
            for (const [variable, value] of environment) {
                for (const admin of admins) {
                    if (!passwordsOf(admin).includes(value)) continue;
                    problems.push({
                        resource: fn,
                        message:
                            `Environment variable ${variable} holds a password of Redis user ${show(read(admin.props, "userName"))}, ` +
                            `whose access string grants ${grants(read(admin.props, "accessString"), ADMIN_GRANTS).join(", ")}: anyone ` +
                            "allowed lambda:GetFunctionConfiguration could run any command. Fix: give the function its own user " +
                            "with only the commands it needs (authMode rbac or iam) and its password in the environment.",
                    });
                }
                for (const { group } of tokens.filter((entry) => entry.token === value)) {
                    problems.push({
                        resource: fn,
                        message:
                            `Environment variable ${variable} holds the AUTH token of replication group ${group.name}, which lets ` +
                            "its holder run any command. Fix: set authMode to rbac or iam (the function then has its own user), " +
                            'or, to keep the shared token, set "allowAuthToken": true for lambda-no-admin-redis-password in the ' +
                            "stack's policy config.",
                    });
                }
            }
        }
        return problems;
    },
};

export const functionUserPrivilegeRule: StackRule = {
    name: "redis-function-user-least-privilege",
    description: "The Redis user a function authenticates as is granted neither +@all, allcommands nor +@dangerous.",
    remediationSteps:
        "Grant the function's user only the commands its handler sends (config/redisUsers.ts: CLUSTER SLOTS, CLUSTER INFO, " +
        "CLIENT SETNAME, READONLY, SET, GET, and WAIT with durable writes), e.g. `on ~* -@all +set +get ...`.",
    defaults: {},
    check(resources) {
        const problems: Array<{ resource: StackResource; message: string }> = [];
        const functionUserNames = new Set(
            resources
                .filter((resource) => resource.type === LAMBDA_FUNCTION)
                .map((fn) => environmentValues(fn).get("REDIS_USERNAME"))
                .filter((name): name is string => name !== undefined),
        );
        for (const user of resources.filter((resource) => resource.type === ELASTICACHE_USER)) {
            const userName = read(user.props, "userName");
            if (typeof userName !== "string" || !functionUserNames.has(userName)) continue;
            const granted = grants(read(user.props, "accessString"), FORBIDDEN_FUNCTION_GRANTS);
            if (granted.length === 0) continue;
            problems.push({
                resource: user,
                message:
                    `Redis user ${show(userName)} is a function's user (its REDIS_USERNAME) and its access string grants ` +
                    `${granted.join(", ")}: a leaked function password could flush, reconfigure or stop the cluster. Fix: ` +
                    'grant only the commands the handler sends, e.g. "on ~* -@all +cluster|slots +cluster|info ' +
                    '+client|setname +readonly +asking +set +get" (config/redisUsers.ts functionAccessString).',
            });
        }
        return problems;
    },
};

/** A stack whose replication group is protected (`protect: true`) is a production stack. */
function isProtectedStack(resources: readonly StackResource[]): boolean {
    return resources.some((resource) => resource.type === REPLICATION_GROUP && resource.options?.protect === true);
}

/**
 * What a production review asks of the function and the logs: a cap on the function's instances (each holds
 * connections to the nodes it calls; without one a burst is bounded only by the account) and log groups under a key
 * the account controls and can revoke.
 */
function postureProblems(resources: readonly StackResource[]): Array<{ resource: StackResource; message: string }> {
    const problems: Array<{ resource: StackResource; message: string }> = [];
    for (const fn of resources.filter((resource) => resource.type === LAMBDA_FUNCTION)) {
        const reserved = read(fn.props, "reservedConcurrentExecutions");
        if (reserved === UNKNOWN || (typeof reserved === "number" && reserved >= 1)) continue;
        problems.push({
            resource: fn,
            message:
                `The function has no reserved concurrency (reservedConcurrentExecutions ${show(reserved)}): a burst or a ` +
                "misbehaving caller can start instances, each holding connections to the cache nodes, up to the account's " +
                "whole concurrency. Fix: set redis-cluster:functionConcurrency in the stack's config (`npm run plan` shows " +
                "the connections per node it allows; Lambda keeps 100 of the account's concurrency unreserved).",
        });
    }
    for (const group of resources.filter((resource) => resource.type === LOG_GROUP)) {
        const key = read(group.props, "kmsKeyId");
        if (key === UNKNOWN || (has(group.props, "kmsKeyId") && key !== undefined && key !== "")) continue;
        problems.push({
            resource: group,
            message:
                "The log group has no kmsKeyId: its logs are under CloudWatch Logs' own encryption, with no key the " +
                "account controls or can revoke. Fix: set redis-cluster:logEncryption to kms in the stack's config (one " +
                "rotated key per stack, usable by CloudWatch Logs for the stack's log groups only).",
        });
    }
    return problems;
}

export const protectedStackPostureRule: StackRule = {
    name: "protected-stack-posture",
    description:
        "A stack whose replication group is protected (production) caps the function's concurrency and encrypts its log groups with its own KMS key.",
    remediationSteps:
        "In the stack's config set redis-cluster:functionConcurrency (the function's reserved concurrency) and " +
        "redis-cluster:logEncryption: kms (docs/security.md §6).",
    defaults: {},
    check: (resources) => (isProtectedStack(resources) ? postureProblems(resources) : []),
};

export const stackPostureAdvice: StackRule = {
    name: "stack-posture-advisory",
    enforcementLevel: "advisory",
    description:
        "Outside production (no protected replication group) the same posture is advised: reserved concurrency for the function, its own KMS key for the log groups.",
    remediationSteps: protectedStackPostureRule.remediationSteps,
    defaults: {},
    check: (resources) => (isProtectedStack(resources) ? [] : postureProblems(resources)),
};

/** Every stack-level rule of the pack. */
export const stackRules: readonly StackRule<object>[] = [
    noAdminPasswordInFunctionRule as StackRule<object>,
    functionUserPrivilegeRule,
    protectedStackPostureRule,
    stackPostureAdvice,
];

/** Runs every stack rule over a stack's resources, with per-rule config. */
export function evaluateStack(
    resources: readonly StackResource[],
    config: Readonly<Record<string, object>> = {},
): Violation[] {
    return stackRules.flatMap((rule) =>
        rule.check(resources, { ...rule.defaults, ...(config[rule.name] ?? {}) }).map(({ resource, message }) => ({
            rule: rule.name,
            level: rule.enforcementLevel ?? "mandatory",
            type: resource.type,
            name: resource.name,
            message,
        })),
    );
}

/** The `@pulumi/policy` form of a stack rule: its enforcement level (mandatory unless it says), config merged over the rule's defaults. */
export function toStackPolicy(rule: StackRule<object>): StackValidationPolicy {
    return {
        name: rule.name,
        description: rule.description,
        remediationSteps: rule.remediationSteps,
        enforcementLevel: rule.enforcementLevel ?? "mandatory",
        configSchema: rule.configSchema,
        validateStack: (args, reportViolation) => {
            const config = { ...rule.defaults, ...args.getConfig<object>() };
            const resources = args.resources.map((resource) => ({
                type: resource.type,
                name: resource.name,
                props: resource.props,
                urn: resource.urn,
                options: { protect: resource.opts?.protect },
            }));
            for (const { resource, message } of rule.check(resources, config)) reportViolation(message, resource.urn);
        },
    };
}
