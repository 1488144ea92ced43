/**
 * The Redis side of one invocation: wait for the cluster client to be ready, SET then GET (optionally confirmed by
 * `WAIT 1`), follow a redirection ioredis left, retry once the slot map is fresh, all inside a deadline. Every wait
 * here is bounded.
 */
import type { Cluster } from "ioredis";
import { classifyRedisFailure, deadlineExceeded, replicationNotConfirmed } from "./redisErrors";
import { REDIS_TIMEOUTS } from "./redisClusterOptions";
import { type PipelineReplies, redirectionIn, writeAtRedirection } from "./redirection";

/** Attempts per call: ioredis already retries inside each one, this only covers a slot map it did not refresh. */
const MAX_ATTEMPTS = 3;

/** What Redis answered for a SET-then-GET. */
export interface WriteReadResult {
    /** The value GET returned (null if the key vanished in between, which the handler reports as an error). */
    readonly value: string | null;
    /** Durable writes only: how many replicas acknowledged the SET (`WAIT`'s reply). */
    readonly replicasAcknowledged?: number;
    /** How many attempts the call needed (1 when nothing went wrong). */
    readonly attempts: number;
}

/**
 * SETs `key` to `value` and GETs it back, in one pipeline so both run on the key's primary in order. With
 * `durable`, a `WAIT 1 <ms>` sits between them on the same connection: the write is confirmed by at least one
 * replica or the call fails (see functions/README.md, "Durable writes").
 *
 * Transient failures of the commands (connection closed, node hung, failover under way) are retried after a
 * slot-map refresh while time remains before `deadlineAt` (epoch ms); then the last error is thrown.
 */
export async function setThenGet(
    cluster: Cluster,
    key: string,
    value: string,
    durable: boolean,
    deadlineAt: number,
): Promise<WriteReadResult> {
    let lastError: unknown = undefined;
    for (let attempt = 1; ; attempt++) {
        // Not retried: a failed connection attempt is ioredis's to repeat (clusterRetryStrategy); this call answers.
        await whenReady(cluster, deadlineAt, lastError);
        try {
            let replies = await withDeadline(
                pipelineFor(cluster, key, value, durable).exec(),
                deadlineAt,
                "the SET/GET pipeline",
                lastError,
            );
            // A redirection ioredis did not follow itself (durable writes: WAIT succeeded where SET and GET were
            // redirected) is followed here, once; what the node it names answers is the call's answer.
            const redirection = redirectionIn(replies);
            if (redirection) {
                if (!redirection.asking) {
                    // As ioredis does on MOVED: the map is stale, and the next call should not be redirected again.
                    void refreshSlots(cluster);
                }
                const replicaWaitMs = durable ? REDIS_TIMEOUTS.replicaWaitMs : undefined;
                replies = await withDeadline(
                    writeAtRedirection(cluster, redirection, key, value, replicaWaitMs),
                    deadlineAt,
                    "the SET/GET pipeline on the redirected node",
                    lastError,
                );
            }
            return { ...readReplies(replies, durable), attempts: attempt };
        } catch (error) {
            const kind = classifyRedisFailure(error).kind;
            const retriable = kind === "unavailable" || kind === "timeout";
            // A retry needs at least one command's worth of time; otherwise answer now.
            if (!retriable || attempt >= MAX_ATTEMPTS || deadlineAt - Date.now() < REDIS_TIMEOUTS.socketMs) {
                throw error;
            }
            lastError = error;
            await withDeadline(refreshSlots(cluster), deadlineAt, "refreshing the slot map").catch(() => undefined);
            // An error that comes back instantly must not turn this loop into a busy one.
            await new Promise((resolve) => setTimeout(resolve, REDIS_TIMEOUTS.retryPauseMs));
        }
    }
}

/**
 * Asks the cluster for a fresh slot map without waiting for the next MOVED: after a failure (hung primary,
 * failover) the map is the thing most likely to be stale. Best effort: a refresh is pointless while the client is
 * not connected (it reconnects on its own) and errors are left to the next command.
 */
export function refreshSlots(cluster: Cluster): Promise<void> {
    if (cluster.status !== "ready") {
        return Promise.resolve();
    }
    return new Promise((resolve) => cluster.refreshSlotsCache(() => resolve()));
}

function pipelineFor(cluster: Cluster, key: string, value: string, durable: boolean) {
    const pipeline = cluster.pipeline().set(key, value);
    if (durable) {
        pipeline.wait(1, REDIS_TIMEOUTS.replicaWaitMs);
    }
    return pipeline.get(key);
}

function readReplies(replies: PipelineReplies, durable: boolean): Omit<WriteReadResult, "attempts"> {
    if (!replies) {
        throw new Error("Connection is closed: the pipeline was discarded");
    }
    for (const [error] of replies) {
        if (error) {
            throw error;
        }
    }
    const read = replies[replies.length - 1][1];
    const value = read === null || read === undefined ? null : String(read);
    if (!durable) {
        return { value };
    }
    const replicasAcknowledged = Number(replies[1][1]);
    if (!(replicasAcknowledged >= 1)) {
        throw replicationNotConfirmed(replicasAcknowledged);
    }
    return { value, replicasAcknowledged };
}

/**
 * Resolves once the client is ready. Starts a connection if none is under way (cold start, or after the client
 * ended), then waits for ioredis's own (re)connection. Rejects as soon as a connection attempt fails or a node
 * refuses the token, else at `deadlineAt` (epoch ms) with a deadline error carrying `cause`.
 */
export function whenReady(cluster: Cluster, deadlineAt: number, cause?: unknown): Promise<void> {
    if (cluster.status === "ready") {
        return Promise.resolve();
    }
    if (cluster.status === "wait" || cluster.status === "end") {
        // Failures arrive as events below; the promise only repeats them.
        cluster.connect().catch(() => undefined);
    }
    return new Promise((resolve, reject) => {
        const ms = Math.max(0, deadlineAt - Date.now());
        // Declared before the callbacks that call it: Pulumi's closure serializer rejects forward references.
        let finish: (error?: unknown) => void = () => undefined;
        const onReady = () => finish();
        // The client emits "error" only when a whole connection attempt failed (no node answered): answer now
        // rather than wait for the next attempt, which would most likely fail the same way.
        const onError = (error: unknown) => finish(error);
        // A node refusing the token fails the call at once too: a wrong token will not fix itself within it.
        const onNodeError = (error: unknown) => {
            if (classifyRedisFailure(error).kind === "auth") {
                finish(error);
            }
        };
        const timer = setTimeout(() => finish(deadlineExceeded("connecting to Redis", ms, cause)), ms);
        finish = (error) => {
            clearTimeout(timer);
            cluster.off("ready", onReady);
            cluster.off("error", onError);
            cluster.off("node error", onNodeError);
            if (error === undefined) {
                resolve();
            } else {
                reject(error);
            }
        };
        cluster.on("ready", onReady);
        cluster.on("error", onError);
        cluster.on("node error", onNodeError);
    });
}

/**
 * Races `work` against `deadlineAt` (epoch ms). On timeout, rejects with a deadline error carrying `cause` (the
 * previous attempt's error, for the log line); the work itself is left to ioredis's own timeouts (`REDIS_TIMEOUTS`),
 * which end it well inside the Lambda timeout.
 */
export function withDeadline<T>(work: Promise<T>, deadlineAt: number, what: string, cause?: unknown): Promise<T> {
    const ms = Math.max(0, deadlineAt - Date.now());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(deadlineExceeded(what, ms, cause)), ms);
    });
    // A late rejection of the abandoned work must not surface as an unhandled rejection.
    work.catch(() => undefined);
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
