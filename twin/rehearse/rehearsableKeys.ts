/**
 * What a local Redis Cluster can show, key by key. Typed over every key the program reads, so a new key needs a
 * decision here. `shown`: the change is carried out on the running cluster; otherwise the reason it cannot be.
 */
import type { ConfigKey } from "../../config/validate";

export type Rehearsable = "shown" | { readonly refused: string };

const refuse = (refused: string): Rehearsable => ({ refused });
const NOT_THE_CLUSTER = "changes nothing the cluster or the function's calls can show locally";

export const REHEARSABLE: Readonly<Record<ConfigKey, Rehearsable>> = {
    numNodeGroups: "shown",
    replicaCount: "shown",
    nodeType: "shown",
    engineVersion: "shown",
    // A port change replaces the cluster, which is shown; so is a new empty cluster for any replacement verdict.
    port: "shown",
    authMode: "shown",
    passwordVersion: "shown",
    passwordRotation: "shown",
    durableWrites: "shown",
    engine: refuse("the local cluster runs Debian's redis-server only; it cannot stand in for a Valkey node"),
    parameterGroupName: refuse("the local cluster has no parameter groups (ElastiCache applies them to its own nodes)"),
    availabilityZoneCount: refuse("the local cluster has no availability zones or subnets"),
    shardPlacement: refuse("the local cluster has no availability zones to place shards in"),
    vpcCidr: refuse("the local cluster has no VPC"),
    transitEncryption: refuse(
        "TLS is switched on a running cluster by ElastiCache's control plane, which a local Redis does not have",
    ),
    clientHost: refuse(`the client host ${NOT_THE_CLUSTER}`),
    clientAccess: refuse(`the way into the client host ${NOT_THE_CLUSTER}`),
    functionUrlAuthType: refuse(
        "the rehearsal calls the function directly; the Function URL's IAM check is not part of it",
    ),
    protect: refuse(`a Pulumi resource option ${NOT_THE_CLUSTER}`),
    snapshotRetentionDays: refuse("the local cluster takes no snapshots"),
    logRetentionDays: refuse(`the log groups' retention ${NOT_THE_CLUSTER}`),
    applyImmediately: refuse(
        "it changes only when later modifications are applied, which a local cluster has no window for",
    ),
    monitoring: refuse(`CloudWatch alarms and the dashboard ${NOT_THE_CLUSTER}`),
    alarmEmail: refuse(`the alarm topic's subscription ${NOT_THE_CLUSTER}`),
    alarmEngineCpuPercent: refuse(`an alarm threshold ${NOT_THE_CLUSTER}`),
    alarmMemoryPercent: refuse(`an alarm threshold ${NOT_THE_CLUSTER}`),
    alarmEvictions: refuse(`an alarm threshold ${NOT_THE_CLUSTER}`),
    alarmReplicationLagSeconds: refuse(`an alarm threshold ${NOT_THE_CLUSTER}`),
    alarmConnections: refuse(`an alarm threshold ${NOT_THE_CLUSTER}`),
    alarmFunctionErrors: refuse(`an alarm threshold ${NOT_THE_CLUSTER}`),
    alarmFunctionDurationPercent: refuse(`an alarm threshold ${NOT_THE_CLUSTER}`),
};

/** The first refusal among `keys`, as the one line to print; undefined when every key can be shown. */
export function refusalOf(keys: readonly string[]): string | undefined {
    for (const key of keys) {
        const decision = REHEARSABLE[key as ConfigKey];
        if (decision !== undefined && decision !== "shown")
            return `${key}: cannot be rehearsed locally: ${decision.refused}`;
    }
    return undefined;
}
