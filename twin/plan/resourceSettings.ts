/**
 * "The settings that matter" of each resource type the program creates, in one short line, read from the inputs the
 * program registered (never recomputed from the stack configuration, so the plan shows what the program really does).
 */
import { unwrapSecret } from "../program/secrets";
import { GraphResource } from "./programGraph";

type Inputs = Record<string, any>;

const DESCRIBERS: Readonly<Record<string, (inputs: Inputs) => string>> = {
    "awsx:ec2:Vpc": (inputs) => {
        const specs = ((inputs.subnetSpecs ?? []) as Inputs[]).map(
            (spec) => `${String(spec.type).toLowerCase()} /${spec.cidrMask}`,
        );
        const nat = inputs.natGateways?.strategy ?? "default";
        return `${inputs.cidrBlock}, ${inputs.numberOfAvailabilityZones} AZs, subnets per AZ: ${specs.join(", ")}, NAT gateways: ${nat}`;
    },
    "aws:ec2/securityGroup:SecurityGroup": (inputs) => String(inputs.description ?? ""),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": describeRule,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": describeRule,
    "aws:ec2/vpcEndpoint:VpcEndpoint": (inputs) => {
        const service = String(inputs.serviceName ?? "")
            .split(".")
            .pop();
        if (inputs.vpcEndpointType !== "Interface") return `${inputs.vpcEndpointType} endpoint for ${service}`;
        const zones = (inputs.subnetIds ?? []).length;
        return `Interface endpoint for ${service} in ${zones} AZ${zones === 1 ? "" : "s"}${inputs.privateDnsEnabled ? ", private DNS" : ""}`;
    },
    "aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint": (inputs) =>
        `SSH tunnels to the client host, ${(inputs.securityGroupIds ?? []).length} security group, client IP ` +
        `${inputs.preserveClientIp === false ? "not preserved (the host sees the endpoint's address)" : "preserved"}, no hourly charge`,
    "aws:elasticache/subnetGroup:SubnetGroup": (inputs) => `${(inputs.subnetIds ?? []).length} subnets`,
    "aws:elasticache/user:User": (inputs) => {
        const mode = unwrapSecret(inputs.authenticationMode).value ?? {};
        const how = mode.type === "iam" ? "IAM auth" : `${(mode.passwords ?? []).length} password(s)`;
        return `${inputs.userName}: "${inputs.accessString}", ${how}`;
    },
    "aws:elasticache/userGroup:UserGroup": (inputs) => `${inputs.userGroupId}: ${(inputs.userIds ?? []).length} users`,
    "aws:elasticache/replicationGroup:ReplicationGroup": (inputs) => {
        const shards = Number(inputs.numNodeGroups);
        const replicas = Number(inputs.replicasPerNodeGroup);
        const access =
            (inputs.userGroupIds ?? []).length > 0
                ? " + RBAC user group"
                : unwrapSecret(inputs.authToken).value
                  ? " + AUTH token"
                  : "";
        const security = inputs.transitEncryptionEnabled ? `TLS${access}` : "no TLS, no AUTH";
        return [
            `${shards} shard${shards === 1 ? "" : "s"} × (1 primary + ${replicas} replica${replicas === 1 ? "" : "s"}) = ${shards * (replicas + 1)} × ${inputs.nodeType}`,
            `${inputs.engine} ${inputs.engineVersion} (${inputs.parameterGroupName})`,
            `port ${inputs.port}`,
            security,
            inputs.atRestEncryptionEnabled ? "encrypted at rest" : "not encrypted at rest",
            inputs.multiAzEnabled ? "multi-AZ" : "single-AZ",
            inputs.automaticFailoverEnabled ? "automatic failover" : "no automatic failover",
            Number(inputs.snapshotRetentionLimit ?? 0) > 0
                ? `snapshots kept ${inputs.snapshotRetentionLimit} d`
                : "no snapshots",
        ].join(", ");
    },
    "aws:cloudwatch/logGroup:LogGroup": (inputs) => `retention ${inputs.retentionInDays} d`,
    "random:index/randomPassword:RandomPassword": (inputs) =>
        `${inputs.length} characters${inputs.special === false ? ", letters and digits only" : ""} (secret)`,
    "aws:iam/role:Role": (inputs) => `assumed by ${principalsOf(inputs.assumeRolePolicy).join(", ") || "?"}`,
    "aws:iam/rolePolicy:RolePolicy": (inputs) => `allows ${actionsOf(inputs.policy).join(", ") || "?"}`,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (inputs) =>
        `managed policy ${String(inputs.policyArn).split("/").pop()}`,
    "aws:iam/instanceProfile:InstanceProfile": () => "the client host's role",
    "aws:ec2/instance:Instance": (inputs) => {
        const root = inputs.rootBlockDevice ?? {};
        return [
            String(inputs.instanceType),
            inputs.metadataOptions?.httpTokens === "required" ? "IMDSv2 only" : "IMDSv1 allowed",
            `root volume ${root.volumeType ?? "AMI default"}${root.volumeSize ? ` ${root.volumeSize} GiB` : ""}${root.encrypted ? " encrypted" : ""}`,
            "no public IP (isolated subnet)",
        ].join(", ");
    },
    "aws:lambda/function:Function": (inputs) => {
        const subnets = (inputs.vpcConfig?.subnetIds ?? []).length;
        return `${inputs.runtime} ${(inputs.architectures ?? ["x86_64"]).join("/")}, ${inputs.memorySize} MB, timeout ${inputs.timeout} s, in the VPC (${subnets} subnets)`;
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": (inputs) => {
        const target = Object.values(inputs.dimensions ?? {}).join(", ");
        const held =
            inputs.evaluationPeriods > 1
                ? `held ${inputs.evaluationPeriods} × ${inputs.period} s`
                : `over ${inputs.period} s`;
        const actions =
            (inputs.alarmActions ?? []).length > 0 && (inputs.okActions ?? []).length > 0
                ? "ALARM and OK to the topic"
                : "no notification";
        return `${inputs.metricName} ${inputs.extendedStatistic ?? inputs.statistic} >= ${inputs.threshold} ${held} on ${target}; ${actions}`;
    },
    "aws:cloudwatch/dashboard:Dashboard": (inputs) => `${parseWidgets(inputs.dashboardBody)} widgets`,
    "aws:sns/topic:Topic": (inputs) =>
        inputs.kmsMasterKeyId
            ? `encrypted with ${inputs.kmsMasterKeyId}`
            : "not encrypted (ElastiCache cannot publish to an encrypted topic)",
    "aws:sns/topicPolicy:TopicPolicy": (inputs) =>
        `publish: ${principalsOf(inputs.policy).join(", ") || "?"} and ElastiCache events (AWS:SourceOwner)`,
    "aws:sns/topicSubscription:TopicSubscription": (inputs) =>
        `${inputs.protocol} to ${inputs.endpoint} (confirmed by its owner)`,
    "aws:lambda/functionUrl:FunctionUrl": (inputs) =>
        inputs.authorizationType === "NONE"
            ? "auth NONE: public, unauthenticated"
            : `auth ${inputs.authorizationType} (signed requests)`,
};

