import { expect } from "chai";
import { EventEmitter } from "events";
import type { Cluster } from "ioredis";
import type { FunctionUrlResult } from "../../functions/http";
import { MAX_VALUE_BYTES } from "../../functions/request";
import { createHandler, InvocationLog } from "../../functions/setGetHandler";
import { functionUrlEvent, getEvent, postEvent } from "../../twin/functionUrl/events";

type Replies = Array<[Error | null, unknown]>;

/**
 * A stand-in for the ioredis Cluster with just what the handler touches. Each `exec` takes the next scripted
 * answer; `commands` records what was pipelined.
 */
class FakeCluster extends EventEmitter {
    status = "ready";
    readonly commands: unknown[][][] = [];
    refreshes = 0;
    constructor(private readonly answers: Array<(commands: unknown[][]) => Promise<Replies>>) {
        super();
    }
    connect(): Promise<void> {
        return Promise.resolve();
    }
    refreshSlotsCache(callback: () => void): void {
        this.refreshes++;
        callback();
    }
    pipeline() {
        const queued: unknown[][] = [];
        const chain = {
            set: (...args: unknown[]) => (queued.push(["set", ...args]), chain),
            wait: (...args: unknown[]) => (queued.push(["wait", ...args]), chain),
            get: (...args: unknown[]) => (queued.push(["get", ...args]), chain),
            exec: () => {
                this.commands.push(queued);
                const answer = this.answers.shift();
                return answer ? answer(queued) : Promise.reject(new Error("no scripted answer"));
            },
        };
        return chain;
    }
}

/** Answers like Redis would: OK for SET, `acknowledged` for WAIT, the value SET for GET. */
function redisLike(acknowledged = 1) {
    return async (commands: unknown[][]): Promise<Replies> => {
        const value = commands.find((command) => command[0] === "set")![2];
        return commands.map((command): [null, unknown] => [
            null,
            command[0] === "set" ? "OK" : command[0] === "wait" ? acknowledged : value,
        ]);
    };
}

function failing(error: Error) {
    return async (commands: unknown[][]): Promise<Replies> => commands.map((): [Error, null] => [error, null]);
}

function setup(answers: Array<(commands: unknown[][]) => Promise<Replies>>, durable = false) {
    const cluster = new FakeCluster(answers);
    const logs: InvocationLog[] = [];
    const handler = createHandler(cluster as unknown as Cluster, durable, (line) => logs.push(line));
    return { cluster, logs, handler };
}

function body(result: FunctionUrlResult): Record<string, unknown> {
    expect(result.headers["content-type"]).to.equal("application/json");
    return JSON.parse(result.body) as Record<string, unknown>;
}

