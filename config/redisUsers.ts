/**
 * The Redis users of `authMode: rbac` and `iam`: ids, names and access strings (Redis ACL rules). Pure, so the program,
 * the local twin (which applies the same rules with ACL SETUSER on every node) and the tests share one definition.
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html
 */
import { CHANNEL_PATTERNS_MINIMUM_VERSION, Engine, PasswordRotationStep } from "./catalog";
import { compareVersions } from "./validate";

/**
 * What the handler sends, found by running the serialized handler against a real cluster whose function user started
 * with `-@all`, adding what ACL LOG reported denied, until nothing was (tests/integration/accessControl.test.ts
 * repeats that search and compares it with this list):
 * - `cluster|slots`: ioredis's slot map (at connect and on every refresh after MOVED or a failover);
 * - `cluster|info`: the cluster client's ready check (`cluster_state:ok`);
 * - `client|setname`: the connection name operators see in CLIENT LIST (`lambda-set-get`);
 * - `readonly`: sent first on a connection to a replica, which ioredis may ask for the slot map after a reconnection
 *   (its failure is ignored, but each refusal is an ACL LOG entry that would drown real ones; it only lets that
 *   connection read from a replica);
 * - `asking`: sent before a command retried on the node an ASK redirection names, while a slot migrates between shards
 *   (online resharding: ElastiCache moves slots this way when shards are added or removed). Without it the node
 *   importing the slot refuses ASKING (NOPERM), answers the bare command with MOVED back to the source, which answers
 *   ASK again, until the client gives up: every call on a key of a migrating slot that the source no longer holds
 *   failed with 503 (tests/integration/clusterReshape.test.ts). The discovery finds it by running the handler against
 *   a slot left MIGRATING;
 * - `set`, `get`: the call itself; `wait`: only with durable writes.
 * HELLO and AUTH need no permission. CLIENT SETINFO and INFO are not sent (`disableClientInfo`, node ready check off).
 */
export const FUNCTION_COMMANDS = [
    "cluster|slots",
    "cluster|info",
    "client|setname",
    "readonly",
    "asking",
    "set",
    "get",
] as const;
export const DURABLE_WRITE_COMMANDS = ["wait"] as const;

/**
 * The function's access string. Keys: `~*`, because the HTTP interface lets a caller name any key (functions/README.md, "HTTP
 * contract"); narrowing it would break that contract. No channels: it publishes and subscribes nothing.
 */
export function functionAccessString(durableWrites: boolean): string {
    const commands = [...FUNCTION_COMMANDS, ...(durableWrites ? DURABLE_WRITE_COMMANDS : [])];
    return `on ~* -@all ${commands.map((command) => `+${command}`).join(" ")}`;
}

/**
 * Operators (redis-cli on the client host): every key, channel and command ElastiCache allows a user. ElastiCache keeps
 * CONFIG, DEBUG, SHUTDOWN and the like to itself whatever an access string says ("Restricted commands"). Channel
 * patterns (`&*`) exist from Redis OSS 6.2 (and in every Valkey); on 6.0 every user may use every channel anyway.
 */
export function operatorAccessString(engine: Engine, engineVersion: string): string {
    const channelPatterns = compareVersions(engineVersion, CHANNEL_PATTERNS_MINIMUM_VERSION[engine]) >= 0;
    return channelPatterns ? "on ~* &* +@all" : "on ~* +@all";
}

/**
 * ElastiCache requires a user whose name is `default` in every user group; it is switched off and may do nothing, so
 * a connection that does not name a user (or an old client) cannot authenticate at all.
 */
export const DISABLED_DEFAULT_ACCESS_STRING = "off -@all";

export type RedisUserRole = "default" | "function" | "operator";

/**
 * User ids (and names, except the default user's): unique per account and region, so prefixed with the stack's
 * resource prefix. IAM requires the user id and name to be equal and lower case, which these are.
 */
export function redisUserId(prefix: string, role: RedisUserRole): string {
    return `${prefix}-${role}`;
}

export function redisUserName(prefix: string, role: RedisUserRole): string {
    return role === "default" ? "default" : redisUserId(prefix, role);
}

/**
 * Which password generations a user accepts, and which one its clients use, at a rotation step: a user holds one or
 * two passwords (ElastiCache's limit), so a rotation adds the next, moves the clients, then drops the old one.
 */
export function passwordGenerations(
    version: number,
    step: PasswordRotationStep,
): { accepted: number[]; inUse: number } {
    switch (step) {
        case "none":
            return { accepted: [version], inUse: version };
        case "add-next":
            return { accepted: [version, version + 1], inUse: version };
        case "use-next":
            return { accepted: [version, version + 1], inUse: version + 1 };
    }
}
