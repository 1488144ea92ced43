import { expect } from "chai";
import { HANDLER_ENVIRONMENT, LAMBDA_TIMEOUT_SECONDS, readHandlerSettings } from "../../functions/environment";
import { REDIS_TIMEOUTS, redisClusterOptions } from "../../functions/redisClusterOptions";

const ENDPOINT = "clustercfg.demo.abc123.use1.cache.amazonaws.com";

describe("handler: environment and client options", function () {
    describe("readHandlerSettings", function () {
        it("applies the defaults: port 6379, TLS on, no AUTH, durable writes off", function () {
            expect(readHandlerSettings({ REDIS_CONFIGURATION_ENDPOINT: ENDPOINT })).to.deep.equal({
                host: ENDPOINT,
                port: 6379,
                tls: true,
                username: undefined,
                authToken: undefined,
                iam: undefined,
                durableWrites: false,
            });
        });

        it("reads every variable the program sets", function () {
            const settings = readHandlerSettings({
                [HANDLER_ENVIRONMENT.configurationEndpoint]: "127.0.0.3",
                [HANDLER_ENVIRONMENT.port]: "17001",
                [HANDLER_ENVIRONMENT.tls]: "false",
                [HANDLER_ENVIRONMENT.authToken]: "token-with-<>&#$^!-chars",
                [HANDLER_ENVIRONMENT.durableWrites]: "true",
            });
            expect(settings).to.deep.equal({
                host: "127.0.0.3",
                port: 17001,
                tls: false,
                username: undefined,
                authToken: "token-with-<>&#$^!-chars",
                iam: undefined,
                durableWrites: true,
            });
        });

        it("reads the function's own user and password (authMode rbac)", function () {
            const settings = readHandlerSettings({
                REDIS_CONFIGURATION_ENDPOINT: ENDPOINT,
                [HANDLER_ENVIRONMENT.username]: "redis-dev-function",
                [HANDLER_ENVIRONMENT.password]: "p".repeat(32),
            });
            expect(settings).to.include({ username: "redis-dev-function", authToken: "p".repeat(32), iam: undefined });
        });

        it("reads IAM settings from the cache name and the credentials Lambda sets (authMode iam)", function () {
            const settings = readHandlerSettings({
                REDIS_CONFIGURATION_ENDPOINT: ENDPOINT,
                [HANDLER_ENVIRONMENT.username]: "redis-dev-function",
                [HANDLER_ENVIRONMENT.iamCacheName]: "Redis-Dev-Cache-1",
                AWS_REGION: "eu-west-1",
                AWS_ACCESS_KEY_ID: "ASIAKEY",
                AWS_SECRET_ACCESS_KEY: "secret",
                AWS_SESSION_TOKEN: "session",
            });
            expect(settings.authToken).to.equal(undefined);
            expect(settings.iam).to.deep.equal({
                cacheName: "redis-dev-cache-1",
                region: "eu-west-1",
                accessKeyId: "ASIAKEY",
                secretAccessKey: "secret",
                sessionToken: "session",
            });
        });

        it("refuses contradictory credentials, naming each variable", function () {
            const error = catchError(() =>
                readHandlerSettings({
                    REDIS_CONFIGURATION_ENDPOINT: ENDPOINT,
                    [HANDLER_ENVIRONMENT.authToken]: "t".repeat(16),
                    [HANDLER_ENVIRONMENT.password]: "p".repeat(16),
                    [HANDLER_ENVIRONMENT.iamCacheName]: "cache",
                }),
            );
            expect(error.message).to.match(/REDIS_AUTH_TOKEN and REDIS_PASSWORD are both set/);
            expect(error.message).to.match(/REDIS_PASSWORD is set without REDIS_USERNAME/);
            expect(error.message).to.match(/REDIS_IAM_CACHE_NAME is set without REDIS_USERNAME/);
            expect(error.message).to.match(/REDIS_IAM_CACHE_NAME is set together with a password/);
            expect(error.message).to.match(/AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY are missing/);
        });

        it("treats an empty token as no AUTH (the program sets it empty when transit encryption is off)", function () {
            expect(
                readHandlerSettings({ REDIS_CONFIGURATION_ENDPOINT: ENDPOINT, REDIS_AUTH_TOKEN: "" }).authToken,
            ).to.equal(undefined);
        });

        it("reports every problem at once, each naming the variable", function () {
            const error = catchError(() =>
                readHandlerSettings({ REDIS_PORT: "70000", REDIS_TLS: "yes", REDIS_DURABLE_WRITES: "1" }),
            );
            expect(error.message).to.match(/REDIS_CONFIGURATION_ENDPOINT is required/);
            expect(error.message).to.match(/REDIS_PORT="70000" must be an integer port between 1 and 65535/);
            expect(error.message).to.match(/REDIS_TLS="yes" must be "true" or "false"/);
            expect(error.message).to.match(/REDIS_DURABLE_WRITES="1" must be "true" or "false"/);
        });

        it("refuses an endpoint with a scheme or port, and a non-numeric port", function () {
            expect(
                catchError(() => readHandlerSettings({ REDIS_CONFIGURATION_ENDPOINT: `rediss://${ENDPOINT}:6379` }))
                    .message,
            ).to.match(/REDIS_CONFIGURATION_ENDPOINT=.* must be a bare host name/);
            expect(
                catchError(() => readHandlerSettings({ REDIS_CONFIGURATION_ENDPOINT: ENDPOINT, REDIS_PORT: "6379x" }))
                    .message,
            ).to.match(/REDIS_PORT="6379x"/);
        });

        it("names a bad token without ever echoing it", function () {
            const token = "secret token with spaces";
            const error = catchError(() =>
                readHandlerSettings({ REDIS_CONFIGURATION_ENDPOINT: ENDPOINT, REDIS_AUTH_TOKEN: token }),
            );
            expect(error.message).to.match(/REDIS_AUTH_TOKEN must contain printable ASCII/);
            expect(error.message).not.to.contain("secret");
        });
    });

    describe("time budget", function () {
        it("answers well inside the Lambda timeout the program sets", function () {
            expect(REDIS_TIMEOUTS.lambdaTimeoutMs).to.equal(LAMBDA_TIMEOUT_SECONDS * 1000);
            // ~3 s is the promise made for an unreachable or hung Redis.
            expect(REDIS_TIMEOUTS.requestBudgetMs + REDIS_TIMEOUTS.slackMs).to.be.at.most(3000);
            expect(REDIS_TIMEOUTS.requestBudgetMs + REDIS_TIMEOUTS.slackMs).to.be.below(
                REDIS_TIMEOUTS.lambdaTimeoutMs / 2,
            );
        });

        it("orders the timeouts so each layer can act before the next gives up", function () {
            // WAIT blocks the socket silently: it must return before the socket is declared dead.
            expect(REDIS_TIMEOUTS.replicaWaitMs).to.be.below(REDIS_TIMEOUTS.socketMs);
            // ioredis retries a closed socket on the promoted replica only if the command has not timed out yet.
            expect(REDIS_TIMEOUTS.socketMs).to.be.below(REDIS_TIMEOUTS.commandMs);
            // A call leaves room for one retry after a hung node has been detected.
            expect(REDIS_TIMEOUTS.socketMs * 2).to.be.at.most(REDIS_TIMEOUTS.requestBudgetMs);
            expect(REDIS_TIMEOUTS.connectMs).to.be.below(REDIS_TIMEOUTS.requestBudgetMs);
            expect(REDIS_TIMEOUTS.slotsRefreshMs).to.be.below(REDIS_TIMEOUTS.requestBudgetMs);
        });
    });

    describe("redisClusterOptions", function () {
        const base = {
            host: ENDPOINT,
            port: 6379,
            username: undefined,
            authToken: "t".repeat(32),
            iam: undefined,
            durableWrites: false,
        };

        it("keeps host names as given (TLS certificates name them)", function () {
            const options = redisClusterOptions({ ...base, tls: true });
            let resolved: string | undefined;
            options.dnsLookup!(ENDPOINT, (error, address) => {
                expect(error).to.equal(null);
                resolved = address;
            });
            expect(resolved).to.equal(ENDPOINT);
        });

        it("turns TLS and AUTH on from the settings", function () {
            expect(redisClusterOptions({ ...base, tls: true }).redisOptions).to.include({ password: base.authToken });
            expect(redisClusterOptions({ ...base, tls: true }).redisOptions!.tls).to.deep.equal({});
            expect(redisClusterOptions({ ...base, tls: false, authToken: undefined }).redisOptions).to.include({
                tls: undefined,
                password: undefined,
            });
        });

        it("sends the function's user with its password (RBAC)", function () {
            expect(redisClusterOptions({ ...base, tls: true, username: "fn" }).redisOptions).to.include({
                username: "fn",
                password: base.authToken,
            });
        });

        it("under IAM, signs a new token each time ioredis reads the password", async function () {
            const iam = {
                cacheName: "cache-1",
                region: "us-east-1",
                accessKeyId: "AKID",
                secretAccessKey: "s",
                sessionToken: undefined,
            };
            const options = redisClusterOptions({
                ...base,
                tls: true,
                username: "fn",
                authToken: undefined,
                iam,
            }).redisOptions!;
            const first = options.password!;
            await new Promise((resolve) => setTimeout(resolve, 1100));
            const second = options.password!;
            expect(first).to.match(/^cache-1\/\?Action=connect&User=fn&X-Amz-Algorithm=AWS4-HMAC-SHA256&/);
            expect(second).not.to.equal(first);
            expect(options.username).to.equal("fn");
        });

        it("bounds every wait with the budgeted timeouts and never queues commands while disconnected", function () {
            const options = redisClusterOptions({ ...base, tls: true });
            expect(options.redisOptions).to.include({
                connectTimeout: REDIS_TIMEOUTS.connectMs,
                socketTimeout: REDIS_TIMEOUTS.socketMs,
                commandTimeout: REDIS_TIMEOUTS.commandMs,
            });
            expect(options).to.include({
                enableOfflineQueue: false,
                slotsRefreshTimeout: REDIS_TIMEOUTS.slotsRefreshMs,
            });
            expect(options.maxRedirections).to.be.within(1, 16);
        });

        it("retries the cluster connection forever, at most a second apart", function () {
            const strategy = redisClusterOptions({ ...base, tls: true }).clusterRetryStrategy!;
            const delays = [1, 2, 5, 10, 100, 100_000].map((times) => strategy(times));
            for (const delay of delays) expect(delay).to.be.a("number").within(1, 1000);
        });
    });
});

function catchError(fn: () => unknown): Error {
    try {
        fn();
    } catch (error) {
        return error as Error;
    }
    throw new Error("expected an error");
}
