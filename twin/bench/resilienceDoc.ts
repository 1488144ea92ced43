/** docs/resilience.md, written from the figures of a run: the table, what it means for a caller, the limits. Pure. */
import { REDIS_TIMEOUTS } from "../../functions/redisClusterOptions";
import type { ResilienceResults } from "./resilienceRun";
import type { ScenarioResult } from "./resilienceScenarios";

function seconds(value: number | null | undefined): string {
    return value === null || value === undefined ? "not within the run" : `${value.toFixed(1)} s`;
}

function of(part: number, whole: number): string {
    return `${part} of ${whole}`;
}

function row(scenario: ScenarioResult): string {
    const cells = [
        scenario.title,
        String(scenario.calls),
        scenario.affectedShard === null
            ? `${scenario.failedCalls} (all shards hit)`
            : `${scenario.failedCalls} (${scenario.failedCallsAffectedShard} on the hit shard)`,
        scenario.recoveryS === 0 ? "no outage" : seconds(scenario.recoveryS),
        `${Math.round(scenario.longestCallMs)} ms`,
        of(scenario.lostAcked, scenario.ackedChecked),
        of(scenario.failedButStored, scenario.failedChecked),
    ];
    return `| ${cells.join(" | ")} |`;
}

function kinds(scenario: ScenarioResult): string {
    const entries = Object.entries(scenario.failuresByKind).sort((a, b) => b[1] - a[1]);
    return entries.length === 0 ? "none" : entries.map(([kind, count]) => `${count} × \`${kind}\``).join(", ");
}

function sharedSummary(scenarios: readonly ScenarioResult[]): string {
    const shared = scenarios.reduce((sum, scenario) => sum + scenario.containers.sharedCalls, 0);
    const calls = scenarios.reduce((sum, scenario) => sum + scenario.calls, 0);
    return `${of(shared, calls)} calls in this run`;
}

function elsewhere(scenario: ScenarioResult): number {
    return scenario.failedCalls - scenario.failedCallsAffectedShard;
}

function killText(kill: ScenarioResult): string {
    return [
        `**A primary killed** (\`${kill.fault}\`). Calls whose key lives on that shard fail until Redis Cluster has noticed`,
        "(cluster-node-timeout, 2 s here) and promoted the replica, and the handler has found the new primary on its own: the",
        `hit shard answered again after ${seconds(kill.recoveryS)} (the harness, polling, saw the promotion after ${seconds(kill.failoverObservedS)}), with no`,
        `restart or redeploy. ${of(kill.failedCalls, kill.calls)} calls failed, ${elsewhere(kill)} of them on the other shards. Each failure`,
        `was a 503, the slowest after ${Math.round(kill.longestCallMs)} ms (the handler gives Redis ${REDIS_TIMEOUTS.requestBudgetMs / 1000} s, then up to ${REDIS_TIMEOUTS.slackMs} ms to answer).`,
        `Failures by kind (outcome/cause): ${kinds(kill)}.`,
    ].join(" ");
}

function hangText(hang: ScenarioResult): string {
    return [
        `**A primary hung** (\`${hang.fault}\`, resumed with SIGCONT once its replica had taken over, ${seconds(hang.resumedS)} after).`,
        "Worse than a crash for a client: the",
        `connections stay open and nothing answers. The handler's socket timeout (${REDIS_TIMEOUTS.socketMs / 1000} s) turns the silence into an error, it`,
        `refreshes its slot map and retries inside the call's budget; the longest call took ${Math.round(hang.longestCallMs)} ms and the hit`,
        `shard answered again after ${seconds(hang.recoveryS)}. ${of(hang.failedCalls, hang.calls)} calls failed (${kinds(hang)}).`,
        `When the old primary resumed it rejoined as a replica (the cluster was healthy again ${seconds(hang.healthyAgainS)} after the`,
        `hang began); ${of(hang.lostAcked, hang.ackedChecked)} acknowledged writes were lost.`,
    ].join(" ");
}

function connKillText(connKill: ScenarioResult): string {
    const closed = connKill.connectionsClosed ?? [];
    return [
        `**Every client connection killed** server-side (\`CLIENT KILL TYPE normal\` on every node, ${closed.length}×, closing`,
        `${closed.join(", ")} connections), as a network blip or maintenance would. ${of(connKill.failedCalls, connKill.calls)} calls failed`,
        `(${kinds(connKill)}): the client reconnects by itself and a call that meets a closed connection is retried.`,
    ].join(" ");
}

function waitText(wait: ScenarioResult, kill: ScenarioResult | undefined): string {
    const unreplicated = wait.failuresByKind["unreplicated/NOREPLICA"] ?? 0;
    return [
        `**The same kill with durable writes** (\`REDIS_DURABLE_WRITES=true\`): ${of(wait.lostAcked, wait.ackedChecked)} acknowledged`,
        `writes lost${kill ? ` (default mode: ${of(kill.lostAcked, kill.ackedChecked)})` : ""}. The price shows in availability:`,
        `after the failover the hit shard's new primary has no replica left to confirm a write, so its calls answered 503`,
        `"no replica acknowledged the write" (${unreplicated} calls) ${wait.recoveryS === null ? "for the rest of the run: the hit shard never answered 200 again within it" : `until ${seconds(wait.recoveryS)} after the kill`}.`,
        `${of(wait.failedCalls, wait.calls)} calls failed in all (${kinds(wait)}).`,
    ].join(" ");
}

