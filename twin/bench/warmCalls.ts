/**
 * Warm call: SET+GET through an already-initialised process, the handler and the baselines side by side, one call
 * each per iteration in a rotating order, so every variant sees the same keys and the same moment of the machine.
 * The duration is the one measured inside the child around the handler call (no IPC).
 */
import { ArchiveProcess } from "../archive/archiveProcess";
import { getEvent } from "../functionUrl/events";
import { LatencySummary, rotation, summarize } from "./stats";

export interface WarmVariant {
    readonly label: string;
    readonly process: ArchiveProcess;
}

export interface WarmResult {
    readonly iterations: number;
    readonly warmupIterations: number;
    /** Distinct keys cycled through (spread over every shard). */
    readonly keys: number;
    readonly variants: readonly (LatencySummary & { readonly label: string })[];
}

/** Keys cycle through a fixed set so every variant writes exactly the same ones. */
const KEY_COUNT = 256;
const VALUE = "v".repeat(32);

export async function measureWarm(
    variants: readonly WarmVariant[],
    iterations: number,
    warmupIterations: number,
    say: (message: string) => void,
): Promise<WarmResult> {
    const samples = variants.map(() => [] as number[]);
    const total = warmupIterations + iterations;
    for (let i = 0; i < total; i++) {
        const event = getEvent(`bench:warm:${i % KEY_COUNT}`, VALUE);
        for (const index of rotation(variants.length, i)) {
            const call = await variants[index].process.invoke(event);
            if (call.result.statusCode !== 200) {
                throw new Error(
                    `${variants[index].label}: call ${i} answered ${call.result.statusCode} ${call.result.body}`,
                );
            }
            if (i >= warmupIterations) samples[index].push(call.ms);
        }
        if (i >= warmupIterations && (i - warmupIterations + 1) % 500 === 0)
            say(`warm: ${i - warmupIterations + 1}/${iterations}`);
    }
    return {
        iterations,
        warmupIterations,
        keys: Math.min(KEY_COUNT, total),
        variants: variants.map((variant, index) => ({ label: variant.label, ...summarize(samples[index]) })),
    };
}
