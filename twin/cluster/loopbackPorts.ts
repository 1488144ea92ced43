import * as net from "net";

/** The cluster bus listens on the client port + 10000 unless told otherwise; Redis' own convention. */
export const CLUSTER_BUS_OFFSET = 10000;

/** `count` loopback addresses, 127.0.0.1 upwards: one per node, as ElastiCache gives each node its own IP. */
export function loopbackAddresses(count: number): string[] {
    if (count < 1 || count > 254) throw new Error(`Cannot place ${count} nodes on 127.0.0.1-254`);
    return Array.from({ length: count }, (_, i) => `127.0.0.${i + 1}`);
}

/** Resolves whether `port` can be bound on `host` right now (a listener on 0.0.0.0 makes it unavailable). */
export function portIsFree(host: string, port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const server = net.createServer();
        server.once("error", () => resolve(false));
        server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
    });
}

/**
 * Picks a port that is free, together with its cluster bus port, on every address.
 * Candidates come from 17000-21999 (bus 27000-31999): below Linux's ephemeral range (32768+), so outgoing
 * connections cannot take them, and away from 6379, which a system redis may own. Random, so that several test
 * runs on one machine rarely race for the same port.
 */
export async function findFreeClusterPort(addresses: string[], attempts = 50): Promise<number> {
    for (let i = 0; i < attempts; i++) {
        const port = 17000 + Math.floor(Math.random() * 5000);
        if (await portUsableEverywhere(addresses, port)) return port;
    }
    const where = addresses.join(", ");
    throw new Error(`No free port (with bus port +${CLUSTER_BUS_OFFSET}) on ${where} after ${attempts} tries`);
}

/** True if both `port` and its cluster bus port can be bound on every address. */
export async function portUsableEverywhere(addresses: string[], port: number): Promise<boolean> {
    for (const host of addresses) {
        if (!(await portIsFree(host, port)) || !(await portIsFree(host, port + CLUSTER_BUS_OFFSET))) return false;
    }
    return true;
}
