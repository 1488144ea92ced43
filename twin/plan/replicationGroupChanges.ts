/**
 * The provider's replacement rules as a model: given the resources the program registers before and after a config
 * change (as twin/program/mocks.ts records them) and what AWS reads back for the replication group, says what a `pulumi up`
 * would do — no change, update in place, update in the maintenance window, replacement, or a change AWS refuses.
 *
 * Source read: terraform-provider-aws v6.66.0 `internal/service/elasticache/replication_group.go`, the version
 * @pulumi/aws 7.48.0 is built from (`RG` below). Each rule cites the schema entry or function it comes from. Rules
 * for the other resource types cite their schema files in the same repository and were not read line by line (see
 * each `source`).
 */
import { compareVersions } from "../../config/validate";

export type Verdict =
    "no change" | "update in place" | "update in the maintenance window" | "replacement" | "refused by AWS";

/** Worst first: a change's verdict is the worst of its resources'. */
const SEVERITY: readonly Verdict[] = [
    "refused by AWS",
    "replacement",
    "update in the maintenance window",
    "update in place",
    "no change",
];

export function worse(a: Verdict, b: Verdict): Verdict {
    return SEVERITY.indexOf(a) <= SEVERITY.indexOf(b) ? a : b;
}

/** A registered resource, as far as the model needs it (a subset of twin/program/mocks.ts's RecordedResource). */
export interface RegisteredResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
    readonly custom: boolean;
    /** The `ignoreChanges` option: these inputs keep the state's value (the auto-scaled counts). */
    readonly options?: { readonly ignoreChanges: readonly string[] };
}

/** What one resource's change does, and why. */
export interface ResourceChange {
    readonly type: string;
    readonly name: string;
    readonly verdict: Verdict;
    readonly reasons: readonly string[];
}

export interface ChangeAssessment {
    /** The worst over every resource. */
    readonly verdict: Verdict;
    /** The replication group's own verdict: what happens to the data. */
    readonly cluster: Verdict;
    readonly changes: readonly ResourceChange[];
}

/** The provider release @pulumi/aws 7.48.0 is built from: every `source` below was read there. */
const PROVIDER = "terraform-provider-aws v6.66.0";
const RG = `${PROVIDER} internal/service/elasticache/replication_group.go`;
export const REPLICATION_GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";

/** How a change of one input is applied. */
type FieldEffect = "replace" | "in place" | "deferrable" | "state only";

interface FieldRule {
    readonly effect: FieldEffect;
    readonly source: string;
}

/**
 * Replication group inputs by how the provider applies a change to them. Inputs not listed are sent by `Update` in
 * the one `ModifyReplicationGroup` call (in place).
 */