/** One line of the settings that matter for `resource`; empty for components and types not listed. */
export function describeSettings(resource: GraphResource): string {
    const describe = DESCRIBERS[resource.type];
    const settings = describe ? describe(resource.inputs) : "";
    const options = [
        ...(resource.options.protect ? ["protected"] : []),
        ...(resource.options.retainOnDelete ? ["retained on delete"] : []),
    ];
    return [settings, ...(options.length > 0 ? [`[${options.join(", ")}]`] : [])].filter(Boolean).join(" ");
}

function describeRule(inputs: Inputs): string {
    const ports = inputs.fromPort === inputs.toPort ? `${inputs.fromPort}` : `${inputs.fromPort}-${inputs.toPort}`;
    return `${inputs.ipProtocol} ${ports}: ${inputs.description ?? ""}`.trim();
}

function parsePolicy(policy: unknown): { Statement?: Inputs[] } {
    try {
        return typeof policy === "string" ? JSON.parse(policy) : ((policy ?? {}) as { Statement?: Inputs[] });
    } catch {
        return {};
    }
}

function parseWidgets(body: unknown): number {
    try {
        return (JSON.parse(String(body)) as { widgets?: unknown[] }).widgets?.length ?? 0;
    } catch {
        return 0;
    }
}

function principalsOf(policy: unknown): string[] {
    return (parsePolicy(policy).Statement ?? []).flatMap((statement) => [statement.Principal?.Service ?? []].flat());
}

function actionsOf(policy: unknown): string[] {
    return [...new Set((parsePolicy(policy).Statement ?? []).flatMap((statement) => [statement.Action ?? []].flat()))];
}
