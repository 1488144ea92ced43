/**
 * Maps whatever went wrong while talking to Redis to a short, safe answer. Pure. Messages never carry a stack
 * trace, a value or the token; `code` (the Redis error code or Node errno) goes to the log line for operators.
 */

// Plain errors tagged by name, not subclasses: Pulumi serializes this module's functions by value into the Lambda,
// and a class hierarchy is one more thing for its closure serializer to get wrong.
const DEADLINE_EXCEEDED = "DeadlineExceededError";
const REPLICATION_NOT_CONFIRMED = "ReplicationNotConfirmedError";

/** The error for "the per-call time budget ran out before Redis answered". */
export function deadlineExceeded(what: string, ms: number, cause?: unknown): Error {
    const error = Object.assign(new Error(`${what} did not finish within ${ms} ms`), { name: DEADLINE_EXCEEDED });
    return cause === undefined ? error : Object.assign(error, { cause });
}

/** The error for "durable writes are on and no replica confirmed the SET in time". */
export function replicationNotConfirmed(replicasAcknowledged: number): Error & { replicasAcknowledged: number } {
    return Object.assign(new Error("no replica acknowledged the write in time"), {
        name: REPLICATION_NOT_CONFIRMED,
        replicasAcknowledged,
    });
}

export type FailureKind = "auth" | "timeout" | "unavailable" | "unreplicated" | "internal";

/** How a failure is answered and logged. */
export interface ClassifiedFailure {
    readonly kind: FailureKind;
    readonly statusCode: 500 | 503;
    /** Short message for the JSON body. */
    readonly message: string;
    /** Redis error code (WRONGPASS, CLUSTERDOWN…) or Node errno (ECONNREFUSED…), for the log line. */
    readonly code: string;
}

// Redis error replies that mean "not now", not "never": the cluster is failing over, loading or resharding.
// An array, not a Set: Pulumi's closure serializer copies a Set as an empty object.
const TRANSIENT_REDIS_CODES = ["CLUSTERDOWN", "TRYAGAIN", "LOADING", "MASTERDOWN", "READONLY", "MOVED", "ASK", "OOM"];

// Messages ioredis produces itself when it has no usable connection, and the code the log line gives each (these
// errors carry no errno: ioredis reports ECONNREFUSED, TLS failures and resets all as "Connection is closed.").
// Wrapping messages first: "Too many Cluster redirections. Last error: Error: Connection is closed." is the former.
const UNAVAILABLE_MESSAGES: ReadonlyArray<readonly [fragment: string, code: string]> = [
    ["Too many Cluster redirections", "TOO_MANY_REDIRECTIONS"],
    ["Failed to refresh slots cache", "ALL_NODES_FAILED"],
    ["None of startup nodes is available", "NO_STARTUP_NODE"],
    ["Connection is closed", "CONNECTION_CLOSED"],
    ["Cluster isn't ready", "CLUSTER_NOT_READY"],
    ["Cluster is ended", "CLUSTER_ENDED"],
    ["Cluster is disconnect", "CLUSTER_DISCONNECTED"],
    ["Stream isn't writeable", "NOT_WRITABLE"],
    ["Command aborted due to connection close", "CONNECTION_CLOSED"],
];

/**
 * Classifies an error thrown while talking to Redis. Anything not recognized as an outage is an internal error
 * (500): a 503 tells the caller to retry, which only helps when Redis is the problem.
 */
export function classifyRedisFailure(error: unknown): ClassifiedFailure {
    const name = error instanceof Error ? error.name : "";
    if (name === REPLICATION_NOT_CONFIRMED) {
        return failure(
            "unreplicated",
            503,
            "the write reached the primary but no replica acknowledged it in time",
            "NOREPLICA",
        );
    }
    // ioredis reports "no node could be reached" with the last node's error attached; that one says why
    // (WRONGPASS, ECONNREFUSED, a TLS certificate error…). Whatever it is, Redis is out of reach: never a 500.
    const cause = (error as { lastNodeError?: unknown } | null)?.lastNodeError;
    if (cause instanceof Error) {
        const why = classifyRedisFailure(cause);
        return why.kind === "internal" ? failure("unavailable", 503, "Redis is unavailable", why.code) : why;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = errorCode(error, message);
    if (/^(WRONGPASS|NOAUTH|NOPERM)$/.test(code) || /invalid password|invalid username-password/i.test(message)) {
        return failure("auth", 503, "Redis refused the credentials", code);
    }
    if (name === DEADLINE_EXCEEDED) {
        // The code of what went wrong before time ran out (ECONNREFUSED…) tells operators more than "deadline".
        const cause = (error as { cause?: unknown }).cause;
        return failure(
            "timeout",
            503,
            "Redis did not answer in time",
            cause === undefined ? "DEADLINE" : classifyRedisFailure(cause).code,
        );
    }
    if (/timed out|timeout/i.test(message) || code === "ETIMEDOUT") {
        // "Command timed out" (commandTimeout), "Socket timeout…" (socketTimeout), "connect ETIMEDOUT".
        const timeoutCode =
            code === "ETIMEDOUT" ? code : /^Socket/.test(message) ? "SOCKET_TIMEOUT" : "COMMAND_TIMEOUT";
        return failure("timeout", 503, "Redis did not answer in time", timeoutCode);
    }
    if (TRANSIENT_REDIS_CODES.includes(code) || isNodeErrno(error)) {
        return failure("unavailable", 503, "Redis is unavailable", code);
    }
    const known = UNAVAILABLE_MESSAGES.find(([fragment]) => message.includes(fragment));
    if (known) {
        return failure("unavailable", 503, "Redis is unavailable", known[1]);
    }
    return failure("internal", 500, "internal error", code);
}

/** The Node errno (`ECONNREFUSED`), else the Redis error code (first word of the reply, `CLUSTERDOWN`), else the name. */
function errorCode(error: unknown, message: string): string {
    const errno = (error as { code?: unknown } | null)?.code;
    if (typeof errno === "string" && errno !== "") {
        return errno;
    }
    const first = /^([A-Z][A-Z_]+)\b/.exec(message);
    if (first) {
        return first[1];
    }
    return error instanceof Error ? error.name : typeof error;
}

/** Node's socket errors (ECONNREFUSED, ECONNRESET, EHOSTUNREACH…) all mean "no usable connection". */
function isNodeErrno(error: unknown): boolean {
    const errno = (error as { code?: unknown; syscall?: unknown } | null) ?? {};
    return typeof errno.code === "string" && typeof errno.syscall === "string";
}

function failure(kind: FailureKind, statusCode: 500 | 503, message: string, code: string): ClassifiedFailure {
    return { kind, statusCode, message, code };
}
