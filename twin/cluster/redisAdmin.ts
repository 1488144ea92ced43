import Redis from "ioredis";
import { withTimeout } from "../process/polling";

/** Where and how to reach one node for an administrative command. */
export interface AdminTarget {
    readonly host: string;
    readonly port: number;
    /** The user to authenticate as; the default user when undefined. */
    readonly username?: string;
    readonly password?: string;
    /** CA certificate (PEM) to trust; present when the node speaks TLS. */
    readonly ca?: string;
}

/**
 * A connection to one node that never reconnects and queues nothing offline, so an unreachable node fails at once;
 * not yet connected (`lazyConnect`). Errors surface through the awaited promises: the listener only keeps ioredis from
 * also logging them.
 */
export function adminClient(
    target: AdminTarget,
    options: { readonly connectTimeoutMs: number; readonly commandTimeoutMs: number; readonly name: string },
): Redis {
    const client = new Redis({
        host: target.host,
        port: target.port,
        username: target.username,
        password: target.password,
        tls: target.ca === undefined ? undefined : { ca: target.ca },
        lazyConnect: true,
        connectTimeout: options.connectTimeoutMs,
        commandTimeout: options.commandTimeoutMs,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
        connectionName: options.name,
    });
    client.on("error", () => undefined);
    return client;
}

/**
 * Opens a short-lived connection to one node, runs `use`, and closes it. Everything is bounded by `timeoutMs`:
 * a SIGSTOPped node accepts TCP connections (the kernel does that) but never answers, and a harness wait must
 * fail with a message rather than hang. No reconnects and no offline queue: an unreachable node fails at once.
 */
export async function withAdminConnection<T>(
    target: AdminTarget,
    use: (client: Redis) => Promise<T>,
    timeoutMs = 3000,
): Promise<T> {
    const client = adminClient(target, {
        connectTimeoutMs: timeoutMs,
        commandTimeoutMs: timeoutMs,
        name: "cluster-harness",
    });
    try {
        return await withTimeout(
            client.connect().then(() => use(client)),
            timeoutMs,
            `no answer from ${target.host}:${target.port} within ${timeoutMs} ms`,
        );
    } finally {
        client.disconnect();
    }
}

/** Runs one command on one node and returns its reply. */
export function adminCommand(target: AdminTarget, args: (string | number)[], timeoutMs = 3000): Promise<unknown> {
    const [command, ...rest] = args;
    return withAdminConnection(target, (client) => client.call(String(command), rest), timeoutMs);
}

/** Runs a command whose reply is text (INFO, CLUSTER NODES, …), whatever RESP version returns it as. */
export async function textReply(client: Redis, args: string[]): Promise<string> {
    const [command, ...rest] = args;
    const reply = await client.call(command, rest);
    return Buffer.isBuffer(reply) ? reply.toString("utf8") : String(reply);
}
