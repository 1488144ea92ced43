"use strict";
/*
 * The baseline the handler is measured against: what a person writes with bare ioredis and nothing else — a Cluster
 * client created once per container with only what it takes to connect (host names kept for TLS, TLS, the token),
 * SET then GET, and a minimal Function URL answer. No validation, no deadlines, no retries, no logging.
 *
 * Copied into its own directory beside a link to the archive's node_modules, so it loads the very same ioredis.
 * Reads the same environment variables as the handler.
 */
const { Cluster } = require("ioredis");

const env = process.env;
const cluster = new Cluster([{ host: env.REDIS_CONFIGURATION_ENDPOINT, port: Number(env.REDIS_PORT || 6379) }], {
    dnsLookup: (address, callback) => callback(null, address),
    redisOptions: {
        tls: env.REDIS_TLS === "false" ? undefined : {},
        username: env.REDIS_USERNAME || undefined,
        password: env.REDIS_PASSWORD || env.REDIS_AUTH_TOKEN || undefined,
        // Under the function's least-privilege Redis user, INFO (the node ready check) and CLIENT SETINFO are refused.
        enableReadyCheck: false,
        disableClientInfo: true,
    },
});

function answer(key, value) {
    return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ key, value }) };
}

/** The same two commands as the handler, sent the same way (one pipeline): isolates what the handler adds. */
exports.pipelined = async (event) => {
    const { key, value } = event.queryStringParameters;
    const [[setError], [getError, read]] = await cluster.pipeline().set(key, value).get(key).exec();
    if (setError || getError) throw setError || getError;
    return answer(key, read);
};

/** SET, await, GET: the way most code is written, one round trip more than a pipeline. */
exports.sequential = async (event) => {
    const { key, value } = event.queryStringParameters;
    await cluster.set(key, value);
    return answer(key, await cluster.get(key));
};
