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
    /** The replication group's AUTH token (`authMode: token`). Optional; empty or unset means no AUTH. */
    authToken: "REDIS_AUTH_TOKEN",
    /** The function's own Redis user (`authMode: rbac` and `iam`). Optional; unset means the `default` user. */
    username: "REDIS_USERNAME",
    /** That user's password (`authMode: rbac`). Never set together with `REDIS_AUTH_TOKEN` or under IAM. */
    password: "REDIS_PASSWORD",
    /**
     * `authMode: iam`: the replication group id, which an IAM auth token is signed for. When set, the handler signs a
     * fresh token for `REDIS_USERNAME` per connection from the credentials Lambda provides (`AWS_ACCESS_KEY_ID`…).
     */
    iamCacheName: "REDIS_IAM_CACHE_NAME",
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
    /** The Redis user to authenticate as; undefined means the `default` user (AUTH token or no AUTH). */
    readonly username: string | undefined;
    /** The AUTH token or the user's password, or undefined for none (no AUTH, or IAM). */
    readonly authToken: string | undefined;
    /** Under IAM authentication: what the handler signs its tokens for. Undefined otherwise. */
    readonly iam: IamSettings | undefined;
    /** Confirm each SET with `WAIT 1 <ms>` on the key's primary. @default false */
    readonly durableWrites: boolean;
}

/** What an IAM auth token is signed for, and with which credentials (those the Lambda runtime sets). */
export interface IamSettings {
    /** The replication group id: the host name of the presigned request. */
    readonly cacheName: string;
    /** AWS region (`AWS_REGION`, set by Lambda). */
    readonly region: string;
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    /** Present for the role credentials Lambda hands out. */
    readonly sessionToken: string | undefined;
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

    const token = readSecret(env, HANDLER_ENVIRONMENT.authToken, problems);
    const password = readSecret(env, HANDLER_ENVIRONMENT.password, problems);
    const username = (env[HANDLER_ENVIRONMENT.username] ?? "").trim() || undefined;
    if (username !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(username)) {
        problems.push(
            `${HANDLER_ENVIRONMENT.username}="${username}" must be a Redis user name (letters, digits, "-", "_", ".")`,
        );
    }
    if (token !== undefined && password !== undefined) {
        problems.push(
            `${HANDLER_ENVIRONMENT.authToken} and ${HANDLER_ENVIRONMENT.password} are both set; allowed one of them`,
        );
    }
    if (password !== undefined && username === undefined) {
        problems.push(
            `${HANDLER_ENVIRONMENT.password} is set without ${HANDLER_ENVIRONMENT.username}: a password belongs to a user`,
        );
    }
    const iam = readIamSettings(env, username, token ?? password, problems);

    if (problems.length > 0) {
        throw new Error(`Invalid Lambda environment: ${problems.join("; ")}`);
    }
    return { host, port, tls, username, authToken: token ?? password, iam, durableWrites };
}

/** A secret variable: empty means unset; its value is never echoed, as this message ends up in logs. */
function readSecret(env: NodeJS.ProcessEnv, name: string, problems: string[]): string | undefined {
    const value = env[name];
    if (value === undefined || value === "") return undefined;
    if (!/^[\x21-\x7e]+$/.test(value)) {
        problems.push(`${name} must contain printable ASCII characters only (no spaces)`);
    }
    return value;
}

function readIamSettings(
    env: NodeJS.ProcessEnv,
    username: string | undefined,
    secret: string | undefined,
    problems: string[],
): IamSettings | undefined {
    const cacheName = (env[HANDLER_ENVIRONMENT.iamCacheName] ?? "").trim();
    if (cacheName === "") return undefined;
    const name = HANDLER_ENVIRONMENT.iamCacheName;
    if (username === undefined)
        problems.push(`${name} is set without ${HANDLER_ENVIRONMENT.username}: an IAM token is signed for a user`);
    if (secret !== undefined)
        problems.push(`${name} is set together with a password or token; under IAM the function holds no password`);
    const missing = ["AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"].filter((variable) => !env[variable]);
    if (missing.length > 0) {
        problems.push(
            `${name} is set but ${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing (Lambda sets them from the function's role)`,
        );
    }
    return {
        cacheName: cacheName.toLowerCase(),
        region: env.AWS_REGION ?? "",
        accessKeyId: env.AWS_ACCESS_KEY_ID ?? "",
        secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "",
        sessionToken: env.AWS_SESSION_TOKEN || undefined,
    };
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
