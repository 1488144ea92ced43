/** What a rehearsal measured, from the load's call records and the change's time marks. Pure. */
import type { CallRecord } from "../bench/steadyLoad";
import { quantile, round } from "../bench/stats";

export type Phase = "before" | "during" | "after";

export interface PhaseFigures {
    readonly calls: number;
    readonly failed: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
}

export interface FailureClass {
    /** HTTP status the function answered; -1 for no answer at all. */
    readonly status: number;
    /** The handler's error code (CONNECTION_CLOSED, NOAUTH…), else its outcome. */
    readonly errorClass: string;
    readonly count: number;
}

export interface CallFigures {
    readonly calls: number;
    readonly failed: number;
    readonly failures: readonly FailureClass[];
    readonly before: PhaseFigures;
    readonly during: PhaseFigures;
    readonly after: PhaseFigures;
    /** The slowest call as its caller saw it (issue to answer), and when. */
    readonly longestCall: { readonly ms: number; readonly phase: Phase; readonly status: number };
    /** Calls the function acknowledged (200 with the value read back), and how many of those were not found after. */
    readonly acknowledgedWrites: number;
    readonly lostAcknowledgedWrites: number;
}

/** Ms since the load started when the change began and ended (the load's clock). */
export interface ChangeMarks {
    readonly startedAt: number;
    readonly endedAt: number;
}

export function phaseOf(record: Pick<CallRecord, "issuedAt">, marks: ChangeMarks): Phase {
    return record.issuedAt < marks.startedAt ? "before" : record.issuedAt < marks.endedAt ? "during" : "after";
}

const latency = (record: CallRecord): number => record.completedAt - record.issuedAt;

function phaseFigures(records: readonly CallRecord[]): PhaseFigures {
    const samples = records.map(latency);
    return {
        calls: records.length,
        failed: records.filter((record) => record.status !== 200).length,
        p50Ms: round(quantile(samples, 0.5), 1),
        p99Ms: round(quantile(samples, 0.99), 1),
    };
}

export function callFigures(records: readonly CallRecord[], marks: ChangeMarks, lostAcknowledged: number): CallFigures {
    const failedRecords = records.filter((record) => record.status !== 200);
    const classes = new Map<string, FailureClass>();
    for (const record of failedRecords) {
        const errorClass = record.errorCode ?? record.outcome;
        const id = `${record.status} ${errorClass}`;
        const known = classes.get(id);
        classes.set(id, { status: record.status, errorClass, count: (known?.count ?? 0) + 1 });
    }
    const longest = records.reduce<CallRecord | undefined>(
        (slowest, record) => (slowest === undefined || latency(record) > latency(slowest) ? record : slowest),
        undefined,
    );
    return {
        calls: records.length,
        failed: failedRecords.length,
        failures: [...classes.values()].sort((a, b) => b.count - a.count || a.errorClass.localeCompare(b.errorClass)),
        before: phaseFigures(records.filter((record) => phaseOf(record, marks) === "before")),
        during: phaseFigures(records.filter((record) => phaseOf(record, marks) === "during")),
        after: phaseFigures(records.filter((record) => phaseOf(record, marks) === "after")),
        longestCall: longest
            ? { ms: round(latency(longest), 1), phase: phaseOf(longest, marks), status: longest.status }
            : { ms: NaN, phase: "before", status: 0 },
        acknowledgedWrites: records.filter((record) => record.acknowledged).length,
        lostAcknowledgedWrites: lostAcknowledged,
    };
}