const REPLICATION_GROUP_FIELDS: Readonly<Record<string, FieldRule>> = {
    atRestEncryptionEnabled: { effect: "replace", source: `${RG}: schema at_rest_encryption_enabled ForceNew` },
    dataTieringEnabled: { effect: "replace", source: `${RG}: schema data_tiering_enabled ForceNew` },
    globalReplicationGroupId: { effect: "replace", source: `${RG}: schema global_replication_group_id ForceNew` },
    kmsKeyId: { effect: "replace", source: `${RG}: schema kms_key_id ForceNew` },
    networkType: { effect: "replace", source: `${RG}: schema network_type ForceNew` },
    port: { effect: "replace", source: `${RG}: schema port ForceNew` },
    replicationGroupId: { effect: "replace", source: `${RG}: schema replication_group_id ForceNew` },
    securityGroupNames: { effect: "replace", source: `${RG}: schema security_group_names ForceNew` },
    snapshotArns: { effect: "replace", source: `${RG}: schema snapshot_arns ForceNew` },
    snapshotName: { effect: "replace", source: `${RG}: schema snapshot_name ForceNew` },
    subnetGroupName: { effect: "replace", source: `${RG}: schema subnet_group_name ForceNew` },
    numNodeGroups: {
        effect: "in place",
        source: `${RG}: Update step 1, modifyReplicationGroupShardConfigurationNumNodeGroups, ApplyImmediately=true`,
    },
    replicasPerNodeGroup: {
        effect: "in place",
        source: `${RG}: Update step 1, modifyReplicationGroupShardConfigurationReplicasPerNodeGroup (Increase/DecreaseReplicaCount, ApplyImmediately=true)`,
    },
    authToken: {
        effect: "in place",
        source: `${RG}: Update step 4, its own ModifyReplicationGroup with ApplyImmediately=true`,
    },
    authTokenUpdateStrategy: { effect: "in place", source: `${RG}: Update step 4 (with authToken)` },
    nodeType: {
        effect: "deferrable",
        source: `${RG}: Update ModifyReplicationGroup CacheNodeType with ApplyImmediately=apply_immediately; Read sets node_type from the cache cluster (current value)`,
    },
    engineVersion: {
        effect: "deferrable",
        source: `${RG}: Update ModifyReplicationGroup EngineVersion with ApplyImmediately=apply_immediately; Read sets engine_version from the cache cluster (current value)`,
    },
    engine: {
        effect: "deferrable",
        source: `${RG}: Update sends Engine=valkey only together with an EngineVersion change`,
    },
    finalSnapshotIdentifier: {
        effect: "state only",
        source: `${RG}: final_snapshot_identifier is only read by resourceReplicationGroupDelete (DeleteReplicationGroup's FinalSnapshotIdentifier), never sent by Update`,
    },
    applyImmediately: {
        effect: "state only",
        source: `${RG}: apply_immediately is only read by Update (ModifyReplicationGroup's ApplyImmediately), never sent alone`,
    },
};

