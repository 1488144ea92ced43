/** What a fault did to the calls around it, from the load's records. Pure. */
import type { CallRecord } from "./steadyLoad";
import { round } from "./stats";

export interface OutageFigures {
    readonly calls: number;
    readonly acknowledged: number;
    /** Calls that were not acknowledged (any status but 200 with the value read back), anywhere in the run. */
    readonly failedCalls: number;
    /** Of those, calls to the shard the fault hit. */
    readonly failedCallsAffectedShard: number;
    /** Failed calls by the handler's outcome and error code, e.g. `unavailable/CONNECTION_CLOSED`. */
    readonly failuresByKind: Readonly<Record<string, number>>;
    /**
     * Seconds from the fault to the first acknowledged call to the affected shard issued after it; 0 when no call to
     * that shard failed (no outage), null when none succeeded within the run. Calls to the other shards are not
     * counted: the point is when the hit shard answers again.
     */
    readonly recoveryS: number | null;
    /** Seconds from the fault to the answer of the last failed call; null when nothing failed. */
    readonly lastFailureS: number | null;
    /** The longest call, as the handler measured it inside its process (what Lambda would bill), ms. */
    readonly longestCallMs: number;
    /** The longest call as the caller saw it (issue to answer, including time queued in the process), ms. */
    readonly longestRoundTripMs: number;
}

/** `affectedShard` undefined: the fault hit every shard (all connections killed). */
export function outageFigures(
    records: readonly CallRecord[],
    faultAt: number,
    affectedShard: number | undefined,
): OutageFigures {
    const hit = (record: CallRecord): boolean => affectedShard === undefined || record.shard === affectedShard;
    const failed = records.filter((record) => !record.acknowledged);
    const failuresByKind: Record<string, number> = {};
    for (const record of failed) {
        const kind = `${record.outcome}${record.errorCode ? `/${record.errorCode}` : ""}`;
        failuresByKind[kind] = (failuresByKind[kind] ?? 0) + 1;
    }
    const firstRecovered = records
        .filter((record) => record.acknowledged && record.issuedAt >= faultAt && hit(record))
        .reduce<number | null>(
            (first, record) => (first === null || record.completedAt < first ? record.completedAt : first),
            null,
        );
    const lastFailure = failed.reduce<number | null>(
        (last, record) => (last === null || record.completedAt > last ? record.completedAt : last),
        null,
    );
    const finite = (values: number[]) => values.filter((value) => Number.isFinite(value));
    return {
        calls: records.length,
        acknowledged: records.length - failed.length,
        failedCalls: failed.length,
        failedCallsAffectedShard: failed.filter(hit).length,
        failuresByKind,
        recoveryS: !failed.some(hit) ? 0 : firstRecovered === null ? null : round((firstRecovered - faultAt) / 1000, 2),
        lastFailureS: lastFailure === null ? null : round((lastFailure - faultAt) / 1000, 2),
        longestCallMs: round(Math.max(0, ...finite(records.map((record) => record.ms))), 1),
        longestRoundTripMs: round(Math.max(0, ...records.map((record) => record.completedAt - record.issuedAt)), 1),
    };
}
