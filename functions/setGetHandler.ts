/**
 * The Lambda behind the function URL: SET then GET through an ElastiCache cluster (cluster mode enabled).
 *
 * The program passes `() => createSetGetHandler()` as `CallbackFunction`'s `callbackFactory`, so Pulumi serializes
 * this factory BY VALUE, with every function it reaches. Hence: ioredis is `require`d inside the factory at run
 * time (the archive's node_modules provides it), settings come from the environment when the container starts,
 * and no module-level state exists for the serializer to copy.
 */
import type { Cluster } from "ioredis";
import { readHandlerSettings } from "./environment";
import { ALLOWED_METHODS, FunctionUrlEvent, FunctionUrlResult, LambdaContextLike, jsonResponse } from "./http";
import { parseRequest } from "./request";
import { classifyRedisFailure } from "./redisErrors";
import {
    IAM_MAX_CONNECTION_AGE_MS,
    REDIS_TIMEOUTS,
    applyCredentials,
    redisClusterOptions,
} from "./redisClusterOptions";
import { setThenGet } from "./clusterCalls";

/** A function URL handler: never throws, always answers JSON. */
export type SetGetHandler = (event: FunctionUrlEvent, context?: LambdaContextLike) => Promise<FunctionUrlResult>;

/** The structured log line written once per invocation (never the value, key or token). */
export interface InvocationLog {
    readonly msg: "invocation";
    readonly request_id?: string;
    readonly method: string;
    /** Hash slot of the key; absent when the request was rejected before a key was known. */
    readonly slot?: number;
    readonly status: number;
    /** "ok", "rejected" (4xx) or the failure kind (auth, timeout, unavailable, unreplicated, internal). */
    readonly outcome: string;
    readonly ms: number;
    /** True for the first invocation of this container. */
    readonly cold: boolean;
    readonly attempts?: number;
    readonly replicas_acknowledged?: number;
    /** Redis error code or Node errno behind a failure (WRONGPASS, ECONNREFUSED…). */
    readonly error_code?: string;
}

/**
 * Creates the handler for one Lambda container: reads the settings, creates the one cluster client every
 * invocation of the container reuses, and returns the handler.
 *
 * @param env Environment to read (`HANDLER_ENVIRONMENT`); the process environment by default.
 * @throws Error naming each invalid variable — the container then fails to start, visibly, instead of answering.
 */
export function createSetGetHandler(env: NodeJS.ProcessEnv = process.env): SetGetHandler {
    const settings = readHandlerSettings(env);
    // Required here, at run time: a top-level import would be captured and serialized into the function text.
    const { Cluster: ClusterClient } = require("ioredis") as typeof import("ioredis");
    // Created idle so the listeners below are in place before the first node connection exists.
    const cluster: Cluster = new ClusterClient([{ host: settings.host, port: settings.port }], {
        ...redisClusterOptions(settings),
        lazyConnect: true,
    });
    // Without listeners ioredis prints every connection error to stderr; failures are reported per call instead.
    cluster.on("error", () => undefined);
    cluster.on("node error", () => undefined);
    if (settings.iam !== undefined) {
        // ioredis copies its options into each node's connection; re-arm the signing getter there, so every
        // connection attempt to that node signs a fresh IAM token.
        cluster.on("+node", (node: { options: { username?: string; password?: string } }) =>
            applyCredentials(node.options, settings),
        );
    }
    // Connects right away: the handshake then happens while Lambda initializes the container, not in the first call.
    cluster.connect().catch(() => undefined);
    const maxConnectionAgeMs = settings.iam !== undefined ? IAM_MAX_CONNECTION_AGE_MS : undefined;
    return createHandler(cluster, settings.durableWrites, writeLogLine, maxConnectionAgeMs);
}

/**
 * The handler around an existing cluster client: parse, SET then GET, answer, log one line. Separate from the
 * factory so tests can drive it with a stand-in client.
 *
 * @param durableWrites Confirm each SET with `WAIT 1` (see `HandlerSettings.durableWrites`).
 * @param log Receives the one log line per invocation.
 * @param maxConnectionAgeMs Reconnect (between calls) once the connections are this old; IAM connections only.
 */
