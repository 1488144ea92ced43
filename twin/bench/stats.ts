/** Order statistics for latency samples. Pure. */

/** The `q`-quantile (0 ≤ q ≤ 1) by the nearest-rank method: always one of the samples, never an interpolation. */
export function quantile(samples: readonly number[], q: number): number {
    if (samples.length === 0) return NaN;
    if (!(q >= 0 && q <= 1)) throw new Error(`quantile must be between 0 and 1, got ${q}`);
    const sorted = [...samples].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil(q * sorted.length));
    return sorted[rank - 1];
}

export function median(samples: readonly number[]): number {
    return quantile(samples, 0.5);
}

export function mean(samples: readonly number[]): number {
    return samples.length === 0 ? NaN : samples.reduce((sum, value) => sum + value, 0) / samples.length;
}

/** What a latency distribution is reported as, in ms. */
export interface LatencySummary {
    readonly count: number;
    readonly p50Ms: number;
    readonly p90Ms: number;
    readonly p99Ms: number;
    readonly minMs: number;
    readonly maxMs: number;
    readonly meanMs: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
    return {
        count: samples.length,
        p50Ms: round(quantile(samples, 0.5)),
        p90Ms: round(quantile(samples, 0.9)),
        p99Ms: round(quantile(samples, 0.99)),
        minMs: round(quantile(samples, 0)),
        maxMs: round(quantile(samples, 1)),
        meanMs: round(mean(samples)),
    };
}

/** `value` with `digits` decimals: the JSON keeps what the measurement can resolve, not float noise. */
export function round(value: number, digits = 3): number {
    if (!Number.isFinite(value)) return value;
    const factor = 10 ** digits;
    return Math.round(value * factor) / factor;
}

/** `a / b`, rounded; NaN when either side is missing or `b` is 0. */
export function ratio(a: number, b: number): number {
    return Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? round(a / b) : NaN;
}

/**
 * The order in which `count` variants run in round `round`: rotated by one each round, so over `count` rounds each
 * variant takes each position once and a drift in the machine's speed (or a cache warmed by the one before) falls
 * on all alike.
 */
export function rotation(count: number, round: number): number[] {
    return Array.from({ length: count }, (_, turn) => (round + turn) % count);
}