/** Other resource types: inputs whose change replaces the resource (schema ForceNew / RequiresReplace). */
const FORCE_NEW_BY_TYPE: Readonly<Record<string, { readonly fields: readonly string[]; readonly source: string }>> = {
    "aws:elasticache/subnetGroup:SubnetGroup": {
        fields: ["name"],
        source: `${PROVIDER} internal/service/elasticache/subnet_group.go: name ForceNew; subnet_ids and description are updated (ModifyCacheSubnetGroup)`,
    },
    "aws:ec2/securityGroup:SecurityGroup": {
        fields: ["name", "namePrefix", "description", "vpcId"],
        source: `${PROVIDER} internal/service/ec2/vpc_security_group.go: name, description, vpc_id ForceNew`,
    },
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
        fields: ["securityGroupId"],
        source: `${PROVIDER} internal/service/ec2/vpc_security_group_ingress_rule.go: security_group_id RequiresReplace`,
    },
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        fields: ["securityGroupId"],
        source: `${PROVIDER} internal/service/ec2/vpc_security_group_egress_rule.go: security_group_id RequiresReplace`,
    },
    "aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint": {
        fields: ["subnetId", "securityGroupIds", "preserveClientIp"],
        source: `${PROVIDER} internal/service/ec2/ec2_instance_connect_endpoint.go: subnet_id, security_group_ids, preserve_client_ip RequiresReplace (WithNoOpUpdate: only tags change in place)`,
    },
    "aws:cloudwatch/logGroup:LogGroup": {
        fields: ["name", "namePrefix", "logGroupClass"],
        source: `${PROVIDER} internal/service/logs/group.go: name, log_group_class ForceNew; retention_in_days updated (PutRetentionPolicy), kms_key_id associated or disassociated in place (AssociateKmsKey, DisassociateKmsKey)`,
    },
    "aws:lambda/permission:Permission": {
        fields: [
            "action",
            "function",
            "principal",
            "functionUrlAuthType",
            "invokedViaFunctionUrl",
            "sourceArn",
            "statementId",
        ],
        source: `${PROVIDER} internal/service/lambda/permission.go: every argument ForceNew`,
    },
    "aws:elasticache/user:User": {
        fields: ["userId", "userName"],
        source: `${PROVIDER} internal/service/elasticache/user.go: user_id, user_name ForceNew; access_string, authentication_mode and passwords are sent with ModifyUser`,
    },
    "aws:elasticache/userGroup:UserGroup": {
        fields: ["engine", "userGroupId"],
        source: `${PROVIDER} internal/service/elasticache/user_group.go: user_group_id ForceNew; engine ForceNew in the stored copy read (which took REDIS only), so treated as replacing; user_ids are sent with ModifyUserGroup (add/remove). The program keeps both on redis for either cluster engine`,
    },
    "aws:cloudwatch/metricAlarm:MetricAlarm": {
        fields: ["name"],
        source: `${PROVIDER} internal/service/cloudwatch/metric_alarm.go: alarm_name ForceNew; every other argument is sent again with PutMetricAlarm`,
    },
    "aws:elasticache/parameterGroup:ParameterGroup": {
        fields: ["name", "family", "description"],
        source: `${PROVIDER} internal/service/elasticache/parameter_group.go: name, family, description ForceNew; parameter values are sent with ModifyCacheParameterGroup`,
    },
    "aws:appautoscaling/target:Target": {
        fields: ["resourceId", "scalableDimension", "serviceNamespace"],
        source: `${PROVIDER} internal/service/appautoscaling/target.go: resource_id, scalable_dimension, service_namespace ForceNew; min_capacity and max_capacity are sent again with RegisterScalableTarget (read in an older stored copy of the provider, commit 0105d2191ae7)`,
    },
    "aws:appautoscaling/policy:Policy": {
        fields: ["name", "resourceId", "scalableDimension", "serviceNamespace"],
        source: `${PROVIDER} internal/service/appautoscaling/policy.go: name, resource_id, scalable_dimension, service_namespace ForceNew; the target tracking configuration is sent again with PutScalingPolicy (read in an older stored copy of the provider, commit 048320e88399)`,
    },
    "aws:cloudwatch/dashboard:Dashboard": {
        fields: ["dashboardName"],
        source: `${PROVIDER} internal/service/cloudwatch/dashboard.go: dashboard_name ForceNew; dashboard_body is put again (compared as JSON)`,
    },
    // awsx's Vpc is a remote component: its own inputs stand for the aws.ec2.Vpc and Subnets it creates.
    "awsx:ec2:Vpc": {
        fields: ["cidrBlock", "numberOfAvailabilityZones", "subnetSpecs", "subnetStrategy", "availabilityZoneNames"],
        source: `${PROVIDER} internal/service/ec2/vpc_.go: cidr_block ForceNew; vpc_subnet.go: cidr_block, availability_zone ForceNew (awsx lays the subnets out again from these inputs)`,
    },
};

/**
 * The replication group's node groups as the provider's Read stores them (flattenNodeGroupConfigurations): id,
 * slots, replica_count (only when the shard has replicas) and the AZs of its members.
 */
export interface NodeGroupState {
    readonly nodeGroupId: string;
    readonly slots: string;
    readonly replicaCount: number;
    readonly primaryAvailabilityZone: string;
    readonly replicaAvailabilityZones: readonly string[];
}

/** What AWS reads back for the replication group after the `before` inputs were applied. */
export interface ReadBackState {
    readonly nodeGroups: readonly NodeGroupState[];
    /** `engine_version_actual`, which decides whether a TLS change replaces (ForceNewIf transit_encryption_enabled). */
    readonly engineVersionActual: string;
    readonly snapshotRetentionLimit: number;
}

/** Stands for an AZ ElastiCache chose itself: it cannot be predicted, so it never equals a configured one. */
export const CHOSEN_BY_ELASTICACHE = "(chosen by ElastiCache)";

interface ConfiguredNodeGroup {
    nodeGroupId?: string;
    slots?: string;
    replicaCount?: number;
    primaryAvailabilityZone?: string;
    replicaAvailabilityZones?: string[];
}

