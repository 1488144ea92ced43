/**
 * `npm run bench`, as a function: starts a local 3×1 TLS + AUTH cluster and the program's handler archive, measures
 * the archive's size, the cold start, the warm call and calls under concurrency side by side with a bare-ioredis
 * baseline, stops everything it started (also on failure), and returns the results. Timings are reported as ratios:
 * this machine's absolute speed means little.
 */
import * as path from "path";
import type { ArchiveProcess } from "../archive/archiveProcess";
import type { LambdaArchive } from "../archive/lambdaArchive";
import type { LocalRedisCluster } from "../cluster/redisCluster";
import { archiveFigures, ArchiveFigures } from "./archiveFigures";
import { BaselineDir, writeBaseline } from "./baselineCode";
import { ColdVariantResult, measureCold } from "./coldStart";
import { ConcurrencyResult, measureConcurrency } from "./concurrency";
import {
    applyArchiveUsers,
    archiveCode,
    BENCH_SHAPE,
    buildArchive,
    FunctionCode,
    startBenchCluster,
    startFunction,
} from "./localTarget";
import { localHandlerEnvironment } from "../archive/localHandlerEnvironment";
import { codeVersion, loadAverage, machineInfo, RunHeader } from "./machine";
import { ratio } from "./stats";
import { measureWarm, WarmResult } from "./warmCalls";

export interface BenchSettings {
    /** Cold starts of each variant (after one discarded start each). */
    readonly coldRuns: number;
    /** Measured warm calls per variant, after `warmupIterations`. */
    readonly warmIterations: number;
    readonly warmupIterations: number;
    /** Calls in flight at once. */
    readonly concurrency: number;
    readonly concurrencyCallsPerRound: number;
    /** Measured rounds per variant (plus one discarded warm-up round each). */
    readonly concurrencyRounds: number;
}

export const FULL_SETTINGS: BenchSettings = {
    coldRuns: 12,
    warmIterations: 2000,
    warmupIterations: 300,
    concurrency: 200,
    concurrencyCallsPerRound: 2000,
    concurrencyRounds: 8,
};

/** Every code path, a few seconds of measuring: for the harness test and for trying changes. Figures mean nothing. */
// One sample of each kind is enough for that, and every process or round fewer is CPU the test suite does not spend.
export const QUICK_SETTINGS: BenchSettings = {
    coldRuns: 1,
    warmIterations: 5,
    warmupIterations: 2,
    concurrency: 10,
    concurrencyCallsPerRound: 20,
    concurrencyRounds: 1,
};

/** The goals the handler is held to: archive size, and each timing as a ratio to the bare-ioredis baseline. */
export const GOALS = {
    archiveZippedBytes: 300_000,
    coldRatio: 1.25,
    warmRatio: 1.1,
    concurrencyRatio: 0.9,
} as const;

/** The variants measured side by side. */
export const LABELS = {
    /** The archive the program builds (Pulumi-serialized closure + node_modules): what is deployed. */
    handler: "handler (deployed archive)",
    /** Bare ioredis, the same two commands in one pipeline: the baseline of every ratio. */
    pipelined: "bare ioredis (pipelined)",
    /** Bare ioredis, SET, await, GET: how most code is written. */
    sequential: "bare ioredis (SET, await, GET)",
} as const;

export interface BenchResults extends RunHeader {
    readonly settings: BenchSettings;
    readonly archiveZippedBytes: number;
    readonly archiveUnzippedBytes: number;
    readonly archiveFiles: number;
    /** Handler median ÷ bare-ioredis median, fork to first answer. */
    readonly coldRatio: number;
    /** Handler p50 ÷ bare-ioredis p50, the same commands (one SET+GET pipeline). */
    readonly warmRatio: number;
    readonly warmP50Ms: number;
    readonly warmP99Ms: number;
    /** Handler calls/s ÷ bare-ioredis calls/s with `concurrency` calls in flight. */
    readonly concurrencyRatio: number;
    /** Handler p50 ÷ bare ioredis doing SET, await, GET (one round trip more). */
    readonly warmRatioSequential: number;
    /** Handler CPU time per call ÷ bare ioredis's, with `concurrency` calls in flight. */
    readonly cpuPerCallRatio: number;
    readonly goals: Readonly<Record<string, { readonly goal: string; readonly value: number; readonly met: boolean }>>;
    readonly raw: {
        readonly archive: ArchiveFigures;
        readonly cold: readonly ColdVariantResult[];
        readonly warm: WarmResult;
        readonly concurrency: ConcurrencyResult;
    };
}

function byLabel<T extends { readonly label: string }>(items: readonly T[], label: string): T {
    const found = items.find((item) => item.label === label);
    if (found === undefined) throw new Error(`no figures for ${label}`);
    return found;
}