describe("handler: responses and log lines", function () {
    it("GET / answers 200 with the tutorial's redis_result, key and value", async function () {
        const { handler, cluster } = setup([redisLike()]);
        const result = await handler(functionUrlEvent("GET"));
        expect(result.statusCode).to.equal(200);
        expect(body(result)).to.deep.equal({ key: "hogehoge", value: "fugafuga", redis_result: "fugafuga" });
        expect(cluster.commands).to.deep.equal([
            [
                ["set", "hogehoge", "fugafuga"],
                ["get", "hogehoge"],
            ],
        ]);
    });

    it("POST answers the value read back, not the value sent", async function () {
        const { handler } = setup([
            async () => [
                [null, "OK"],
                [null, "what Redis holds"],
            ],
        ]);
        const result = await handler(postEvent("k", "sent"));
        expect(body(result)).to.deep.equal({ key: "k", value: "what Redis holds", redis_result: "what Redis holds" });
    });

    it("bad requests get a 4xx JSON error and never reach Redis", async function () {
        const { handler, cluster, logs } = setup([]);
        const answers = await Promise.all([
            handler(functionUrlEvent("POST", { body: "not json" })),
            handler(postEvent("k", "v".repeat(MAX_VALUE_BYTES + 1))),
            handler(functionUrlEvent("DELETE")),
        ]);
        expect(answers.map((answer) => answer.statusCode)).to.deep.equal([400, 413, 405]);
        for (const answer of answers) expect(body(answer).error).to.be.a("string");
        expect(answers[2].headers.allow).to.equal("GET, POST");
        expect(answers[0].headers.allow).to.equal(undefined);
        expect(cluster.commands).to.deep.equal([]);
        expect(logs.map((line) => [line.method, line.status, line.outcome, line.slot])).to.deep.equal([
            ["POST", 400, "rejected", undefined],
            ["POST", 413, "rejected", undefined],
            ["DELETE", 405, "rejected", undefined],
        ]);
    });

    it("Redis failures answer 503 with a short message and no details", async function () {
        const { handler } = setup([
            failing(new Error("WRONGPASS invalid username-password pair or user is disabled.")),
        ]);
        const result = await handler(getEvent("k", "v"));
        expect(result.statusCode).to.equal(503);
        expect(body(result)).to.deep.equal({ error: "Redis refused the credentials" });
    });

    it("retries a transient failure after refreshing the slot map, within the call", async function () {
        const { handler, cluster, logs } = setup([failing(new Error("Connection is closed.")), redisLike()]);
        const result = await handler(getEvent("k", "v"));
        expect(result.statusCode).to.equal(200);
        expect(cluster.refreshes).to.equal(1);
        expect(logs[0]).to.include({ attempts: 2, outcome: "ok" });
    });

    it("does not retry a failure that is not transient: 500", async function () {
        const { handler, cluster } = setup([failing(new Error("ERR unknown command")), redisLike()]);
        const result = await handler(getEvent("k", "v"));
        expect(result.statusCode).to.equal(500);
        expect(body(result)).to.deep.equal({ error: "internal error" });
        expect(cluster.commands).to.have.length(1);
    });

    it("answers 503 when the value cannot be read back", async function () {
        const { handler } = setup([
            async () => [
                [null, "OK"],
                [null, null],
            ],
        ]);
        expect((await handler(getEvent("k", "v"))).statusCode).to.equal(503);
    });

    it("stops waiting at the deadline when Redis never answers", async function () {
        const { handler, logs } = setup([() => new Promise<Replies>(() => undefined)]);
        const started = Date.now();
        // The context says 400 ms remain: the handler keeps its slack and answers before Lambda would kill it.
        const result = await handler(getEvent("k", "v"), { getRemainingTimeInMillis: () => 400 });
        expect(result.statusCode).to.equal(503);
        expect(body(result)).to.deep.equal({ error: "Redis did not answer in time" });
        expect(Date.now() - started).to.be.below(400);
        expect(logs[0]).to.include({ outcome: "timeout", error_code: "DEADLINE" });
    });

    it("waits for a cluster that is still connecting, then answers", async function () {
        const { handler, cluster } = setup([redisLike()]);
        cluster.status = "connecting";
        setTimeout(() => {
            cluster.status = "ready";
            cluster.emit("ready");
        }, 20);
        expect((await handler(getEvent("k", "v"))).statusCode).to.equal(200);
        expect(cluster.listenerCount("ready")).to.equal(0);
    });

    it("answers at once when a connection attempt fails, and leaves no listener behind", async function () {
        const { handler, cluster } = setup([redisLike()]);
        cluster.status = "reconnecting";
        setTimeout(
            () =>
                cluster.emit(
                    "error",
                    Object.assign(new Error("Failed to refresh slots cache."), {
                        lastNodeError: new Error("Connection is closed."),
                    }),
                ),
            20,
        );
        const started = Date.now();
        const result = await handler(getEvent("k", "v"));
        expect(result.statusCode).to.equal(503);
        expect(Date.now() - started).to.be.below(1000);
        expect(cluster.commands).to.deep.equal([]);
        for (const event of ["ready", "error", "node error"]) expect(cluster.listenerCount(event), event).to.equal(0);
    });

    describe("durable writes", function () {
        it("confirms the SET with WAIT 1 on the same pipeline and reports the acknowledgements", async function () {
            const { handler, cluster } = setup([redisLike(1)], true);
            const result = await handler(getEvent("k", "v"));
            expect(body(result)).to.deep.equal({ key: "k", value: "v", redis_result: "v", replicas_acknowledged: 1 });
            expect(cluster.commands[0].map((command) => command[0])).to.deep.equal(["set", "wait", "get"]);
            expect(cluster.commands[0][1].slice(1, 2)).to.deep.equal([1]);
        });

        it("answers 503 when no replica acknowledged in time", async function () {
            const { handler, logs } = setup([redisLike(0)], true);
            const result = await handler(getEvent("k", "v"));
            expect(result.statusCode).to.equal(503);
            expect(body(result)).to.include({ replicas_acknowledged: 0 });
            expect(logs[0]).to.include({ outcome: "unreplicated", replicas_acknowledged: 0 });
        });
    });

    describe("log line", function () {
        it("has method, slot, status, outcome, ms and cold, and never the key, value or request body", async function () {
            const { handler, logs } = setup([redisLike(), redisLike()]);
            // Hash tag {foo}: the slot of "foo", 12182 in the CLUSTER KEYSLOT documentation.
            await handler(postEvent("secret-key{foo}", "secret-value"), { awsRequestId: "req-1" });
            await handler(getEvent("secret-key", "secret-value"));
            expect(logs).to.have.length(2);
            expect(logs[0]).to.include({
                msg: "invocation",
                request_id: "req-1",
                method: "POST",
                slot: 12182,
                status: 200,
                outcome: "ok",
                cold: true,
            });
            expect(logs[0].ms).to.be.a("number").at.least(0);
            expect(logs[1]).to.include({ cold: false, method: "GET" });
            expect(JSON.stringify(logs)).not.to.match(/secret/);
        });
    });
});
