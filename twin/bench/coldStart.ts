/**
 * Cold call: a fresh bare Node process loads the code and answers its first request, as a new Lambda container does
 * (minus the runtime's own start-up, the same for every variant). Variants take turns in a rotating order so a drift
 * in the machine's speed falls on all alike.
 */
import { performance } from "perf_hooks";
import { getEvent } from "../functionUrl/events";
import { FunctionCode, startFunction } from "./localTarget";
import { median, rotation, round } from "./stats";

/** One fresh process, from fork to the first answer. */
export interface ColdSample {
    /** Fork to the first answer received, ms: what the ratio is computed on. */
    readonly totalMs: number;
    /** Inside the child: `require` of the entry file (module load + client creation), ms. */
    readonly loadMs: number;
    /** Inside the child: the first invocation (waits for the cluster connection), ms. */
    readonly firstCallMs: number;
}

export interface ColdVariantResult {
    readonly label: string;
    readonly runs: number;
    readonly medianTotalMs: number;
    readonly medianLoadMs: number;
    readonly medianFirstCallMs: number;
    readonly samples: readonly ColdSample[];
}

async function coldOnce(code: FunctionCode, env: Readonly<Record<string, string>>, run: number): Promise<ColdSample> {
    const started = performance.now();
    const fn = await startFunction(code, env);
    try {
        const call = await fn.invoke(getEvent(`bench:cold:${run}`, `value-${run}`));
        const totalMs = performance.now() - started;
        if (call.result.statusCode !== 200) {
            throw new Error(`${code.label}: first call answered ${call.result.statusCode} ${call.result.body}`);
        }
        return { totalMs: round(totalMs), loadMs: round(fn.loadMs), firstCallMs: round(call.ms) };
    } finally {
        await fn.stop();
    }
}

/**
 * `runs` cold starts of each variant, after one discarded start each (the first reads every file from disk, later
 * ones from the page cache, as a warm Lambda host does).
 */
export async function measureCold(
    variants: readonly FunctionCode[],
    env: Readonly<Record<string, string>>,
    runs: number,
    say: (message: string) => void,
): Promise<ColdVariantResult[]> {
    for (const code of variants) await coldOnce(code, env, -1);
    const samples = variants.map(() => [] as ColdSample[]);
    for (let run = 0; run < runs; run++) {
        for (const index of rotation(variants.length, run))
            samples[index].push(await coldOnce(variants[index], env, run));
        if ((run + 1) % 5 === 0 || run + 1 === runs) say(`cold: ${run + 1}/${runs} rounds`);
    }
    return variants.map((code, index) => ({
        label: code.label,
        runs: runs,
        medianTotalMs: round(median(samples[index].map((sample) => sample.totalMs))),
        medianLoadMs: round(median(samples[index].map((sample) => sample.loadMs))),
        medianFirstCallMs: round(median(samples[index].map((sample) => sample.firstCallMs))),
        samples: samples[index],
    }));
}
