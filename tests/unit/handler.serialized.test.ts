/**
 * The handler as Pulumi serializes it (`callbackFactory: () => createSetGetHandler()`), run in a bare Node process
 * against a stand-in `ioredis` module: catches what closure serialization silently breaks (a Set copied as an
 * empty object, a class, a captured module) in seconds and without Redis. The real archive and a real cluster are
 * the integration tests' job.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { jsonResponse } from "../../functions/http";
import { parseRequest } from "../../functions/request";
import { createSetGetHandler } from "../../functions/setGetHandler";
import { ArchiveProcess } from "../../twin/archive/archiveProcess";
import { functionUrlEvent, getEvent, postEvent } from "../../twin/functionUrl/events";

/**
 * Stand-in for ioredis: a Cluster that is always ready, logs how it was constructed, and answers a pipeline like
 * Redis would — or, for keys `error:<message>`, fails every command with `<message>`.
 */
const STUB_IOREDIS = `
const { EventEmitter } = require("events");
class Cluster extends EventEmitter {
    constructor(startupNodes, options) {
        super();
        this.status = "ready";
        const { redisOptions, ...rest } = options;
        process.stdout.write(JSON.stringify({ stub: "Cluster", startupNodes, redisOptions, options: rest,
            dnsLookup: typeof options.dnsLookup, retry: [1, 50].map((n) => options.clusterRetryStrategy(n)) }) + "\\n");
    }
    connect() { return Promise.resolve(); }
    refreshSlotsCache(callback) { if (callback) callback(); }
    pipeline() {
        const commands = [];
        const chain = {
            set: (...args) => (commands.push(["set", ...args]), chain),
            wait: (...args) => (commands.push(["wait", ...args]), chain),
            get: (...args) => (commands.push(["get", ...args]), chain),
            exec: async () => {
                const [, key, value] = commands[0];
                if (key.startsWith("error:")) return commands.map(() => [new Error(key.slice(6)), null]);
                return commands.map(([name]) => [null, name === "set" ? "OK" : name === "wait" ? 1 : value]);
            },
        };
        return chain;
    }
}
module.exports = { Cluster };
`;

const ENV = {
    REDIS_CONFIGURATION_ENDPOINT: "clustercfg.demo.abc123.use1.cache.amazonaws.com",
    REDIS_PORT: "6380",
    REDIS_TLS: "true",
    REDIS_AUTH_TOKEN: "a-token-of-thirty-two-characters",
    REDIS_DURABLE_WRITES: "true",
};

describe("handler: serialized by Pulumi, run in a bare Node process", function () {
    this.timeout(60_000);
    let dir: string;
    let text: string;
    let fn: ArchiveProcess;

    before(async function () {
        const serialized = await pulumi.runtime.serializeFunction(() => createSetGetHandler(), {
            isFactoryFunction: true,
        });
        text = serialized.text;
        dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "handler-serialized-"));
        await fs.promises.writeFile(path.join(dir, "__index.js"), text);
        await fs.promises.mkdir(path.join(dir, "node_modules", "ioredis"), { recursive: true });
        await fs.promises.writeFile(path.join(dir, "node_modules", "ioredis", "index.js"), STUB_IOREDIS);
        // The real hash-slot package, as the archive carries it (a dependency of the program and of ioredis).
        await fs.promises.cp(
            path.dirname(require.resolve("cluster-key-slot/package.json")),
            path.join(dir, "node_modules", "cluster-key-slot"),
            {
                recursive: true,
            },
        );
        fn = await ArchiveProcess.start({ archiveDir: dir, env: ENV });
    });

    after(async function () {
        await fn?.stop();
        if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
    });

    it("requires ioredis at run time and captures no Pulumi code, secret or file path", function () {
        expect(text).to.match(/require\("ioredis"\)/);
        expect(text).not.to.match(/@pulumi|pulumi\.|__awaiter/);
        expect(text).not.to.contain(ENV.REDIS_AUTH_TOKEN);
        expect(text).not.to.contain(process.cwd());
        expect(
            fn.loadedFiles.every((file) => file.startsWith(dir + path.sep)),
            fn.loadedFiles.join(", "),
        ).to.equal(true);
    });

    it("creates one cluster client at load, from the environment", function () {
        const constructed = fn.logLines.filter((line) => line.stub === "Cluster");
        expect(constructed).to.have.length(1);
        expect(constructed[0]).to.deep.include({
            startupNodes: [{ host: ENV.REDIS_CONFIGURATION_ENDPOINT, port: 6380 }],
            dnsLookup: "function",
            retry: [100, 1000],
        });
        expect(constructed[0].redisOptions).to.deep.include({ tls: {}, password: ENV.REDIS_AUTH_TOKEN });
        expect(constructed[0].options).to.deep.include({ enableOfflineQueue: false });
    });

    it("answers bad requests exactly as the module does", async function () {
        const events = [
            functionUrlEvent("POST", { body: "{" }),
            functionUrlEvent("POST", { body: { key: 1, value: "v" } }),
            getEvent("", "v"),
            postEvent("k".repeat(1025), "v"),
            postEvent("k", "v".repeat(64 * 1024 + 1)),
            functionUrlEvent("GET", { query: { key: "k" } }),
            functionUrlEvent("PUT"),
            functionUrlEvent("GET", { path: "/x" }),
            functionUrlEvent("POST", { body: '{"key":"k","value":"\\udc00"}' }),
        ];
        for (const event of events) {
            const parsed = parseRequest(event);
            if (parsed.ok) throw new Error("expected a bad request");
            const expected = jsonResponse(
                parsed.statusCode,
                { error: parsed.error },
                parsed.statusCode === 405 ? { allow: "GET, POST" } : {},
            );
            expect((await fn.invoke(event)).result).to.deep.equal(expected);
        }
    });

    it("answers good requests with the value read back, durable writes included", async function () {
        for (const [event, key, value] of [
            [functionUrlEvent("GET"), "hogehoge", "fugafuga"],
            [getEvent("k1", "v1"), "k1", "v1"],
            [postEvent("k2", "v2 ✓", true), "k2", "v2 ✓"],
        ] as const) {
            const { result, logLines } = await fn.invoke(event);
            expect(result.statusCode).to.equal(200);
            expect(JSON.parse(result.body)).to.deep.equal({
                key,
                value,
                redis_result: value,
                replicas_acknowledged: 1,
            });
            expect(logLines).to.have.length(1);
            expect(logLines[0]).to.include({ msg: "invocation", status: 200, outcome: "ok" });
        }
    });

    it("maps Redis failures to 503 or 500 as the module does", async function () {
        const cases: Array<[string, number, string]> = [
            ["WRONGPASS invalid username-password pair", 503, "auth"],
            ["READONLY You can't write against a read only replica.", 503, "unavailable"],
            ["ERR unknown command", 500, "internal"],
        ];
        for (const [message, statusCode, outcome] of cases) {
            const { result, logLines } = await fn.invoke(getEvent(`error:${message}`, "v"));
            expect(result.statusCode, message).to.equal(statusCode);
            expect(JSON.parse(result.body).error).to.be.a("string").and.not.contain(message);
            expect(logLines[0]).to.include({ outcome });
        }
        expect(fn.unhandled).to.deep.equal([]);
        expect(fn.stderr).to.equal("");
    });
});
