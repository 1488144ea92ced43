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
 * Opens a short-lived connection to one node, runs `use`, and closes it. Everything is bounded by `timeoutMs`:
 * a SIGSTOPped node accepts TCP connections (the kernel does that) but never answers, and a harness wait must
 * fail with a message rather than hang. No reconnects and no offline queue: an unreachable node fails at once.
 */
export async function withAdminConnection<T>(
    target: AdminTarget,
    use: (client: Redis) => Promise<T>,
    timeoutMs = 3000,
): Promise<T> {
    const client = new Redis({
        host: target.host,
        port: target.port,
        username: target.username,
        password: target.password,
        tls: target.ca === undefined ? undefined : { ca: target.ca },
        lazyConnect: true,
        connectTimeout: timeoutMs,
        commandTimeout: timeoutMs,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
        connectionName: "cluster-harness",
    });
    // Errors surface through the awaited promises; without a listener ioredis would also log them.
    client.on("error", () => undefined);
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
