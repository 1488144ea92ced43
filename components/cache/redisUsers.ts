import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { Engine, PasswordRotationStep } from "../../config/catalog";
import {
    DISABLED_DEFAULT_ACCESS_STRING,
    RedisUserRole,
    functionAccessString,
    operatorAccessString,
    passwordGenerations,
    redisUserId,
    redisUserName,
} from "../../config/redisUsers";

export interface RedisUsersArgs {
    /** Prefix of user ids and the group id (unique per account and region); from the stack name. */
    readonly prefix: string;
    /**
     * The replication group's engine, `redis` or `valkey`. It decides access strings only: the users and the group stay
     * of engine {@link USERS_ENGINE} on both engines.
     */
    readonly engine: Engine;
    /** Decides whether access strings may hold channel patterns (`&…`: Redis OSS 6.2 and later, every Valkey). */
    readonly engineVersion: string;
    /**
     * How the function's user authenticates: `password` (authMode rbac) or `iam` (short-lived SigV4 tokens; the user id
     * then equals the user name, as ElastiCache requires).
     */
    readonly functionAuthentication: "password" | "iam";
    /** The function's user may also run WAIT (durable writes). */
    readonly durableWrites: boolean;
    /**
     * The password generation in use and the rotation step (docs/changing.md §6). A generation is one
     * `random.RandomPassword` per user named after it, so it keeps its value from step to step.
     * @default 1, "none"
     */
    readonly passwordVersion: number;
    readonly passwordRotation: PasswordRotationStep;
    readonly tags?: Record<string, string>;
}

/** A user's id and name, and what its clients authenticate with (a secret; undefined for an IAM user). */
export interface RedisUserCredentials {
    readonly userId: pulumi.Output<string>;
    readonly userName: pulumi.Output<string>;
    readonly arn: pulumi.Output<string>;
    readonly password: pulumi.Output<string> | undefined;
}

/**
 * Passwords: letters and digits, 64 characters. ElastiCache takes 16–128 printable characters; letters and digits avoid
 * every quoting problem in shells and in redis.conf.
 */
const PASSWORD_LENGTH = 64;

/**
 * The engine of the users and their group, whatever the replication group's. ElastiCache's RBAC page: "When using RBAC
 * with Valkey clusters, user groups with both engine "VALKEY" and engine "REDIS" can be used" (and a Redis OSS cluster
 * only REDIS groups), so one `redis` group serves both engines and switching the cluster redis → valkey neither
 * modifies a user (ModifyUser) nor the group. Every user here authenticates by password or IAM, which a VALKEY group
 * would also accept of REDIS users, should a group ever move.
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
 */
export const USERS_ENGINE = "redis";

/**
 * The user group of `authMode: rbac` and `iam`: the `default` user switched off, the function's user with only what the
 * handler needs, and the operators' user. Attached to the replication group through `userGroupIds`.
 *
 * Provider behaviour this relies on (terraform-provider-aws v6.66.0 internal/service/elasticache/user.go, and the
 * argument docs @pulumi/aws 7.48.0 carries from it): `user_id` and `user_name` are ForceNew; the passwords go in
 * `authentication_mode.passwords` (not the top-level `passwords`), a set of at most two that ModifyUser changes in
 * place, which is what makes rotation in place possible; `engine` is `redis` or `valkey` (case insensitive).
 * terraform-provider-aws v6.66.0 internal/service/elasticache/replication_group.go: `user_group_ids` ConflictsWith
 * `auth_token`.
 */
export class RedisUsers extends pulumi.ComponentResource {
    public readonly userGroupId: pulumi.Output<string>;
    public readonly functionUser: RedisUserCredentials;
    public readonly operatorUser: RedisUserCredentials;
    public readonly users: aws.elasticache.User[];

    constructor(name: string, args: RedisUsersArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-cluster:cache:RedisUsers", name, {}, opts);
        const generations = passwordGenerations(args.passwordVersion, args.passwordRotation);

        const defaultUser = this.createUser(name, args, "default", DISABLED_DEFAULT_ACCESS_STRING, "password", {
            accepted: [1],
            inUse: 1,
        });
        const fn = this.createUser(
            name,
            args,
            "function",
            functionAccessString(args.durableWrites),
            args.functionAuthentication,
            generations,
        );
        const operator = this.createUser(
            name,
            args,
            "operator",
            operatorAccessString(args.engine, args.engineVersion),
            "password",
            generations,
        );
        this.users = [defaultUser.user, fn.user, operator.user];
        this.functionUser = fn.credentials;
        this.operatorUser = operator.credentials;

        const group = new aws.elasticache.UserGroup(
            `${name}-user-group`,
            {
                // `user_group_id` is ForceNew (terraform-provider-aws v6.66.0 internal/service/elasticache/user_group.go).
                // Earlier releases put the engine in the id: a stack created on redis (dev and prod as shipped) has
                // `-users-redis`, which the fixed engine keeps, so the id changes neither now nor on redis → valkey.
                // A stack an earlier release created on valkey has `-users-valkey`: its group is replaced once
                // (docs/changing.md §5).
                userGroupId: `${args.prefix}-users-${USERS_ENGINE}`,
                engine: USERS_ENGINE,
                userIds: this.users.map((user) => user.userId),
                tags: args.tags,
            },
            { parent: this },
        );
        this.userGroupId = group.userGroupId;
        this.registerOutputs({
            userGroupId: this.userGroupId,
            functionUserName: fn.credentials.userName,
            operatorUserName: operator.credentials.userName,
        });
    }

    private createUser(
        name: string,
        args: RedisUsersArgs,
        role: RedisUserRole,
        accessString: string,
        authentication: "password" | "iam",
        generations: { accepted: number[]; inUse: number },
    ): { user: aws.elasticache.User; credentials: RedisUserCredentials } {
        const passwords = new Map<number, pulumi.Output<string>>();
        if (authentication === "password") {
            for (const generation of generations.accepted) {
                const password = new random.RandomPassword(
                    `${name}-${role}-password-${generation}`,
                    { length: PASSWORD_LENGTH, special: false },
                    { parent: this, additionalSecretOutputs: ["result"] },
                );
                passwords.set(generation, pulumi.secret(password.result));
            }
        }
        const user = new aws.elasticache.User(
            `${name}-${role}-user`,
            {
                userId: redisUserId(args.prefix, role),
                userName: redisUserName(args.prefix, role),
                engine: USERS_ENGINE,
                accessString,
                authenticationMode:
                    authentication === "iam"
                        ? { type: "iam" }
                        : { type: "password", passwords: [...passwords.values()] },
                tags: args.tags,
            },
            { parent: this },
        );
        return {
            user,
            credentials: {
                userId: user.userId,
                userName: user.userName,
                arn: user.arn,
                password: passwords.get(generations.inUse),
            },
        };
    }
}