export function createHandler(
    cluster: Cluster,
    durableWrites: boolean,
    log: (line: InvocationLog) => void,
    maxConnectionAgeMs?: number,
): SetGetHandler {
    // The key's hash slot, for the log line: ioredis's own dependency (also declared in package.json, so the archive
    // carries it at the top of node_modules). Required once per container, at run time, like ioredis above.
    const keySlot = require("cluster-key-slot") as typeof import("cluster-key-slot");
    let cold = true;
    let connectedSince = Date.now();
    return async (event, context) => {
        const startedAt = Date.now();
        if (maxConnectionAgeMs !== undefined && startedAt - connectedSince >= maxConnectionAgeMs) {
            // IAM: ElastiCache closes a connection 12 hours after its AUTH. Reconnecting here, between calls, with fresh
            // tokens, beats losing a call to that close. The next line waits for the new connection (whenReady).
            cluster.disconnect();
            connectedSince = startedAt;
        }
        const wasCold = cold;
        cold = false;
        const request = parseRequest(event ?? {});
        const finish = (
            result: FunctionUrlResult,
            fields: Omit<InvocationLog, "msg" | "request_id" | "method" | "status" | "ms" | "cold">,
        ): FunctionUrlResult => {
            log({
                msg: "invocation",
                request_id: context?.awsRequestId,
                method: request.method,
                status: result.statusCode,
                ms: Date.now() - startedAt,
                cold: wasCold,
                ...fields,
            });
            return result;
        };

        if (!request.ok) {
            const allow: Record<string, string> =
                request.statusCode === 405 ? { allow: ALLOWED_METHODS.join(", ") } : {};
            return finish(jsonResponse(request.statusCode, { error: request.error }, allow), { outcome: "rejected" });
        }

        const slot = keySlot(request.key);
        try {
            const result = await setThenGet(cluster, request.key, request.value, durableWrites, deadlineFor(context));
            const acknowledged = result.replicasAcknowledged;
            const durable = acknowledged === undefined ? {} : { replicas_acknowledged: acknowledged };
            if (result.value === null) {
                // Only possible if the key was deleted or lost (failover) between the SET and the GET.
                return finish(jsonResponse(503, { error: "the value just written could not be read back" }), {
                    slot,
                    outcome: "unavailable",
                    attempts: result.attempts,
                    error_code: "NOT_READ_BACK",
                });
            }
            return finish(
                jsonResponse(200, { key: request.key, value: result.value, redis_result: result.value, ...durable }),
                {
                    slot,
                    outcome: "ok",
                    attempts: result.attempts,
                    replicas_acknowledged: acknowledged,
                },
            );
        } catch (error) {
            const failure = classifyRedisFailure(error);
            const acknowledged = (error as { replicasAcknowledged?: number } | null)?.replicasAcknowledged;
            const durable = acknowledged === undefined ? {} : { replicas_acknowledged: acknowledged };
            return finish(jsonResponse(failure.statusCode, { error: failure.message, ...durable }), {
                slot,
                outcome: failure.kind,
                error_code: failure.code,
                replicas_acknowledged: acknowledged,
            });
        }
    };
}

/** When this call must stop waiting on Redis (epoch ms): the budget, or less if Lambda is about to time out. */
function deadlineFor(context: LambdaContextLike | undefined): number {
    const remaining = context?.getRemainingTimeInMillis?.() ?? REDIS_TIMEOUTS.lambdaTimeoutMs;
    return Date.now() + Math.max(0, Math.min(REDIS_TIMEOUTS.requestBudgetMs, remaining - REDIS_TIMEOUTS.slackMs));
}

/** One JSON line on stdout, written directly so Lambda's console prefix does not break the JSON. */
function writeLogLine(line: InvocationLog): void {
    process.stdout.write(`${JSON.stringify(line)}\n`);
}