export async function runBench(
    settings: BenchSettings,
    say: (message: string) => void,
    quick = false,
): Promise<BenchResults> {
    const startLoad = loadAverage();
    const at = new Date().toISOString();
    say(`load average at start: ${startLoad.join(" ")}`);
    say(
        `starting a local ${BENCH_SHAPE.shards}×${BENCH_SHAPE.replicasPerShard} TLS cluster with the program's users; building the handler archive meanwhile`,
    );

    const [clusterResult, archiveResult] = await Promise.allSettled([startBenchCluster(say), buildArchive()]);
    const cluster: LocalRedisCluster | undefined =
        clusterResult.status === "fulfilled" ? clusterResult.value : undefined;
    const archive: LambdaArchive | undefined = archiveResult.status === "fulfilled" ? archiveResult.value : undefined;
    let baseline: BaselineDir | undefined;
    const running: { stop(): Promise<void> }[] = [];
    try {
        if (clusterResult.status === "rejected") throw clusterResult.reason;
        if (archiveResult.status === "rejected") throw archiveResult.reason;
        const clusterDescription = cluster!.describe();
        say(`cluster ready: ${clusterDescription}`);
        baseline = writeBaseline(archive!, { pipelined: LABELS.pipelined, sequential: LABELS.sequential });
        await applyArchiveUsers(cluster!, archive!);
        const env = localHandlerEnvironment(archive!, cluster!);
        const codes = {
            handler: { ...archiveCode(archive!), label: LABELS.handler },
            pipelined: baseline.pipelined,
            sequential: baseline.sequential,
        };

        say(
            `1/4 archive: ${archive!.files.length} files, ${archive!.unzippedBytes} B, ${archive!.zippedBytes} B zipped`,
        );
        say(`2/4 cold call: ${settings.coldRuns} fresh processes per variant, in rotating order`);
        const cold = await measureCold([codes.handler, codes.pipelined], env, settings.coldRuns, say);
        // One more cold start, to see which of the archive's files the handler actually loads.
        const probe = await startFunction(codes.handler, env);
        const loadedFiles = probe.loadedFiles;
        await probe.stop();
        const archiveStats = archiveFigures(archive!, loadedFiles);

        const warmCodes: FunctionCode[] = [codes.handler, codes.pipelined, codes.sequential];
        say(
            `3/4 warm call: ${settings.warmIterations} calls per variant (after ${settings.warmupIterations} warm-up), in rotating order`,
        );
        const warmProcesses: ArchiveProcess[] = [];
        for (const code of warmCodes) {
            const fn = await startFunction(code, env);
            running.push(fn);
            warmProcesses.push(fn);
        }
        const warm = await measureWarm(
            warmProcesses.map((fn, index) => ({ label: warmCodes[index].label, process: fn })),
            settings.warmIterations,
            settings.warmupIterations,
            say,
        );
        await Promise.all(warmProcesses.map((fn) => fn.stop()));
        for (const fn of warmProcesses) {
            if (fn.unhandled.length > 0 || fn.stderr !== "") {
                throw new Error(`a warm process reported errors: ${JSON.stringify(fn.unhandled)} ${fn.stderr}`);
            }
        }

        say(
            `4/4 concurrency: ${settings.concurrency} in flight, ${settings.concurrencyRounds} rounds of ${settings.concurrencyCallsPerRound} calls per variant`,
        );
        const bursts: { label: string; process: ArchiveProcess }[] = [];
        for (const code of [codes.handler, codes.pipelined]) {
            const fn = await startFunction(code, env);
            running.push(fn);
            bursts.push({ label: code.label, process: fn });
        }
        const concurrency = await measureConcurrency(
            bursts,
            settings.concurrency,
            settings.concurrencyCallsPerRound,
            settings.concurrencyRounds,
            say,
        );
        await Promise.all(bursts.map((burst) => burst.process.stop()));

        const coldOf = (label: string) => byLabel(cold, label).medianTotalMs;
        const warmOf = (label: string) => byLabel(warm.variants, label).p50Ms;
        const rateOf = (label: string) => byLabel(concurrency.variants, label).callsPerSecond;
        const cpuOf = (label: string) => byLabel(concurrency.variants, label).cpuMicrosPerCall;
        const coldRatio = ratio(coldOf(LABELS.handler), coldOf(LABELS.pipelined));
        const warmRatio = ratio(warmOf(LABELS.handler), warmOf(LABELS.pipelined));
        const concurrencyRatio = ratio(rateOf(LABELS.handler), rateOf(LABELS.pipelined));
        const zipped = archive!.zippedBytes;
        return {
            at,
            quick,
            machine: machineInfo(),
            loadAverage: { start: startLoad, end: loadAverage() },
            code: codeVersion(path.resolve(__dirname, "..", "..")),
            cluster: clusterDescription.replace(/ pid \d+/g, ""),
            settings,
            archiveZippedBytes: zipped,
            archiveUnzippedBytes: archive!.unzippedBytes,
            archiveFiles: archive!.files.length,
            coldRatio,
            warmRatio,
            warmP50Ms: byLabel(warm.variants, LABELS.handler).p50Ms,
            warmP99Ms: byLabel(warm.variants, LABELS.handler).p99Ms,
            concurrencyRatio,
            warmRatioSequential: ratio(warmOf(LABELS.handler), warmOf(LABELS.sequential)),
            cpuPerCallRatio: ratio(cpuOf(LABELS.handler), cpuOf(LABELS.pipelined)),
            goals: {
                archiveZippedBytes: {
                    goal: `≤ ${GOALS.archiveZippedBytes} bytes zipped, no @pulumi`,
                    value: zipped,
                    met: zipped <= GOALS.archiveZippedBytes && archiveStats.pulumiFiles === 0,
                },
                coldRatio: { goal: `≤ ${GOALS.coldRatio}`, value: coldRatio, met: coldRatio <= GOALS.coldRatio },
                warmRatio: { goal: `≤ ${GOALS.warmRatio}`, value: warmRatio, met: warmRatio <= GOALS.warmRatio },
                concurrencyRatio: {
                    goal: `≥ ${GOALS.concurrencyRatio}`,
                    value: concurrencyRatio,
                    met: concurrencyRatio >= GOALS.concurrencyRatio,
                },
            },
            raw: { archive: archiveStats, cold, warm, concurrency },
        };
    } finally {
        const stops = await Promise.allSettled([...running.map((item) => item.stop()), cluster?.stop()]);
        baseline?.remove();
        archive?.remove();
        const failed = stops.filter((stop): stop is PromiseRejectedResult => stop.status === "rejected");
        if (failed.length > 0)
            say(`warning: stopping left something behind: ${failed.map((stop) => String(stop.reason)).join("; ")}`);
    }
}
