/**
 * Runs one step on the running local system with real Redis operations (twin/cluster/reshape.ts) — the one way of
 * carrying out a step, whoever chose it.
 */
import type { ArchiveProcess } from "../archive/archiveProcess";
import type { LocalRedisCluster } from "../cluster/redisCluster";
import { applyRedisUsers } from "../cluster/redisUsers";
import { addReplicas, addShards, removeReplicas, removeShards, rollingReplace } from "../cluster/reshape";
import type { FunctionContainers } from "./functionContainers";
import type { ReshapeStep } from "./steps";

export interface StepTarget {
    /** The cluster the function is pointed at now. */
    readonly cluster: LocalRedisCluster;
    readonly containers: FunctionContainers;
    /** Starts one container of the function as configured *after* the change, pointed at `cluster`. */
    startContainer(cluster: LocalRedisCluster): Promise<ArchiveProcess>;
    /** Starts an empty cluster of the *after* shape, with the after users; the caller stops it. */
    startEmptyCluster(): Promise<LocalRedisCluster>;
    /** A replacement's new cluster becomes the current one. */
    replaceCluster(cluster: LocalRedisCluster): void;
    /** The binary standing in for a new node type or engine version. */
    readonly redisServer?: string;
    readonly say: (message: string) => void;
}

export async function carryOut(step: ReshapeStep, target: StepTarget): Promise<void> {
    const { cluster, say } = target;
    switch (step.kind) {
        case "add shards":
            return addShards(cluster, step.count, say);
        case "remove shards":
            return removeShards(cluster, step.count, say);
        case "add replicas":
            return addReplicas(cluster, step.perShard, say);
        case "remove replicas":
            return removeReplicas(cluster, step.perShard, say);
        case "rolling replace":
            return rollingReplace(cluster, { redisServer: target.redisServer }, say);
        case "acl change": {
            // token → rbac: the default user loses the token and every right in the same command (the program's
            // default user is "off -@all"), so connections still using the token are refused from here on.
            await applyRedisUsers(cluster, step.after);
            const kept = new Set(step.after.map((user) => user.userName));
            const removed = step.before.filter((user) => !kept.has(user.userName)).map((user) => user.userName);
            await cluster.removeAclUsers(removed);
            say(`ACL SETUSER on every node: ${step.after.map((user) => user.userName).join(", ")}`);
            return;
        }
        case "function environment":
            await target.containers.update(() => target.startContainer(cluster));
            say(`function updated: ${target.containers.size} new containers serve, the old ones stopped`);
            return;
        case "replace cluster": {
            const fresh = await target.startEmptyCluster();
            say(`new empty cluster ready on port ${fresh.port}; moving the function to it`);
            await target.containers.update(() => target.startContainer(fresh));
            target.replaceCluster(fresh);
            await cluster.stop();
            say("the old cluster deleted");
            return;
        }
    }
}
