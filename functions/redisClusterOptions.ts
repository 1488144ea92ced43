/**
 * The ioredis `Cluster` options for a Lambda talking to ElastiCache in cluster mode, and the time budget they are
 * sized against. Pure (types only from ioredis), so the numbers can be unit-tested against the Lambda timeout.
 */
import type { ClusterOptions } from "ioredis";
import { HandlerSettings, LAMBDA_TIMEOUT_SECONDS } from "./environment";
import { signIamAuthToken } from "./iamAuthToken";

/**
 * Every duration the handler waits on Redis, in milliseconds. The invariant (unit-tested): a call that cannot reach
 * Redis answers 503 after at most `requestBudgetMs` plus `slackMs`, far inside the Lambda timeout, so the caller
 * gets our JSON answer rather than Lambda's own timeout error.
 */
export const REDIS_TIMEOUTS = {
    /** Lambda timeout, for reference: the budget below must fit well inside it. */
    lambdaTimeoutMs: LAMBDA_TIMEOUT_SECONDS * 1000,
    /** Longest a call spends on Redis before answering 503: one failed attempt plus a retry after a slot refresh. */
    requestBudgetMs: 2500,
    /** Time kept back from `getRemainingTimeInMillis()` to build and log the answer. */
    slackMs: 250,
    /** TCP + TLS handshake: in-VPC it takes milliseconds; waiting longer only delays the 503. */
    connectMs: 1000,
    /**
     * A socket that owes replies and receives nothing for this long is destroyed. That turns a hung node (SIGSTOP,
     * network partition) into a closed connection, which ioredis answers by refreshing the slot map and retrying —
     * on the promoted replica once failover is done.
     */
    socketMs: 1000,
    /** Upper bound for one command including ioredis's own retries; above `socketMs` so those retries can happen. */
    commandMs: 2000,
    /** Time to wait for `CLUSTER SLOTS` from one node before asking the next one. */
    slotsRefreshMs: 1000,
    /** Durable writes: how long `WAIT 1` waits for a replica. Below `socketMs`, or the socket would be dropped. */
    replicaWaitMs: 500,
    /** Pause between two attempts of one call, after the slot map was refreshed. */
    retryPauseMs: 100,
} as const;

/** Name shown in `CLIENT LIST`, so operators can tell (and `CLIENT KILL`) the Lambda's connections. */
export const CONNECTION_NAME = "lambda-set-get";

/**
 * The most connections one container holds to one node at a time: the cluster client's own connection (ioredis opens
 * one per node it sends commands to, lazily: ConnectionPool creates node connections with `lazyConnect: true`), and
 * while the slot map is refreshed a second, short-lived one to the node asked for `CLUSTER SLOTS` (ioredis
 * `getInfoFromNode` duplicates that node's connection as the "refresher" and closes it once answered). A container
 * serves one call at a time and the handler opens no other client, so a node sees at most this many per container.
 */
export const MAX_CONNECTIONS_PER_NODE_PER_CONTAINER = 2;

/** IAM connections are closed by ElastiCache after 12 hours; the handler reconnects well before. */
export const IAM_MAX_CONNECTION_AGE_MS = 11 * 60 * 60 * 1000;

/**
 * The credentials part of ioredis's options. Under IAM, `password` is a getter that signs a new token each time it is
 * read: ioredis reads it when it creates a node connection, and the handler re-arms it on every node (`+node`) so that
 * each connection attempt, however late, sends a token signed moments before (a token is accepted for 15 minutes).
 */
export function applyCredentials(options: { username?: string; password?: string }, settings: HandlerSettings): void {
    const iam = settings.iam;
    const username = settings.username;
    options.username = username;
    if (iam === undefined || username === undefined) {
        options.password = settings.authToken;
        return;
    }
    // Not spread or copied anywhere before ioredis reads it: a copy would freeze one token.
    Object.defineProperty(options, "password", {
        enumerable: true,
        configurable: true,
        get: () => signIamAuthToken(iam, username, new Date()),
    });
}

/** ioredis `Cluster` options for the given settings; each choice says why. */
export function redisClusterOptions(settings: HandlerSettings): ClusterOptions {
    const options: ClusterOptions = {
        // ElastiCache with in-transit encryption announces node host names and its certificate names them; resolving
        // the seed to an IP first (ioredis's default) would make the TLS host name check fail.
        dnsLookup: (address, callback) => callback(null, address),
        redisOptions: {
            // TLS with Node's default verification; the SNI/host name checked is each node's own host (the seed is
            // the configuration endpoint, the others are the node names the cluster announces), not one fixed name.
            tls: settings.tls ? {} : undefined,
            connectionName: CONNECTION_NAME,
            connectTimeout: REDIS_TIMEOUTS.connectMs,
            socketTimeout: REDIS_TIMEOUTS.socketMs,
            commandTimeout: REDIS_TIMEOUTS.commandMs,
            // One container serves one request at a time; Nagle's delay would only add latency.
            noDelay: true,
            // Least privilege: the function's Redis user may not run INFO (@dangerous) or CLIENT SETINFO. The node
            // connections' ready check (INFO, waiting out LOADING) is skipped: LOADING is retried as transient
            // (redisErrors.ts), and the cluster-level ready check below (CLUSTER INFO) still applies.
            enableReadyCheck: false,
            disableClientInfo: true,
        },
        // Fail a command at once while the cluster is (re)connecting instead of queueing it: a queued SET could run
        // long after this call answered 503. The handler waits for readiness itself, within its time budget.
        enableOfflineQueue: false,
        // Only answer "ready" once CLUSTER INFO says the cluster serves all slots.
        enableReadyCheck: true,
        slotsRefreshTimeout: REDIS_TIMEOUTS.slotsRefreshMs,
        // A promoted replica needs a moment to be visible in CLUSTER SLOTS; retry after refreshing the map.
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 200,
        // TRYAGAIN is a multi-key operation during resharding: short-lived.
        retryDelayOnTryAgain: 100,
        // Bounded so a redirection loop (MOVED ping-pong during failover) ends in a 503 instead of spinning.
        maxRedirections: 8,
        // Never give up for good: a container outlives a bad minute. Capped at 1 s so a request that arrives while
        // the client is between attempts does not wait long for the next one.
        clusterRetryStrategy: (times) => Math.min(times * 100, 1000),
    };
    // AUTH <username> <password> (RBAC, IAM) or AUTH <token> (the default user).
    applyCredentials(options.redisOptions!, settings);
    return options;
}