/**
 * What the provider's Read stores after `before` was applied: configured node groups come back as configured
 * (ElastiCache honours explicit slots and AZs); without them ElastiCache assigns ids 0001…, its own slot split
 * (`awsSlots`) and AZs of its choice.
 */
export function readBack(before: Record<string, unknown>, awsSlots: (shards: number) => string[]): ReadBackState {
    const shards = Number(before.numNodeGroups ?? 1);
    const replicas = Number(before.replicasPerNodeGroup ?? 0);
    const configured = (before.nodeGroupConfigurations as ConfiguredNodeGroup[] | undefined) ?? [];
    const slots = awsSlots(shards);
    const nodeGroups =
        configured.length > 0
            ? configured.map((group, index) => ({
                  nodeGroupId: group.nodeGroupId ?? String(index + 1).padStart(4, "0"),
                  slots: group.slots ?? slots[index],
                  replicaCount: group.replicaCount ?? replicas,
                  primaryAvailabilityZone: group.primaryAvailabilityZone ?? CHOSEN_BY_ELASTICACHE,
                  replicaAvailabilityZones:
                      group.replicaAvailabilityZones ?? Array(replicas).fill(CHOSEN_BY_ELASTICACHE),
              }))
            : slots.map((range, index) => ({
                  nodeGroupId: String(index + 1).padStart(4, "0"),
                  slots: range,
                  replicaCount: replicas,
                  primaryAvailabilityZone: CHOSEN_BY_ELASTICACHE,
                  replicaAvailabilityZones: Array(replicas).fill(CHOSEN_BY_ELASTICACHE),
              }));
    return {
        nodeGroups,
        engineVersionActual: String(before.engineVersion ?? ""),
        snapshotRetentionLimit: Number(before.snapshotRetentionLimit ?? 0),
    };
}

/**
 * `CustomizeDiff` → `ForceNewIf("node_group_configuration")` and `hasSignificantNodeGroupConfigChanges` (RG). The
 * attribute is Optional+Computed: when the configuration leaves it out, the plan keeps the state, so there is no diff.
 */
function nodeGroupReplacement(
    state: readonly NodeGroupState[],
    configured: ConfiguredNodeGroup[] | undefined,
): string | undefined {
    if (!configured || configured.length === 0) return undefined;
    if (state.length !== configured.length) {
        return `nodeGroupConfigurations: ${configured.length} configured node groups, ${state.length} in the state (hasSignificantNodeGroupConfigChanges: node groups added or removed)`;
    }
    const byId = new Map(state.map((group) => [group.nodeGroupId, group]));
    for (const group of configured) {
        const old = byId.get(group.nodeGroupId ?? "");
        if (!old)
            return `nodeGroupConfigurations: node group ${group.nodeGroupId} is not in the state (hasSignificantNodeGroupConfigChanges)`;
        // flattenNodeGroupConfigurations stores replica_count only for shards with replicas; absent reads as 0.
        if ((group.replicaCount ?? 0) !== old.replicaCount) {
            return `nodeGroupConfigurations[${group.nodeGroupId}].replicaCount: ${old.replicaCount} read back, ${group.replicaCount} configured (hasSignificantNodeGroupConfigChanges)`;
        }
        if ((group.slots ?? "") !== old.slots) {
            return `nodeGroupConfigurations[${group.nodeGroupId}].slots: ${JSON.stringify(old.slots)} read back, ${JSON.stringify(group.slots ?? "")} configured (hasSignificantNodeGroupConfigChanges)`;
        }
        if (
            old.primaryAvailabilityZone !== "" &&
            group.primaryAvailabilityZone !== undefined &&
            group.primaryAvailabilityZone !== old.primaryAvailabilityZone
        ) {
            return `nodeGroupConfigurations[${group.nodeGroupId}].primaryAvailabilityZone: ${old.primaryAvailabilityZone} read back, ${group.primaryAvailabilityZone} configured (hasSignificantNodeGroupConfigChanges)`;
        }
        const replicaZones = group.replicaAvailabilityZones ?? [];
        if (
            old.replicaAvailabilityZones.length > 0 &&
            JSON.stringify(old.replicaAvailabilityZones) !== JSON.stringify(replicaZones)
        ) {
            return `nodeGroupConfigurations[${group.nodeGroupId}].replicaAvailabilityZones: ${old.replicaAvailabilityZones.join(", ")} read back, ${replicaZones.join(", ") || "none"} configured (hasSignificantNodeGroupConfigChanges)`;
        }
    }
    return undefined;
}

