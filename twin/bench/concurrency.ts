/**
 * Concurrency: `concurrency` calls in flight in one warm archive process per variant, throughput side by side. Variants take
 * turns in a rotating order; each one's throughput is all its calls over all its burst time. The CPU time the
 * process spent per call is reported too: on a shared machine it moves far less than wall time, and it is what
 * bounds the throughput of a single-threaded process.
 */
import { getEvent } from "../functionUrl/events";
import type { ArchiveProcess, BurstOutcome } from "../archive/archiveProcess";
import { LatencySummary, rotation, round, summarize } from "./stats";

export interface ConcurrencyVariantResult {
    readonly label: string;
    readonly calls: number;
    readonly burstMs: number;
    readonly callsPerSecond: number;
    /** CPU time (user + system) of the variant's process per call, µs. */
    readonly cpuMicrosPerCall: number;
    /** Per-call durations inside the child while `concurrency` were in flight. */
    readonly latency: LatencySummary;
}

export interface ConcurrencyResult {
    readonly concurrency: number;
    readonly callsPerRound: number;
    readonly rounds: number;
    readonly variants: readonly ConcurrencyVariantResult[];
}

function events(round: number, count: number) {
    return Array.from({ length: count }, (_, i) => getEvent(`bench:burst:${round}:${i}`, "v".repeat(32)));
}

function checkAllOk(label: string, outcome: BurstOutcome, count: number): void {
    if ((outcome.statuses["200"] ?? 0) !== count) {
        throw new Error(`${label}: a burst of ${count} calls answered ${JSON.stringify(outcome.statuses)}`);
    }
}

function variantResult(label: string, outcomes: BurstOutcome[]): ConcurrencyVariantResult {
    const calls = outcomes.reduce((sum, outcome) => sum + outcome.latencies.length, 0);
    const burstMs = outcomes.reduce((sum, outcome) => sum + outcome.ms, 0);
    const cpuMs = outcomes.reduce((sum, outcome) => sum + outcome.cpuMs, 0);
    return {
        label,
        calls,
        burstMs: round(burstMs),
        callsPerSecond: round((calls / burstMs) * 1000, 1),
        cpuMicrosPerCall: round((cpuMs / calls) * 1000, 1),
        latency: summarize(outcomes.flatMap((outcome) => [...outcome.latencies])),
    };
}

/** One discarded warm-up burst each, then `rounds` rounds of `callsPerRound` calls per variant. */
export async function measureConcurrency(
    variants: readonly { readonly label: string; readonly process: ArchiveProcess }[],
    concurrency: number,
    callsPerRound: number,
    rounds: number,
    say: (message: string) => void,
): Promise<ConcurrencyResult> {
    const warmup = events(-1, callsPerRound);
    for (const variant of variants)
        checkAllOk(variant.label, await variant.process.burst(warmup, concurrency), callsPerRound);
    const outcomes = variants.map(() => [] as BurstOutcome[]);
    for (let round = 0; round < rounds; round++) {
        const batch = events(round, callsPerRound);
        for (const index of rotation(variants.length, round)) {
            const outcome = await variants[index].process.burst(batch, concurrency);
            checkAllOk(variants[index].label, outcome, callsPerRound);
            outcomes[index].push(outcome);
        }
        say(`concurrency: round ${round + 1}/${rounds}`);
    }
    return {
        concurrency,
        callsPerRound,
        rounds,
        variants: variants.map((variant, index) => variantResult(variant.label, outcomes[index])),
    };
}
