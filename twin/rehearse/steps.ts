/**
 * A configuration change as the list of operations ElastiCache (and the rest of `pulumi up`) carries out, in order.
 * Choosing the steps (deriveSteps.ts from a config change; a scaler's next step later) is kept apart from running
 * them (carryOut.ts), so every way of choosing reuses the one way of running.
 */
import type { ProgramRedisUser } from "../cluster/redisUsers";

export type ReshapeStep =
    /** `numNodeGroups` +N: new primaries (with the current replicas per shard) join, slots move to an even split. */
    | { readonly kind: "add shards"; readonly count: number }
    /** `numNodeGroups` −N: the last shards' slots move to the others first, then their nodes leave. */
    | { readonly kind: "remove shards"; readonly count: number }
    /** `replicaCount` +N: that many replicas join every shard and sync. */
    | { readonly kind: "add replicas"; readonly perShard: number }
    /** `replicaCount` −N: that many replicas leave every shard. */
    | { readonly kind: "remove replicas"; readonly perShard: number }
    /** A node type or engine version change: every node replaced, one shard at a time, with a failover. */
    | { readonly kind: "rolling replace"; readonly because: string }
    /** The Redis users change on every node (ModifyUser, or a user group attached). */
    | {
          readonly kind: "acl change";
          readonly before: readonly ProgramRedisUser[];
          readonly after: readonly ProgramRedisUser[];
          /** authMode token → rbac/iam: the AUTH token stops working in the same modification. */
          readonly tokenRemoved: boolean;
      }
    /** The function's configuration changes: new containers start with the new environment. */
    | { readonly kind: "function environment"; readonly variables: readonly string[] }
    /** A replacement: a new, empty cluster takes the old one's place; the function moves to it; the old is deleted. */
    | { readonly kind: "replace cluster"; readonly because: string };

export type StepKind = ReshapeStep["kind"];

/** One line for progress and the report. */
export function describeStep(step: ReshapeStep): string {
    switch (step.kind) {
        case "add shards":
            return `add ${step.count} shard(s), rebalance slots online`;
        case "remove shards":
            return `move the slots of ${step.count} shard(s) away, remove their nodes`;
        case "add replicas":
            return `add ${step.perShard} replica(s) to every shard`;
        case "remove replicas":
            return `remove ${step.perShard} replica(s) from every shard`;
        case "rolling replace":
            return `replace every node, one shard at a time, with a failover (${step.because})`;
        case "acl change":
            return `ACL change on every node: ${describeUsers(step.before)} → ${describeUsers(step.after)}${step.tokenRemoved ? " (AUTH token removed)" : ""}`;
        case "function environment":
            return `function update: new containers with ${step.variables.join(", ")}`;
        case "replace cluster":
            return `replacement: a new empty cluster, the function moved to it, the old one deleted (${step.because})`;
    }
}

/** `name (2 passwords, "on ~* …")`, per user. */
function describeUsers(users: readonly ProgramRedisUser[]): string {
    if (users.length === 0) return "no users (AUTH token)";
    return users
        .map((user) => `${user.userName} (${user.iam ? "iam" : `${user.passwords.length} password(s)`})`)
        .join(", ");
}