function same(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].filter((key) => !same(before[key], after[key])).sort();
}

/** The replication group's verdict, given what was registered before and after and what AWS read back. */
export function assessReplicationGroup(
    before: Record<string, unknown>,
    after: Record<string, unknown>,
    state: ReadBackState,
): { verdict: Verdict; reasons: string[] } {
    const reasons: string[] = [];
    let verdict: Verdict = "no change";
    const note = (v: Verdict, reason: string) => {
        verdict = worse(verdict, v);
        reasons.push(`${v}: ${reason}`);
    };

    const nodeGroups = nodeGroupReplacement(
        state.nodeGroups,
        after.nodeGroupConfigurations as ConfiguredNodeGroup[] | undefined,
    );
    if (nodeGroups) note("replacement", `${nodeGroups} — ${RG}: CustomizeDiff ForceNewIf("node_group_configuration")`);

    const deferred = after.applyImmediately !== true;
    for (const field of changedFields(before, after)) {
        if (field === "nodeGroupConfigurations") continue; // judged against the read-back state above
        if (
            field === "engineVersion" &&
            compareVersions(String(after.engineVersion), String(before.engineVersion)) < 0
        ) {
            note(
                "replacement",
                `engineVersion ${before.engineVersion} → ${after.engineVersion} is a downgrade — ${RG}: customizeDiffEngineVersionForceNewOnDowngrade`,
            );
            continue;
        }
        if (field === "engine" && before.engine === "valkey" && after.engine !== "valkey") {
            note("replacement", `engine valkey → ${after.engine} — ${RG}: customizeDiffEngineForceNewOnDowngrade`);
            continue;
        }
        if (field === "transitEncryptionEnabled" && compareVersions(state.engineVersionActual, "7.0.5") < 0) {
            note(
                "replacement",
                `transitEncryptionEnabled with engine_version_actual ${state.engineVersionActual} < 7.0.5 — ${RG}: CustomizeDiff ForceNewIf("transit_encryption_enabled")`,
            );
            continue;
        }
        if (field === "transitEncryptionEnabled" && after.transitEncryptionMode === undefined) {
            // On paper (AWS "Enabling in-transit encryption on an existing cluster"): from 7.0.5 TLS is switched via
            // TransitEncryptionMode=preferred in a first modification; a lone TransitEncryptionEnabled change with the
            // mode read back as `required` (or absent) is not accepted.
            note(
                "refused by AWS",
                `transitEncryptionEnabled without transitEncryptionMode: AWS changes TLS on a running ${state.engineVersionActual} cluster only through transitEncryptionMode preferred (two modifications) — AWS ElastiCache guide, in-transit encryption on an existing cluster (not run)`,
            );
            continue;
        }
        if (
            field === "snapshotRetentionLimit" &&
            state.snapshotRetentionLimit === 0 &&
            Number(after.snapshotRetentionLimit) > 0
        ) {
            note(
                "refused by AWS",
                `snapshotRetentionLimit 0 → ${after.snapshotRetentionLimit}: Update also sends SnapshottingClusterId=<id>-001 when the old value is 0, which AWS refuses for cluster mode enabled — ${RG}: resourceReplicationGroupUpdate`,
            );
            continue;
        }
        const rule = REPLICATION_GROUP_FIELDS[field];
        if (rule?.effect === "replace") note("replacement", `${field} — ${rule.source}`);
        else if (rule?.effect === "deferrable" && deferred) {
            note(
                "update in the maintenance window",
                `${field} with applyImmediately false: pending until the window, and Read puts the current value back, so every preview shows it again — ${rule.source}`,
            );
        } else if (rule?.effect === "state only")
            note("update in place", `${field}: state only, no AWS call — ${rule.source}`);
        else
            note(
                "update in place",
                `${field} — ${rule?.source ?? `${RG}: resourceReplicationGroupUpdate, ModifyReplicationGroup`}`,
            );
    }
    return { verdict, reasons };
}

