/**
 * The contract between the Pulumi program and the Lambda handler: the environment variables the program sets and
 * the handler reads. Pure: no I/O, no ioredis, so both sides (and unit tests) can import it.
 */

/** Names of the environment variables the handler reads; the program sets exactly these. */
export const HANDLER_ENVIRONMENT = {
    /** Host name of the cluster's configuration endpoint (ElastiCache `configurationEndpointAddress`). */
    configurationEndpoint: "REDIS_CONFIGURATION_ENDPOINT",
    /** Port of every node. Optional, default 6379. */
    port: "REDIS_PORT",
    /** "true" or "false": whether the nodes speak TLS. Optional, default "true". */
    tls: "REDIS_TLS",
    /** The AUTH token (ElastiCache `authToken`). Optional; empty or unset means no AUTH. */
    authToken: "REDIS_AUTH_TOKEN",
    /** "true" or "false": confirm each SET with `WAIT 1` (functions/README.md, "Durable writes"). Optional, default "false". */
    durableWrites: "REDIS_DURABLE_WRITES",
} as const;

/**
 * The Lambda timeout, in seconds, the program configures. Every Redis timeout in `redisClusterOptions.ts` is
 * budgeted against it so a call always answers (503 at worst) before Lambda kills it.
 */
export const LAMBDA_TIMEOUT_SECONDS = 10;

/** What the handler needs to connect, after validation and defaults. */
export interface HandlerSettings {
    /** Configuration endpoint host name; the cluster client's only seed. */
    readonly host: string;
    /** Port of every node. @default 6379 */
    readonly port: number;
    /** Connect with TLS (servername = host). @default true */
    readonly tls: boolean;
    /** AUTH token, or undefined for none. */
    readonly authToken: string | undefined;
    /** Confirm each SET with `WAIT 1 <ms>` on the key's primary. @default false */
    readonly durableWrites: boolean;
}

/**
 * Reads and validates the handler's settings from `env`. Reports every problem at once, each naming the variable,
 * the value given (never the token's) and what is allowed.
 *
 * @throws Error listing every invalid or missing variable.
 */
export function readHandlerSettings(env: NodeJS.ProcessEnv): HandlerSettings {
    const problems: string[] = [];

    const hostName = HANDLER_ENVIRONMENT.configurationEndpoint;
    const host = (env[hostName] ?? "").trim();
    if (host === "") {
        problems.push(`${hostName} is required: the host name of the cluster's configuration endpoint`);
    } else if (!/^[A-Za-z0-9.-]+$/.test(host)) {
        problems.push(`${hostName}="${host}" must be a bare host name or IP address (no scheme, port or path)`);
    }

    const portName = HANDLER_ENVIRONMENT.port;
    const portText = (env[portName] ?? "").trim();
    const port = portText === "" ? 6379 : Number(portText);
    if (!/^\d*$/.test(portText) || !Number.isInteger(port) || port < 1 || port > 65535) {
        problems.push(`${portName}="${portText}" must be an integer port between 1 and 65535 (default 6379)`);
    }

    const tls = readBoolean(env, HANDLER_ENVIRONMENT.tls, true, problems);
    const durableWrites = readBoolean(env, HANDLER_ENVIRONMENT.durableWrites, false, problems);

    const tokenName = HANDLER_ENVIRONMENT.authToken;
    const token = env[tokenName];
    // The token's value is never echoed: this message ends up in logs.
    if (token !== undefined && token !== "" && !/^[\x21-\x7e]+$/.test(token)) {
        problems.push(`${tokenName} must contain printable ASCII characters only (no spaces)`);
    }

    if (problems.length > 0) {
        throw new Error(`Invalid Lambda environment: ${problems.join("; ")}`);
    }
    return { host, port, tls, authToken: token === "" ? undefined : token, durableWrites };
}

function readBoolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean, problems: string[]): boolean {
    const text = (env[name] ?? "").trim();
    if (text === "") {
        return fallback;
    }
    if (text === "true" || text === "false") {
        return text === "true";
    }
    problems.push(`${name}="${text}" must be "true" or "false" (default "${fallback}")`);
    return fallback;
}