export function renderResilienceDoc(results: ResilienceResults, jsonPath: string): string {
    const { raw, settings, machine, loadAverage } = results;
    const scenarios = Object.values(raw).filter((scenario): scenario is ScenarioResult => scenario !== undefined);
    const stored = scenarios.reduce((sum, scenario) => sum + scenario.failedButStored, 0);
    const failed = scenarios.reduce((sum, scenario) => sum + scenario.failedChecked, 0);
    const otherShards = [raw.kill, raw.hang, raw.killWait].filter(
        (scenario): scenario is ScenarioResult => scenario !== undefined && elsewhere(scenario) > 0,
    );
    const otherShardFailures = otherShards
        .map((scenario) => `${elsewhere(scenario)} in "${scenario.title}"`)
        .join(", ");
    const lines = [
        "# Resilience: what a caller sees when a node fails",
        "",
        `Measured by \`npm run resilience\` (\`scripts/resilience.ts\`) on ${results.at.slice(0, 10)}${results.quick ? " — a **quick** run, not worth keeping" : ""}.`,
        `Figures, per call: [${jsonPath}](${jsonPath}). To measure again: \`npm run resilience\` (two to three minutes; no cloud).`,
        "",
        "Each fault hits a fresh local Redis Cluster shaped like the default stack — 3 shards × 1 replica, TLS + AUTH,",
        "`cluster-node-timeout` 2000 ms — while the handler archive the program builds serves a steady",
        `${settings.ratePerSecond} calls/s, each writing a key of its own (SET, then GET) and recording whether the caller was told`,
        `"done" (200 with the value). The handler runs as on Lambda, in separate bare Node processes (${settings.containers.containers}, warm before`,
        "the load), a call going to an idle one; a 2-core machine cannot start more as Lambda would, so when all are busy a",
        `call shares the least busy one (${sharedSummary(scenarios)}). Every acknowledged write is read back at the end.`,
        `Machine: ${machine.cores} cores, Node ${machine.node}; load average ${loadAverage.start.join(" ")} at the start, ${loadAverage.end.join(" ")} at the end.`,
        "",
        "## Results",
        "",
        "| fault | calls | failed | hit shard serves again after | longest call | acknowledged writes lost | failed calls whose write was stored |",
        "|---|---|---|---|---|---|---|",
        ...scenarios.map(row),
        "",
        "## What it means for a caller",
        "",
    ];
    if (raw.kill) lines.push(`- ${killText(raw.kill)}`);
    if (raw.hang) lines.push(`- ${hangText(raw.hang)}`);
    if (raw.connKill) lines.push(`- ${connKillText(raw.connKill)}`);
    if (raw.killWait) lines.push(`- ${waitText(raw.killWait, raw.kill)}`);
    lines.push(
        `- **A 503 does not mean "not written".** ${of(stored, failed)} failed calls in this run had their write stored all the`,
        "  same: the SET reached a primary but the answer did not come back in time, or (durable writes) no replica confirmed",
        "  it. Retrying with the same key and value is safe: SET is idempotent.",
        otherShards.length > 0
            ? `- **Other shards can fail too, briefly** (${otherShardFailures}). Between the moment a primary is marked failed\n` +
                  "  and its replica's promotion, the local nodes refuse queries on every shard (`CLUSTERDOWN`): they run with Redis's\n" +
                  "  default `cluster-require-full-coverage yes`. Check that setting in your ElastiCache parameter group."
            : "- **The other shards kept answering** through every fault in this run.",
        "",
        "## What each mode guarantees",
        "",
        "**Default (`REDIS_DURABLE_WRITES` unset or `false`).** A 200 means the key's primary applied the SET and the GET read",
        "it back. Replication to the replica is asynchronous: the primary answers before the replica has the write. If the",
        "primary dies in that gap, the replica promoted in its place never had it, and the write is gone although the caller",
        `was told 200. In this run ${raw.kill ? of(raw.kill.lostAcked, raw.kill.ackedChecked) : "—"} acknowledged writes were lost to the kill: on loopback the gap is`,
        "a fraction of a millisecond. Across Availability Zones, under load, or with a lagging replica it is wider. Zero here",
        "is what this run saw, not a promise.",
        "",
        `**Durable (\`REDIS_DURABLE_WRITES=true\`).** Each SET is followed by \`WAIT 1 ${REDIS_TIMEOUTS.replicaWaitMs}\` on the same connection: a 200 means at`,
        "least one replica had the write in memory before the answer. It narrows the window; it does not close it:",
        "",
        "- The write is in memory, not on disk: losing the primary and the confirming replica together loses it.",
        "- With two or more replicas per shard (the prod stack), `WAIT 1` confirms one of them. Redis Cluster lets the replica",
        "  with the most replicated data stand for election first, so the confirmed one usually wins — usually, not always.",
        "  Redis's own documentation says it plainly: `WAIT` does not make Redis a strongly consistent store.",
        "- A shard whose primary has no live replica refuses durable writes (503) until a replica exists again. With one",
        "  replica per shard (the dev stack) that is the whole time after a failover until ElastiCache has replaced the failed",
        "  node; with two (prod), losing one still leaves one to confirm.",
        '- A 503 for "no replica acknowledged the write" comes after the primary applied the SET: the write may well survive.',
        "",
        "Choose durable writes when a lost acknowledged write costs more than a refused one; the handler answers honestly",
        "either way.",
        "",
        "## Limits of this measurement",
        "",
        "- Local processes on loopback, not AWS. ElastiCache detects failures and replaces nodes on its own schedule; these",
        "  figures show how fast the handler follows a failover once Redis has done it, and what callers see meanwhile.",
        "- The killed or hung node is never the one the handler was seeded with: here the configuration endpoint is one fixed",
        "  address, whereas ElastiCache's is a DNS name that stops returning a failed node.",
        "- The killed node is not replaced, so the durable-writes run cannot show writes resuming on the hit shard.",
        "- One run per fault, on a 2-core machine shared with other work: run it again to see the spread.",
        "",
    );
    return lines.join("\n");
}
