/** The rehearsal's report as text: the plan's verdicts, the steps, and the figures as a table. Pure. */
import type { ChangeAssessment } from "../plan/replicationGroupChanges";
import type { RehearsalEntry } from "./rehearsalRecord";

/**
 * The model's verdict per changed resource, one line each; resources of one type changed the same way (the alarms of
 * a new shard's nodes) share a line that names them.
 */
export function renderVerdicts(assessment: ChangeAssessment): string[] {
    const groups = new Map<string, { verdict: string; type: string; reason: string; names: string[] }>();
    for (const change of assessment.changes) {
        const type = change.type.split(":").pop() ?? change.type;
        const reason = change.reasons.length > 0 ? shorten(change.reasons[0]) : "";
        const id = `${change.verdict} ${type} ${reason}`;
        const group = groups.get(id) ?? { verdict: change.verdict, type, reason, names: [] };
        group.names.push(change.name);
        groups.set(id, group);
    }
    return [
        `Verdict: ${assessment.verdict} (the cluster: ${assessment.cluster})`,
        ...[...groups.values()].map((group) => {
            const names =
                group.names.length <= 2 ? group.names.join(", ") : `× ${group.names.length} (${group.names[0]} …)`;
            return `  ${group.verdict.padEnd(18)} ${group.type} ${names}${group.reason ? ` — ${group.reason}` : ""}`;
        }),
    ];
}

export function renderReport(entry: RehearsalEntry): string[] {
    const { calls } = entry;
    const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : "—");
    const row = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
    const failures =
        calls.failures.length === 0
            ? "none"
            : calls.failures.map((failure) => `${failure.count} × ${failure.status} ${failure.errorClass}`).join(", ");
    const shape = entry.shape;
    return [
        `Rehearsal ${entry.id}: ${entry.verdict} (the cluster: ${entry.clusterVerdict})`,
        "",
        row(["step", "seconds"]),
        row(["---", "---:"]),
        ...entry.steps.map((step) => row([step.step, step.seconds.toFixed(1)])),
        "",
        row(["calls", "before", "during", "after", "all"]),
        row(["---", "---:", "---:", "---:", "---:"]),
        row([
            "made",
            String(calls.before.calls),
            String(calls.during.calls),
            String(calls.after.calls),
            String(calls.calls),
        ]),
        row([
            "failed",
            String(calls.before.failed),
            String(calls.during.failed),
            String(calls.after.failed),
            String(calls.failed),
        ]),
        row(["p50 ms", ms(calls.before.p50Ms), ms(calls.during.p50Ms), ms(calls.after.p50Ms), ""]),
        row(["p99 ms", ms(calls.before.p99Ms), ms(calls.during.p99Ms), ms(calls.after.p99Ms), ""]),
        "",
        row(["figure", "value"]),
        row(["---", "---"]),
        row(["failed calls by status and error class", failures]),
        row([
            "longest call",
            `${ms(calls.longestCall.ms)} ms (${calls.longestCall.phase}, status ${calls.longestCall.status})`,
        ]),
        row([
            "known keys written before / read back after / lost",
            `${entry.knownKeys.written} / ${entry.knownKeys.readBack} / ${entry.knownKeys.lost}`,
        ]),
        row(["acknowledged writes / lost", `${calls.acknowledgedWrites} / ${calls.lostAcknowledgedWrites}`]),
        row(["change took", `${entry.changeSeconds.toFixed(1)} s`]),
        row(["whole rehearsal (wall)", `${entry.wallSeconds.toFixed(1)} s`]),
        row([
            "shape after",
            `${shape.shards} shards × ${shape.replicasPerShard.join("/")} replicas, ${shape.slotsCovered}/16384 slots, ` +
                `${shape.keysOnTheirShard} known keys on the shard the server names — ` +
                (shape.matches
                    ? `matches the after evaluation (${shape.expected.shards} × ${shape.expected.replicasPerShard})`
                    : `DIFFERS from the after evaluation (${shape.expected.shards} × ${shape.expected.replicasPerShard})`),
        ]),
        row([
            "machine",
            `${entry.machine.cores} cores, load ${entry.machine.loadAverage.join(" ")}, redis-server ${entry.redisServer}; ` +
                `${entry.load.ratePerSecond} calls/s on ${entry.load.containers} containers`,
        ]),
    ];
}

function shorten(reason: string): string {
    return reason.length > 140 ? `${reason.slice(0, 137)}…` : reason;
}
