/**
 * The steps a config change is carried out in, derived from the settings before and after, the model's verdict on the
 * replication group, and what the two evaluations of the program declare (users, the function's environment). Pure.
 *
 * Order, as `pulumi up` and the provider apply it: Redis users are modified first (ModifyUser; the user group, the
 * replication group and the function all depend on them); then the replication group's Update — shards, then replicas
 * (terraform-provider-aws v6.66.0 internal/service/elasticache/replication_group.go, modifyReplicationGroupShardConfiguration: num_node_groups
 * before replicas_per_node_group), then the one ModifyReplicationGroup (node type, engine version, a user group
 * attached in place of the AUTH token); the function last, as it depends on the cluster and its users.
 */
import type { StackSettings } from "../../config/settings";
import type { ProgramRedisUser } from "../cluster/redisUsers";
import type { Verdict } from "../plan/replicationGroupChanges";
import type { ReshapeStep } from "./steps";

export interface StepInputs {
    readonly before: StackSettings;
    readonly after: StackSettings;
    /** The model's verdict on the replication group, and its reasons. */
    readonly cluster: { readonly verdict: Verdict; readonly reasons: readonly string[] };
    readonly usersBefore: readonly ProgramRedisUser[];
    readonly usersAfter: readonly ProgramRedisUser[];
    readonly environmentBefore: Readonly<Record<string, string>>;
    readonly environmentAfter: Readonly<Record<string, string>>;
    /** The program's function depends (directly or not) on its Redis users: they are modified before it. */
    readonly functionAfterUsers: boolean;
}

export function deriveSteps(inputs: StepInputs): ReshapeStep[] {
    const { before, after } = inputs;
    if (inputs.cluster.verdict === "replacement") {
        return [{ kind: "replace cluster", because: inputs.cluster.reasons.join("; ") || "replacement" }];
    }
    const tokenRemoved = before.authMode === "token" && after.authMode !== "token";
    const aclChanged = tokenRemoved || !sameUsers(inputs.usersBefore, inputs.usersAfter);
    const acl: ReshapeStep[] = aclChanged
        ? [{ kind: "acl change", before: inputs.usersBefore, after: inputs.usersAfter, tokenRemoved }]
        : [];
    const variables = changedVariables(inputs.environmentBefore, inputs.environmentAfter);
    const fn: ReshapeStep[] = variables.length > 0 ? [{ kind: "function environment", variables }] : [];

    const cluster: ReshapeStep[] = [];
    const shards = after.numNodeGroups - before.numNodeGroups;
    if (shards > 0) cluster.push({ kind: "add shards", count: shards });
    if (shards < 0) cluster.push({ kind: "remove shards", count: -shards });
    const replicas = after.replicaCount - before.replicaCount;
    if (replicas > 0) cluster.push({ kind: "add replicas", perShard: replicas });
    if (replicas < 0) cluster.push({ kind: "remove replicas", perShard: -replicas });
    const rolling = [
        ...(after.nodeType !== before.nodeType ? [`nodeType ${before.nodeType} → ${after.nodeType}`] : []),
        ...(after.engineVersion !== before.engineVersion
            ? [`engineVersion ${before.engineVersion} → ${after.engineVersion}`]
            : []),
    ];
    if (rolling.length > 0) cluster.push({ kind: "rolling replace", because: rolling.join(", ") });

    // The user group replaces the token in the replication group's own modification, after any resharding; a ModifyUser
    // happens before the replication group is touched.
    const ordered = tokenRemoved ? [...cluster, ...acl] : [...acl, ...cluster];
    return inputs.functionAfterUsers ? [...ordered, ...fn] : [...fn, ...ordered];
}

function sameUsers(a: readonly ProgramRedisUser[], b: readonly ProgramRedisUser[]): boolean {
    const text = (users: readonly ProgramRedisUser[]) =>
        JSON.stringify(
            [...users]
                .sort((x, y) => (x.userName < y.userName ? -1 : 1))
                .map((user) => [user.userName, user.accessString, [...user.passwords], user.iam]),
        );
    return text(a) === text(b);
}

/** Names of the variables added, removed or changed, sorted. */
export function changedVariables(
    before: Readonly<Record<string, string>>,
    after: Readonly<Record<string, string>>,
): string[] {
    const names = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...names].filter((name) => before[name] !== after[name]).sort();
}
