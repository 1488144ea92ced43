/**
 * `npm run bench` and `npm run resilience` on tiny runs (`--quick`): the real commands, real 3×1 TLS + AUTH clusters
 * and the program's own archive, checked for what they write and what they leave behind. No timing is asserted:
 * timings belong to the benchmarks' output, not to tests. Also the pure helpers the figures are computed with, and the
 * read-back that finds lost writes (shown to find one).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pidExists } from "../../twin/process/processes";
import { CommandResult, runCommand } from "../support/runCommand";
import { GOALS, LABELS, type BenchResults } from "../../twin/bench/benchRun";
import { quantile, median, rotation, ratio } from "../../twin/bench/stats";
import { outageFigures } from "../../twin/bench/outage";
import { readBack } from "../../twin/bench/readBack";
import type { ResilienceResults } from "../../twin/bench/resilienceRun";
import type { CallRecord } from "../../twin/bench/steadyLoad";
import { startRedisCluster } from "../../twin/cluster/redisCluster";

const ROOT = path.resolve(__dirname, "..", "..");

/** Runs a script the way npm does, with a hard bound; SIGINT lets the script's own hooks stop its redis-servers. */
function runScript(
    script: string,
    args: string[],
    env: Record<string, string> = {},
    timeoutMs = 240_000,
): Promise<CommandResult> {
    return runCommand(process.execPath, ["-r", path.join(ROOT, "twin", "register.cjs"), script, ...args], {
        cwd: ROOT,
        env,
        timeoutMs,
        killSignal: "SIGINT",
    });
}

/** The redis-server pids a run printed ("… primary shard 0 pid 1234, …"). */
function printedPids(stdout: string): number[] {
    return [...new Set([...stdout.matchAll(/ pid (\d+)/g)].map((match) => Number(match[1])))];
}

describe("benchmark helpers", function () {
    it("takes quantiles by nearest rank, always one of the samples", function () {
        const samples = [5, 1, 4, 2, 3];
        expect(quantile(samples, 0)).to.equal(1);
        expect(median(samples)).to.equal(3);
        expect(quantile(samples, 0.99)).to.equal(5);
        expect(quantile([1, 2, 3, 4], 0.5)).to.equal(2);
        expect(quantile([], 0.5)).to.be.NaN;
        expect(() => quantile(samples, 1.5)).to.throw(/between 0 and 1/);
    });

    it("rotates the order of variants so each takes each position equally often", function () {
        const firsts = [0, 1, 2, 3, 4, 5].map((round) => rotation(3, round)[0]);
        expect(firsts).to.deep.equal([0, 1, 2, 0, 1, 2]);
        for (let round = 0; round < 3; round++) expect([...rotation(3, round)].sort()).to.deep.equal([0, 1, 2]);
    });

    it("gives no ratio for a missing or zero denominator", function () {
        expect(ratio(3, 2)).to.equal(1.5);
        expect(ratio(1, 0)).to.be.NaN;
        expect(ratio(NaN, 1)).to.be.NaN;
    });
});

/** A call record with what the tests below care about; the rest filled in. */
function call(
    seq: number,
    shard: number,
    issuedAt: number,
    completedAt: number,
    acknowledged: boolean,
    extra: Partial<CallRecord> = {},
): CallRecord {
    return {
        seq,
        key: `k${seq}`,
        value: `v${seq}`,
        shard,
        issuedAt,
        completedAt,
        container: 0,
        shared: false,
        status: acknowledged ? 200 : 503,
        ms: completedAt - issuedAt,
        outcome: acknowledged ? "ok" : "unavailable",
        errorCode: acknowledged ? undefined : "CONNECTION_CLOSED",
        acknowledged,
        ...extra,
    };
}

