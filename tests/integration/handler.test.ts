/**
 * The Lambda archive the program builds (serialized under Pulumi mocks), run in a bare Node process with nothing but
 * its own files, against real Redis Clusters on loopback: the shapes, TLS + AUTH, the HTTP contract, and failures
 * (wrong token, dropped connections, a crashed primary, a hung primary).
 */
import { expect } from "chai";
import * as path from "path";
import { HANDLER_ENVIRONMENT } from "../../functions/environment";
import { localHandlerEnvironment } from "../../twin/archive/localHandlerEnvironment";
import { CONNECTION_NAME } from "../../functions/redisClusterOptions";
import { ArchiveProcess, Invocation } from "../../twin/archive/archiveProcess";
import { archiveNodeVersion, LAMBDA_NODE_VARIABLE, runtimeMajor } from "../../twin/archive/archiveNode";
import { functionUrlEvent, getEvent, postEvent } from "../../twin/functionUrl/events";
import { LambdaArchive, writeLambdaArchive } from "../../twin/archive/lambdaArchive";
import { hashSlot, startRedisCluster } from "../../twin/cluster/redisCluster";
import { applyRedisUsers } from "../../twin/cluster/redisUsers";

type Cluster = Awaited<ReturnType<typeof startRedisCluster>>;

/** The promise made for an unreachable or hung Redis: an answer within ~3 s (asserted with room for a busy CI box). */
const BOUNDED_CALL_MS = 3500;
/** Target: 200 again within 10 s of losing a primary (cluster-node-timeout 2000 ms); asserted generously. */
const RECOVERY_LIMIT_MS = 20_000;

const ADMIN_PASSWORD = "integration-admin-0123456789abcdef";

let archive: LambdaArchive;
/** The program with durable writes: its function user may also WAIT. */
let durableArchive: LambdaArchive;

/** Starts the archive's handler as the function's configuration says (`<file>.<export>`). */
function startHandler(
    cluster: Cluster,
    started: ArchiveProcess[],
    overrides: Record<string, string> = {},
): Promise<ArchiveProcess> {
    const dot = archive.handler.lastIndexOf(".");
    return ArchiveProcess.start({
        archiveDir: archive.dir,
        entryFile: `${archive.handler.slice(0, dot)}.js`,
        exportName: archive.handler.slice(dot + 1),
        env: localHandlerEnvironment(archive, cluster, overrides),
    }).then((fn) => {
        started.push(fn);
        return fn;
    });
}

function json(invocation: Invocation): Record<string, unknown> {
    expect(invocation.result.headers["content-type"]).to.equal("application/json");
    return JSON.parse(invocation.result.body) as Record<string, unknown>;
}

/** Total SET and GET calls every node has served: unchanged means a request never reached Redis. */
async function setGetCalls(cluster: Cluster): Promise<number> {
    let total = 0;
    for (const node of cluster.nodes) {
        if (cluster.nodeState(node) !== "running") continue;
        const stats = String(await cluster.command(node, ["INFO", "commandstats"]));
        for (const match of stats.matchAll(/^cmdstat_(?:set|get):calls=(\d+)/gm)) total += Number(match[1]);
    }
    return total;
}

/** Connections the handler's cluster client holds open, over all nodes (its refresh connections are named apart). */
async function handlerConnections(cluster: Cluster): Promise<number> {
    let count = 0;
    for (const node of cluster.nodes) {
        if (cluster.nodeState(node) !== "running") continue;
        const clients = String(await cluster.command(node, ["CLIENT", "LIST"])).split("\n");
        count += clients.filter((line) => line.includes(` name=${CONNECTION_NAME} `)).length;
    }
    return count;
}

/**
 * Calls every 100 ms until one answers 200; every other answer must be a bounded 503. Returns the ms from `since`
 * to the first 200 and what the calls answered.
 */
