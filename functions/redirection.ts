/**
 * One ASK or MOVED redirection that ioredis left in a pipeline's replies, followed by hand on the node it names.
 *
 * ioredis re-sends a cluster pipeline on a redirection only when every command that succeeded is read-only. With
 * durable writes the pipeline is SET, WAIT, GET: while the key's slot migrates (online resharding) and the source no
 * longer holds the key, the source answers SET and GET with ASK but WAIT (it names no key) with a number, so ioredis
 * hands the ASK back. The same happens with MOVED when the slot has just moved and the client's map is stale.
 */
import type { Cluster, Redis } from "ioredis";

/** Where a redirection sends a command, as Redis wrote it (`ASK <slot> <host>:<port>`, `MOVED <slot> <host>:<port>`). */
export interface Redirection {
    /** ASK: the node serves the slot for one command at a time, each preceded by ASKING. MOVED: it owns the slot. */
    readonly asking: boolean;
    readonly host: string;
    readonly port: number;
}

/** What ioredis's `pipeline().exec()` answers: per command its error or its result; null when nothing ran. */
export type PipelineReplies = Array<[error: Error | null, result: unknown]> | null;

/** The first ASK or MOVED among the replies, if any. */
export function redirectionIn(replies: PipelineReplies): Redirection | undefined {
    for (const [error] of replies ?? []) {
        const match = error ? /^(ASK|MOVED) \d+ (.+):(\d+)$/.exec(error.message) : null;
        if (match) {
            return { asking: match[1] === "ASK", host: match[2], port: Number(match[3]) };
        }
    }
    return undefined;
}

/**
 * SET, optionally `WAIT 1 <replicaWaitMs>`, then GET, as one pipeline on the connection ioredis keeps to the node the
 * redirection names — so the WAIT counts the replicas that acknowledged this SET, on that node. After ASK, both SET
 * and GET are preceded by ASKING (the importing node accepts one command per ASKING; WAIT names no key and needs
 * none). Replies come back in the order of `setThenGet`'s own pipeline: SET, [WAIT,] GET.
 */
export async function writeAtRedirection(
    cluster: Cluster,
    redirection: Redirection,
    key: string,
    value: string,
    replicaWaitMs: number | undefined,
): Promise<PipelineReplies> {
    const node = connectionTo(cluster, redirection);
    const pipeline = node.pipeline();
    if (redirection.asking) pipeline.asking();
    pipeline.set(key, value);
    if (replicaWaitMs !== undefined) pipeline.wait(1, replicaWaitMs);
    if (redirection.asking) pipeline.asking();
    pipeline.get(key);
    const replies = await pipeline.exec();
    if (!redirection.asking || !replies) {
        return replies;
    }
    // The two ASKING replies (first and second to last) are dropped; a refused one (NOPERM) is the call's answer.
    const askings = [0, replies.length - 2];
    for (const i of askings) {
        const refused = replies[i][0];
        if (refused) throw refused;
    }
    return replies.filter((_, i) => !askings.includes(i));
}

/**
 * ioredis's own connection to the node: one it already has (found by host and port, as ioredis keys its nodes), else
 * one it opens the way its own redirection handling does. A node that just joined to import slots owns none yet, so
 * no slot map names it and ioredis has no connection to it until a redirection points there.
 */
function connectionTo(cluster: Cluster, redirection: Redirection): Redis {
    const known = cluster
        .nodes("all")
        .find((node) => node.options.host === redirection.host && node.options.port === redirection.port);
    if (known) {
        return known;
    }
    // Not in ioredis's typings (private), but what its ASK handler calls: the connection joins ioredis's pool, so it is
    // reused, closed with the client, and gets the credentials hook (`+node`) like every other node connection.
    const pool = (cluster as unknown as { connectionPool?: { findOrCreate?: (node: object) => Redis } }).connectionPool;
    if (typeof pool?.findOrCreate !== "function") {
        throw new Error(`Connection is closed: no connection to ${redirection.host}:${redirection.port}`);
    }
    return pool.findOrCreate({ host: redirection.host, port: redirection.port });
}