describe("resilience figures", function () {
    it("times recovery from the fault to the first success on the hit shard, ignoring the other shards", function () {
        const records = [
            call(0, 1, 900, 910, true), // before the fault
            call(1, 0, 1010, 1020, true), // another shard, after the fault
            call(2, 1, 1020, 1500, false),
            call(3, 1, 1100, 3600, true), // issued during the outage, answered after it
            call(4, 1, 3000, 3400, true), // first success on shard 1
            call(5, 1, 1200, 3700, false, { outcome: "timeout", errorCode: "DEADLINE" }),
        ];
        const figures = outageFigures(records, 1000, 1);
        expect(figures.recoveryS).to.equal(2.4);
        expect(figures.failedCalls).to.equal(2);
        expect(figures.failedCallsAffectedShard).to.equal(2);
        expect(figures.lastFailureS).to.equal(2.7);
        expect(figures.failuresByKind).to.deep.equal({ "unavailable/CONNECTION_CLOSED": 1, "timeout/DEADLINE": 1 });
        expect(figures.longestCallMs).to.equal(2500);
    });

    it("reports no outage as recovery 0, and no recovery as null", function () {
        expect(
            outageFigures([call(0, 2, 1100, 1110, true), call(1, 0, 1200, 1300, false)], 1000, 2).recoveryS,
        ).to.equal(0);
        expect(outageFigures([call(0, 2, 1100, 1110, false)], 1000, 2).recoveryS).to.equal(null);
        // A fault on every shard (undefined): every call counts.
        expect(
            outageFigures([call(0, 0, 1100, 1150, false), call(1, 2, 1200, 1250, true)], 1000, undefined).recoveryS,
        ).to.equal(0.25);
    });

    it("reads back every write and finds an acknowledged one that is gone", async function () {
        this.timeout(60_000);
        const cluster = await startRedisCluster({ shards: 1, replicasPerShard: 0 });
        try {
            const client = cluster.newClusterClient();
            await client.set("k0", "v0");
            await client.set("k2", "v2");
            await client.quit();
            const figures = await readBack(cluster, [
                call(0, 0, 0, 1, true), // stored
                call(1, 0, 0, 1, true), // acknowledged, never stored: lost
                call(2, 0, 0, 1, false), // failed, stored all the same
                call(3, 0, 0, 1, false), // failed, not stored
            ]);
            expect(figures).to.deep.equal({
                ackedChecked: 2,
                lostAcked: 1,
                lostAckedKeys: ["k1"],
                failedButStored: 1,
                failedChecked: 2,
            });
        } finally {
            await cluster.stop();
        }
    });
});

