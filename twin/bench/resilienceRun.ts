/**
 * `npm run resilience`, as a function: builds the handler archive once, runs each fault scenario on its own fresh
 * cluster, and returns each scenario's figures (calls failed, time to recover, writes lost) plus everything they were
 * computed from.
 */
import * as path from "path";
import type { LambdaArchive } from "../archive/lambdaArchive";
import { BENCH_SHAPE, buildArchive } from "./localTarget";
import { codeVersion, loadAverage, machineInfo, RunHeader } from "./machine";
import { ResilienceSettings, runScenario, ScenarioName, ScenarioResult, SCENARIOS } from "./resilienceScenarios";

export const FULL_RESILIENCE: ResilienceSettings = {
    ratePerSecond: 50,
    preFaultMs: 3000,
    observeMs: 20_000,
    connectionKills: 3,
    connectionKillGapMs: 4000,
    // Enough that durable writes to a shard without a replica (each call blocking 500 ms in WAIT) rarely share one.
    containers: { containers: 24 },
};

/** Every code path in the least time a failover allows; the figures are not worth keeping. */
// A lighter load on fewer containers: the calls only have to exercise the paths (failures, shared containers, read-back).
export const QUICK_RESILIENCE: ResilienceSettings = {
    ratePerSecond: 20,
    preFaultMs: 1000,
    observeMs: 6000,
    connectionKills: 1,
    connectionKillGapMs: 1000,
    containers: { containers: 2 },
};

export interface ResilienceResults extends RunHeader {
    readonly settings: ResilienceSettings;
    /** Seconds from `kill -9` of a primary until calls to its shard succeed again. */
    readonly killRecoveryS: number | null;
    readonly killFailedCalls: number | null;
    /** Acknowledged writes missing after the kill, default (asynchronous) writes. */
    readonly killLostAcked: number | null;
    /** The same with durable writes (`WAIT 1`). */
    readonly killLostAckedWait: number | null;
    readonly hangRecoveryS: number | null;
    readonly hangLongestCallMs: number | null;
    readonly connKillFailedCalls: number | null;
    readonly raw: Partial<Record<ScenarioName, ScenarioResult>>;
}

export async function runResilience(
    settings: ResilienceSettings,
    say: (message: string) => void,
    options: { readonly quick?: boolean; readonly scenarios?: readonly ScenarioName[] } = {},
): Promise<ResilienceResults> {
    const startLoad = loadAverage();
    const at = new Date().toISOString();
    say(`load average at start: ${startLoad.join(" ")}; building the handler archive`);
    const archive: LambdaArchive = await buildArchive();
    const raw: Partial<Record<ScenarioName, ScenarioResult>> = {};
    try {
        say(
            `handler archive: ${archive.files.length} files; ${settings.ratePerSecond} calls/s, each writing its own key`,
        );
        for (const name of options.scenarios ?? SCENARIOS) raw[name] = await runScenario(name, archive, settings, say);
    } finally {
        archive.remove();
    }
    return {
        at,
        quick: options.quick ?? false,
        machine: machineInfo(),
        loadAverage: { start: startLoad, end: loadAverage() },
        code: codeVersion(path.resolve(__dirname, "..", "..")),
        cluster: `${BENCH_SHAPE.shards}×${BENCH_SHAPE.replicasPerShard}, TLS + AUTH, cluster-node-timeout 2000 ms, fresh for each scenario`,
        settings,
        killRecoveryS: raw.kill?.recoveryS ?? null,
        killFailedCalls: raw.kill?.failedCalls ?? null,
        killLostAcked: raw.kill?.lostAcked ?? null,
        killLostAckedWait: raw.killWait?.lostAcked ?? null,
        hangRecoveryS: raw.hang?.recoveryS ?? null,
        hangLongestCallMs: raw.hang?.longestCallMs ?? null,
        connKillFailedCalls: raw.connKill?.failedCalls ?? null,
        raw,
    };
}