async function callUntilOk(
    fn: ArchiveProcess,
    key: string,
    value: string,
    since: number,
): Promise<{ recoveredMs: number; failures: Invocation[] }> {
    const failures: Invocation[] = [];
    while (Date.now() - since < RECOVERY_LIMIT_MS) {
        const call = await fn.invoke(getEvent(key, value));
        if (call.result.statusCode === 200) {
            expect(json(call)).to.include({ key, value });
            return { recoveredMs: Date.now() - since, failures };
        }
        expect(call.result.statusCode, call.result.body).to.equal(503);
        expect(json(call).error).to.be.a("string");
        expect(call.ms, "a failing call must still answer quickly").to.be.below(BOUNDED_CALL_MS);
        failures.push(call);
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no 200 within ${RECOVERY_LIMIT_MS} ms; ${failures.length} calls answered 503`);
}

function report(line: string): void {
    console.log(`        ↳ ${line}`);
}

function expectCleanProcesses(processes: readonly ArchiveProcess[]): void {
    for (const fn of processes) {
        expect(fn.unhandled, `pid ${fn.pid}`).to.deep.equal([]);
        expect(fn.stderr, `pid ${fn.pid}`).to.equal("");
        expect(
            fn.stdout.filter((line) => typeof line === "string"),
            `pid ${fn.pid}: non-JSON stdout`,
        ).to.deep.equal([]);
    }
}

describe("handler archive (serialized by the program) against a real Redis Cluster", function () {
    this.timeout(60_000);

    // Both clusters start together while the program is evaluated; each describe below takes its own.
    let plainStarting: Promise<Cluster>;
    let tlsStarting: Promise<Cluster>;

    before(async function () {
        plainStarting = startRedisCluster({ shards: 1, replicasPerShard: 1 });
        tlsStarting = startRedisCluster({
            shards: 3,
            replicasPerShard: 1,
            tls: true,
            adminUser: "local-admin",
            password: ADMIN_PASSWORD,
        });
        plainStarting.catch(() => undefined);
        tlsStarting.catch(() => undefined);
        archive = await writeLambdaArchive({ stack: "dev" });
        durableArchive = await writeLambdaArchive({ stack: "dev", config: { durableWrites: "true" } });
    });

    after(async function () {
        // Stops a cluster whose describe never ran (a failed hook); stopping twice is harmless.
        const clusters = await Promise.allSettled([plainStarting, tlsStarting].filter(Boolean));
        for (const cluster of clusters) if (cluster.status === "fulfilled") await cluster.value.stop();
        archive?.remove();
        durableArchive?.remove();
    });

    it("is self-contained: __index.js and node_modules only, ioredis inside, no Pulumi code", function () {
        const topLevel = new Set(archive.files.map((file) => file.split(path.sep)[0]));
        expect([...topLevel].sort()).to.deep.equal(["__index.js", "node_modules"]);
        expect(archive.files).to.include(path.join("node_modules", "ioredis", "package.json"));
        expect(archive.files.filter((file) => file.includes("@pulumi"))).to.deep.equal([]);
        report(
            `archive: ${archive.files.length} files, ${(archive.unzippedBytes / 1024).toFixed(0)} KB, ${(archive.zippedBytes / 1024).toFixed(0)} KB zipped`,
        );
    });

    describe("1 shard × 1 replica, plain (the tutorial's shape)", function () {
        let cluster: Cluster;
        const started: ArchiveProcess[] = [];
        let fn: ArchiveProcess;

        before(async function () {
            cluster = await plainStarting;
            fn = await startHandler(cluster, started);
        });

        after(async function () {
            await Promise.allSettled(started.map((process) => process.stop()));
            await cluster?.stop();
        });

        it("runs on the declared runtime's Node when LAMBDA_NODE names it (CI: Node 22), else on this Node", function () {
            expect(fn.nodeVersion).to.equal(archiveNodeVersion());
            if (process.env[LAMBDA_NODE_VARIABLE])
                expect(fn.nodeVersion).to.match(new RegExp(`^v${runtimeMajor(archive.runtime)}\\.`));
            report(`archive runs on Node ${fn.nodeVersion} (declared runtime ${archive.runtime})`);
        });

        it("loads nothing from outside the archive", function () {
            const outside = fn.loadedFiles.filter((file) => !file.startsWith(archive.dir + path.sep));
            expect(outside).to.deep.equal([]);
            expect(fn.loadedFiles.some((file) => file.includes(path.join("node_modules", "ioredis")))).to.equal(true);
            report(`load + client creation: ${fn.loadMs.toFixed(0)} ms`);
        });

        it("answers the tutorial's request: GET / sets hogehoge and reads back fugafuga", async function () {
            const call = await fn.invoke(functionUrlEvent("GET"));
            expect(call.result.statusCode).to.equal(200);
            expect(json(call)).to.deep.equal({ key: "hogehoge", value: "fugafuga", redis_result: "fugafuga" });
            expect(await cluster.command(cluster.nodes[0], ["GET", "hogehoge"])).to.equal("fugafuga");
        });

        it("SETs then GETs with GET ?key&value, POST JSON and POST base64 JSON", async function () {
            const calls = [
                await fn.invoke(getEvent("query-key", "query value & more")),
                await fn.invoke(postEvent("json-key", "json value ✓")),
                await fn.invoke(postEvent("base64-key", "base64 value", true)),
            ];
            const expected = [
                ["query-key", "query value & more"],
                ["json-key", "json value ✓"],
                ["base64-key", "base64 value"],
            ];
            for (const [index, [key, value]] of expected.entries()) {
                expect(calls[index].result.statusCode, key).to.equal(200);
                expect(json(calls[index])).to.deep.equal({ key, value, redis_result: value });
                expect(await cluster.command(cluster.nodes[0], ["GET", key])).to.equal(value);
            }
        });

        it("answers each bad request with a 4xx JSON error without touching Redis", async function () {
            const before = await setGetCalls(cluster);
            const cases: Array<[ReturnType<typeof functionUrlEvent>, number]> = [
                [functionUrlEvent("POST", { body: "key=k&value=v" }), 400],
                [functionUrlEvent("POST", { body: { key: 1, value: "v" } }), 400],
                [functionUrlEvent("POST", { body: { key: "k", value: false } }), 400],
                [getEvent("", "v"), 400],
                [postEvent("k".repeat(1025), "v"), 413],
                [postEvent("k", "v".repeat(64 * 1024 + 1)), 413],
                [functionUrlEvent("GET", { query: { key: "only-key" } }), 400],
                [functionUrlEvent("POST", { body: { value: "only-value" } }), 400],
                [functionUrlEvent("DELETE"), 405],
                [functionUrlEvent("PUT", { body: { key: "k", value: "v" } }), 405],
            ];
            for (const [event, statusCode] of cases) {
                const call = await fn.invoke(event);
                expect(call.result.statusCode, call.result.body).to.equal(statusCode);
                expect(json(call).error).to.be.a("string").and.not.equal("");
                if (statusCode === 405) expect(call.result.headers.allow).to.equal("GET, POST");
                expect(call.logLines).to.have.length(1);
                expect(call.logLines[0]).to.include({ status: statusCode, outcome: "rejected" });
            }
            expect(await setGetCalls(cluster)).to.equal(before);
        });

        it("writes one JSON log line per call, with the hash slot and never the value", async function () {
            const call = await fn.invoke(postEvent("log-key", "do-not-log-this-value"));
            expect(call.logLines).to.have.length(1);
            expect(call.logLines[0]).to.include({
                msg: "invocation",
                method: "POST",
                slot: hashSlot("log-key"),
                status: 200,
                outcome: "ok",
                cold: false,
            });
            expect(call.logLines[0].ms).to.be.a("number");
            expect(JSON.stringify(call.logLines)).not.to.contain("do-not-log-this-value");
        });

        it("with durable writes, reports the replica that acknowledged the SET", async function () {
            const durable = await startHandler(cluster, started, { [HANDLER_ENVIRONMENT.durableWrites]: "true" });
            const call = await durable.invoke(getEvent("durable-key", "durable"));
            expect(call.result.statusCode, call.result.body).to.equal(200);
            expect(json(call)).to.deep.equal({
                key: "durable-key",
                value: "durable",
                redis_result: "durable",
                replicas_acknowledged: 1,
            });
        });

        it("had no unhandled rejection, nothing on stderr, only JSON on stdout", function () {
            expectCleanProcesses(started);
        });
    });

    describe("3 shards × 1 replica, TLS + the program's users (authMode rbac: default user off)", function () {
        let cluster: Cluster;
        const started: ArchiveProcess[] = [];
        let fn: ArchiveProcess;

        before(async function () {
            cluster = await tlsStarting;
            await applyRedisUsers(cluster, archive.redisUsers);
            fn = await startHandler(cluster, started);
        });

        /** A handler with durable writes, under the function user the program declares for them (which may WAIT). */
        async function startDurableHandler(): Promise<ArchiveProcess> {
            await applyRedisUsers(cluster, durableArchive.redisUsers);
            return startHandler(cluster, started, { [HANDLER_ENVIRONMENT.durableWrites]: "true" });
        }

        after(async function () {
            await Promise.allSettled(started.map((process) => process.stop()));
            await cluster?.stop();
        });

        it("writes keys on every shard, each on the primary that owns its slot", async function () {
            for (let shard = 0; shard < 3; shard++) {
                const key = cluster.keyForShard(shard, "tls");
                const value = `value on shard ${shard}`;
                const call = await fn.invoke(shard === 1 ? postEvent(key, value) : getEvent(key, value));
                expect(call.result.statusCode, call.result.body).to.equal(200);
                expect(json(call)).to.deep.equal({ key, value, redis_result: value });
                expect(call.logLines[0]).to.include({ slot: hashSlot(key) });
                const owner = await cluster.nodeForKey(key);
                expect(owner.shard).to.equal(shard);
                expect(await cluster.command(owner, ["GET", key])).to.equal(value);
            }
        });

        it("answers the tutorial's request over TLS", async function () {
            const call = await fn.invoke(functionUrlEvent("GET"));
            expect(call.result.statusCode).to.equal(200);
            expect(json(call)).to.include({ redis_result: "fugafuga" });
        });

        it("reuses its connections across warm calls (no new connection per call)", async function () {
            const before = await handlerConnections(cluster);
            expect(before, "one connection per primary after the first calls").to.equal(3);
            const durations: number[] = [];
            for (let n = 0; n < 60; n++) {
                const call = await fn.invoke(getEvent(`warm-${n}`, "v"));
                expect(call.result.statusCode).to.equal(200);
                expect(call.logLines[0]).to.include({ attempts: 1 });
                durations.push(call.ms);
            }
            expect(await handlerConnections(cluster)).to.equal(before);
            durations.sort((a, b) => a - b);
            const median = durations[durations.length >> 1];
            report(
                `warm call over TLS, inside the handler: median ${median.toFixed(2)} ms, max ${durations[durations.length - 1].toFixed(2)} ms (60 calls, 3 shards)`,
            );
        });

        it("with durable writes, every shard's replica acknowledges the SET", async function () {
            const durable = await startDurableHandler();
            for (let shard = 0; shard < 3; shard++) {
                const key = cluster.keyForShard(shard, "durable");
                const call = await durable.invoke(getEvent(key, "d"));
                expect(call.result.statusCode, call.result.body).to.equal(200);
                expect(json(call)).to.include({ replicas_acknowledged: 1 });
            }
        });

        it("answers 503 fast when the password is wrong, and keeps answering", async function () {
            const wrong = await startHandler(cluster, started, {
                [HANDLER_ENVIRONMENT.password]: "not-the-password-0123456789",
            });
            for (let n = 0; n < 3; n++) {
                const call = await wrong.invoke(getEvent("k", "v"));
                expect(call.result.statusCode).to.equal(503);
                expect(json(call)).to.deep.equal({ error: "Redis refused the credentials" });
                // Well under the 2.5 s budget: the refusal itself ends the call, not the deadline.
                expect(call.ms).to.be.below(2000);
                expect(call.logLines[0]).to.include({ outcome: "auth", error_code: "WRONGPASS" });
            }
        });

        it("answers 200 on the next call after every client connection was killed server-side", async function () {
            // Connections exist on every shard before the kill.
            for (let shard = 0; shard < 3; shard++)
                expect((await fn.invoke(getEvent(cluster.keyForShard(shard, "pre"), "v"))).result.statusCode).to.equal(
                    200,
                );
            const killed = await cluster.killClientConnections();
            expect(killed).to.be.at.least(3);
            for (let shard = 0; shard < 3; shard++) {
                const call = await fn.invoke(getEvent(cluster.keyForShard(shard, "after-kill"), "v"));
                expect(call.result.statusCode, call.result.body).to.equal(200);
            }
        });

        it("fails fast while a primary hangs (SIGSTOP) and answers 200 again after failover", async function () {
            const key = cluster.keyForShard(1, "hung");
            const hung = await cluster.nodeForKey(key);
            expect((await fn.invoke(getEvent(key, "before"))).result.statusCode).to.equal(200);
            const since = Date.now();
            expect(cluster.kill(hung, "SIGSTOP")).to.equal(true);
            const { recoveredMs, failures } = await callUntilOk(fn, key, "after failover", since);
            report(
                `hung primary: 200 again ${(recoveredMs / 1000).toFixed(1)} s after SIGSTOP; ${failures.length} calls answered 503 meanwhile, slowest ${Math.max(0, ...failures.map((call) => call.ms)).toFixed(0)} ms`,
            );
            expect(failures.length, "the hang must be noticed by at least one call").to.be.at.least(1);
            const promoted = await cluster.waitForFailover(hung);
            expect(promoted.id).not.to.equal(hung.id);
            expect(await cluster.command(promoted, ["GET", key])).to.equal("after failover");
        });

        /** Kills the primary owning `key` and returns once the handler has written `key` through its successor. */
        async function killPrimaryAndRecover(key: string, label: string): Promise<void> {
            const crashed = await cluster.nodeForKey(key);
            expect((await fn.invoke(getEvent(key, "before"))).result.statusCode).to.equal(200);
            const since = Date.now();
            expect(cluster.kill(crashed, "SIGKILL")).to.equal(true);
            const { recoveredMs, failures } = await callUntilOk(fn, key, "after crash", since);
            report(
                `${label}: 200 again ${(recoveredMs / 1000).toFixed(1)} s after kill -9 (target 10 s); ${failures.length} calls answered 503 meanwhile`,
            );
            const promoted = await cluster.waitForFailover(crashed);
            expect(await cluster.command(promoted, ["GET", key])).to.equal("after crash");
        }

        it("answers 200 again within the target after a primary is killed (kill -9)", async function () {
            await killPrimaryAndRecover(cluster.keyForShard(2, "crash"), "killed primary");
            // The other shards never stopped answering.
            expect((await fn.invoke(getEvent(cluster.keyForShard(0, "still"), "v"))).result.statusCode).to.equal(200);
        });

        it("with durable writes, answers 503 when a shard has no replica left to acknowledge", async function () {
            const durable = await startDurableHandler();
            const orphan = await durable.invoke(getEvent(cluster.keyForShard(2, "orphan"), "v"));
            expect(orphan.result.statusCode, orphan.result.body).to.equal(503);
            expect(json(orphan)).to.include({ replicas_acknowledged: 0 });
            expect(orphan.logLines[0]).to.include({ outcome: "unreplicated" });
            const healthy = await durable.invoke(getEvent(cluster.keyForShard(0, "healthy"), "v"));
            expect(healthy.result.statusCode, healthy.result.body).to.equal(200);
        });

        it("keeps answering after the node it was seeded with (the configuration endpoint) is killed", async function () {
            // A warm container knows every node from the slot map; losing its seed must not matter.
            const key = cluster.keyForShard(0, "seed");
            expect((await cluster.nodeForKey(key)).host, "shard 0's primary is the seed").to.equal(
                cluster.configurationEndpoint.host,
            );
            await killPrimaryAndRecover(key, "killed seed node");
        });

        it("had no unhandled rejection, nothing on stderr, only JSON on stdout", function () {
            expectCleanProcesses(started);
        });
    });
});