// Both commands run side by side: each starts its own clusters on its own ports, and most of a run is spent waiting
// (cluster start, load windows, a failover), so together they take little longer than the longer one alone.
describe("npm run bench and npm run resilience, side by side", function () {
    this.timeout(300_000);
    let dir: string;
    let runs: { readonly bench: Promise<CommandResult>; readonly resilience: Promise<CommandResult> };

    before(function () {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-test-"));
        runs = {
            bench: runScript("scripts/bench.ts", ["--quick", "--out", path.join(dir, "results.json")]),
            resilience: runScript(
                "scripts/resilience.ts",
                ["--quick", "--out", path.join(dir, "resilience.json"), "--doc", path.join(dir, "resilience.md")],
                { RESILIENCE_SCENARIOS: "connKill,kill" },
            ),
        };
    });

    after(async function () {
        // A failed hook above leaves the other command running: it ends (and stops its clusters) before we go on.
        await Promise.allSettled([runs?.bench, runs?.resilience]);
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    describe("npm run bench -- --quick", function () {
        let results: BenchResults;
        let stdout: string;

        before(async function () {
            const run = await runs.bench;
            stdout = run.stdout;
            expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
            results = JSON.parse(fs.readFileSync(path.join(dir, "results.json"), "utf8")) as BenchResults;
        });

        it("writes each headline figure of the results as a positive number", function () {
            for (const field of [
                "archiveZippedBytes",
                "archiveUnzippedBytes",
                "coldRatio",
                "warmRatio",
                "warmP50Ms",
                "warmP99Ms",
                "concurrencyRatio",
            ] as const) {
                expect(results[field], field).to.be.a("number").and.to.be.above(0);
            }
            expect(results.machine.cores).to.equal(os.cpus().length);
            expect(results.machine.node).to.equal(process.version);
            expect(Date.parse(results.at)).to.be.within(Date.now() - 3_600_000, Date.now());
            expect(results.quick).to.equal(true);
            expect(results.loadAverage.start).to.have.length(3);
            expect(results.loadAverage.end).to.have.length(3);
        });

        it("measures the archive the program builds, without @pulumi", function () {
            const archive = results.raw.archive;
            expect(archive.zippedBytes).to.equal(results.archiveZippedBytes);
            expect(archive.zippedBytes).to.be.below(archive.unzippedBytes);
            expect(archive.pulumiFiles).to.equal(0);
            expect(Object.keys(archive.bytesByPackage)).to.include.members(["__index.js", "node_modules/ioredis"]);
            expect(Object.values(archive.bytesByPackage).reduce((sum, bytes) => sum + bytes, 0)).to.equal(
                archive.unzippedBytes,
            );
            expect(archive.loadedAtRunTime!.files).to.be.above(0).and.to.be.at.most(archive.files);
        });

        it("takes as many samples as asked, from every variant", function () {
            const { settings, raw } = results;
            expect(raw.cold.map((variant) => variant.samples.length)).to.deep.equal(
                raw.cold.map(() => settings.coldRuns),
            );
            expect(raw.warm.variants.map((variant) => variant.label)).to.have.members([
                LABELS.handler,
                LABELS.pipelined,
                LABELS.sequential,
            ]);
            for (const variant of raw.warm.variants)
                expect(variant.count, variant.label).to.equal(settings.warmIterations);
            for (const variant of raw.concurrency.variants) {
                expect(variant.calls, variant.label).to.equal(
                    settings.concurrencyRounds * settings.concurrencyCallsPerRound,
                );
                expect(variant.cpuMicrosPerCall, variant.label).to.be.above(0);
            }
        });

        it("derives the ratios and goals from the raw figures", function () {
            const warm = (label: string) => results.raw.warm.variants.find((variant) => variant.label === label)!.p50Ms;
            const cpu = (label: string) =>
                results.raw.concurrency.variants.find((variant) => variant.label === label)!.cpuMicrosPerCall;
            expect(results.warmRatio).to.equal(ratio(warm(LABELS.handler), warm(LABELS.pipelined)));
            expect(results.cpuPerCallRatio).to.equal(ratio(cpu(LABELS.handler), cpu(LABELS.pipelined)));
            expect(results.goals.warmRatio.met).to.equal(results.warmRatio <= GOALS.warmRatio);
            expect(results.goals.concurrencyRatio.met).to.equal(results.concurrencyRatio >= GOALS.concurrencyRatio);
            expect(results.goals.archiveZippedBytes.met).to.equal(
                results.archiveZippedBytes <= GOALS.archiveZippedBytes,
            );
        });

        it("prints the table and stops every redis-server it started", function () {
            expect(stdout).to.include("ratio handler ÷ bare (pipelined)");
            const pids = printedPids(stdout);
            expect(pids).to.have.length(6);
            for (const pid of pids) expect(pidExists(pid), `redis-server pid ${pid}`).to.equal(false);
        });
    });

    describe("npm run resilience -- --quick (connection kill and kill -9)", function () {
        let results: ResilienceResults;
        let doc: string;
        let stdout: string;

        before(async function () {
            const run = await runs.resilience;
            stdout = run.stdout;
            expect(run.code, `${run.stdout}\n${run.stderr}`).to.equal(0);
            results = JSON.parse(fs.readFileSync(path.join(dir, "resilience.json"), "utf8")) as ResilienceResults;
            doc = fs.readFileSync(path.join(dir, "resilience.md"), "utf8");
        });

        it("writes the figures of the scenarios it ran, null for the others", function () {
            expect(Object.keys(results.raw)).to.deep.equal(["connKill", "kill"]);
            expect(results.killFailedCalls).to.equal(results.raw.kill!.failedCalls);
            expect(results.killLostAcked).to.equal(results.raw.kill!.lostAcked);
            expect(results.killRecoveryS).to.equal(results.raw.kill!.recoveryS);
            expect(results.connKillFailedCalls).to.equal(results.raw.connKill!.failedCalls);
            expect(results.killLostAckedWait).to.equal(null);
            expect(results.hangRecoveryS).to.equal(null);
            expect(results.hangLongestCallMs).to.equal(null);
        });

        it("accounts for every call: answered, read back, and served by the handler without crashing", function () {
            for (const scenario of [results.raw.kill!, results.raw.connKill!]) {
                expect(scenario.calls, scenario.name).to.be.above(0);
                expect(scenario.acknowledged + scenario.failedCalls, scenario.name).to.equal(scenario.calls);
                expect(scenario.ackedChecked, scenario.name).to.equal(scenario.acknowledged);
                expect(scenario.failedChecked, scenario.name).to.equal(scenario.failedCalls);
                expect(scenario.handlerProblems, scenario.name).to.deep.equal([]);
                const inTimeline = scenario.timeline.reduce((sum, second) => sum + second.ok + second.failed, 0);
                expect(inTimeline, scenario.name).to.be.at.most(scenario.calls);
            }
            expect(results.raw.kill!.fault).to.match(/^kill -9 127\.0\.0\.\d+, primary of shard \d$/);
            expect(results.raw.kill!.failoverObservedS).to.be.above(0);
            expect(results.raw.connKill!.connectionsClosed![0]).to.be.above(0);
        });

        it("writes the report with a row per scenario", function () {
            expect(doc).to.include(results.raw.kill!.title);
            expect(doc).to.include(results.raw.connKill!.title);
            expect(doc).to.include("resilience.json");
        });

        it("stops every redis-server it started", function () {
            const pids = printedPids(stdout);
            expect(pids).to.have.length(12);
            for (const pid of pids) expect(pidExists(pid), `redis-server pid ${pid}`).to.equal(false);
        });
    });
});
