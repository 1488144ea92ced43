/**
 * The alarm thresholds as the monitoring component takes them: one object gathered from the `threshold` keys declared
 * in config/keys/monitoring.ts, where their defaults, limits and the reason for each default are.
 */
import { CONFIG_KEYS, DEFAULTS, KEYS } from "./keys";

/** Thresholds of the alarms on every cache node and on the function, after validation and defaults. */
export interface AlarmThresholds {
    /** `EngineCPUUtilization` (%, the Redis engine thread's share of one core), held for 5 minutes. */
    readonly engineCpuPercent: number;
    /** `DatabaseMemoryUsagePercentage` (% of `maxmemory`), held for 5 minutes. */
    readonly memoryPercent: number;
    /** `Evictions` summed over 5 minutes. */
    readonly evictions: number;
    /** `ReplicationLag` (seconds), held for 5 minutes; only replicas publish it. */
    readonly replicationLagSeconds: number;
    /** `CurrConnections` on one node, held for 5 minutes. */
    readonly connections: number;
    /** The function's `Errors` summed over 5 minutes (failed invocations: crashes and timeouts, not 503 answers). */
    readonly functionErrors: number;
    /** The function's p99 `Duration` over 5 minutes, as a percentage of its timeout. */
    readonly functionDurationPercent: number;
}

/** The threshold a configuration key sets, if it is a threshold key. */
export function thresholdOf(key: string): keyof AlarmThresholds | undefined {
    const declaration: object | undefined = (KEYS as Readonly<Record<string, object>>)[key];
    return declaration && "threshold" in declaration ? (declaration.threshold as keyof AlarmThresholds) : undefined;
}

/** The thresholds from each threshold key's value. */
export function alarmThresholdsOf(values: Readonly<Record<string, unknown>>): AlarmThresholds {
    const entries = CONFIG_KEYS.flatMap((key) => {
        const name = thresholdOf(key);
        return name ? [[name, values[key]] as const] : [];
    });
    return Object.fromEntries(entries) as unknown as AlarmThresholds;
}

/** The thresholds a stack gets by default. */
export const DEFAULT_ALARM_THRESHOLDS: AlarmThresholds = alarmThresholdsOf(DEFAULTS);