function assessOther(before: RegisteredResource, after: RegisteredResource): { verdict: Verdict; reasons: string[] } {
    const fields = changedFields(before.inputs, after.inputs);
    if (fields.length === 0) return { verdict: "no change", reasons: [] };
    const forceNew = FORCE_NEW_BY_TYPE[before.type];
    const replacing = fields.filter((field) => forceNew?.fields.includes(field));
    if (replacing.length > 0)
        return { verdict: "replacement", reasons: [`replacement: ${replacing.join(", ")} — ${forceNew!.source}`] };
    return { verdict: "update in place", reasons: [`update in place: ${fields.join(", ")}`] };
}

const key = (resource: RegisteredResource) => `${resource.type}::${resource.name}`;

/**
 * The inputs a later `up` compares: an input the resource ignores keeps the state's value ("Pulumi ignores a property
 * by using the old value from the state instead of the value provided by the Pulumi program",
 * https://www.pulumi.com/docs/iac/concepts/options/ignorechanges/).
 */
export function comparedInputs(state: Record<string, unknown>, next: RegisteredResource): Record<string, unknown> {
    const ignored = (next.options?.ignoreChanges ?? []).filter((field) => field in state);
    return { ...next.inputs, ...Object.fromEntries(ignored.map((field) => [field, state[field]])) };
}

/**
 * Every resource's verdict between two evaluations of the program. Resources only in `after` are created, those only
 * in `before` deleted (both in place for the stack); a deleted replication group is the data lost, so a replacement.
 */
export function assessChange(
    before: readonly RegisteredResource[],
    after: readonly RegisteredResource[],
    awsSlots: (shards: number) => string[],
): ChangeAssessment {
    const changes: ResourceChange[] = [];
    const previous = new Map(before.filter((r) => r.custom || r.type.startsWith("awsx:")).map((r) => [key(r), r]));
    const next = new Map(after.filter((r) => r.custom || r.type.startsWith("awsx:")).map((r) => [key(r), r]));
    for (const [id, resource] of next) {
        const old = previous.get(id);
        if (!old) {
            changes.push({
                type: resource.type,
                name: resource.name,
                verdict: "update in place",
                reasons: ["created"],
            });
            continue;
        }
        const inputs = comparedInputs(old.inputs, resource);
        const assessed =
            resource.type === REPLICATION_GROUP
                ? assessReplicationGroup(old.inputs, inputs, readBack(old.inputs, awsSlots))
                : assessOther(old, { ...resource, inputs });
        if (assessed.verdict !== "no change") changes.push({ type: resource.type, name: resource.name, ...assessed });
    }
    for (const [id, resource] of previous) {
        if (next.has(id)) continue;
        const verdict: Verdict = resource.type === REPLICATION_GROUP ? "replacement" : "update in place";
        changes.push({ type: resource.type, name: resource.name, verdict, reasons: ["deleted"] });
    }
    const cluster = changes.find((change) => change.type === REPLICATION_GROUP)?.verdict ?? "no change";
    const verdict = changes.reduce<Verdict>((worst, change) => worse(worst, change.verdict), "no change");
    return { verdict, cluster, changes };
}
