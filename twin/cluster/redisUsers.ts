/**
 * The program's Redis users (authMode rbac and iam), read from an evaluation under mocks and applied to a local
 * cluster as ACLs on every node, so the handler runs locally under exactly the rules ElastiCache gets. Used by the
 * integration tests, `npm start` and the benchmarks.
 *
 * Passwords are the program's own, as the mocks generate them (letters and digits derived from the resource's name:
 * fine on loopback, and the same value in every evaluation, which makes a rotation reproducible). An IAM user has no
 * password: Redis cannot check an IAM token, so locally it gets {@link localIamStandIn} instead.
 */
import { functionAccessString } from "../../config/redisUsers";
import type { LocalRedisCluster } from "./redisCluster";
import type { ProgramRun } from "../program/evaluateProgram";
import { unwrapSecret } from "../program/secrets";

/** One `aws.elasticache.User` as the program declares it. */
export interface ProgramRedisUser {
    readonly userId: string;
    readonly userName: string;
    readonly accessString: string;
    /** The passwords it accepts (one, or two during a rotation); empty for an IAM user. */
    readonly passwords: readonly string[];
    readonly iam: boolean;
}

const USER_TYPE = "aws:elasticache/user:User";

/** Every Redis user the evaluated program declares, in registration order. */
export function programRedisUsers(run: Pick<ProgramRun, "resources">): ProgramRedisUser[] {
    return run.resources
        .filter((resource) => resource.type === USER_TYPE)
        .map(({ inputs }) => {
            const mode = unwrapSecret(inputs.authenticationMode).value ?? {};
            const passwords = ((mode.passwords ?? []) as unknown[]).map((password) =>
                String(unwrapSecret(password).value),
            );
            return {
                userId: inputs.userId,
                userName: inputs.userName,
                accessString: inputs.accessString,
                passwords,
                iam: mode.type === "iam",
            };
        });
}

/** The harness's own user on a cluster that carries the program's users (see `RedisClusterOptions.adminUser`). */
export const LOCAL_ADMIN_USER = "local-admin";

/**
 * The same users with the function's access string the program declares for `durableWrites: true` (WAIT added), for a
 * handler started with durable writes from an archive built without them.
 */
export function withDurableWrites(users: readonly ProgramRedisUser[]): ProgramRedisUser[] {
    return users.map((user) =>
        user.accessString === functionAccessString(false)
            ? { ...user, accessString: functionAccessString(true) }
            : user,
    );
}

/** The local password of an IAM user: ElastiCache would take a signed IAM token; a local Redis cannot check one. */
export function localIamStandIn(userName: string): string {
    return `local-iam-stand-in-for-${userName}`;
}

/** `ACL SETUSER` arguments that make a node's user exactly `user` (reset first: nothing left from before). */
export function aclSetUserArgs(user: ProgramRedisUser): string[] {
    const passwords = user.iam ? [localIamStandIn(user.userName)] : user.passwords;
    return [
        "ACL",
        "SETUSER",
        user.userName,
        "reset",
        ...user.accessString.split(/\s+/).filter(Boolean),
        ...passwords.map((p) => `>${p}`),
    ];
}

/**
 * Applies `users` on every running node and every node that joins later (ACLs are per node, and ElastiCache applies a
 * user group to every node). The
 * cluster must have been started with an `adminUser`, or switching `default` off would lock the harness out.
 */
export async function applyRedisUsers(cluster: LocalRedisCluster, users: readonly ProgramRedisUser[]): Promise<void> {
    if (cluster.adminUser === undefined) throw new Error("applyRedisUsers: start the cluster with an adminUser first");
    // The cluster remembers them: a node that joins later (a reshape) gets the same users.
    await cluster.applyAclUsers(users.map(aclSetUserArgs));
}
