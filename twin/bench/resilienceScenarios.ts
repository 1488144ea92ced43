/**
 * The faults `npm run resilience` puts a running handler through, each on a fresh local 3×1 TLS + AUTH cluster under a
 * steady load of calls: a primary killed (`kill -9`), a primary hung (SIGSTOP until a replica takes over, then
 * SIGCONT), every client connection killed server-side, and the kill again with durable writes (`WAIT 1`).
 *
 * The victim is never the node the handler was seeded with: here the "configuration endpoint" is one fixed address,
 * whereas ElastiCache's is a DNS name that stops returning a failed node, so killing the seed would measure this
 * harness rather than the handler.
 */
import type { LambdaArchive } from "../archive/lambdaArchive";
import { sleep } from "../process/polling";
import type { LocalRedisCluster, RedisClusterNode } from "../cluster/redisCluster";
import { HANDLER_ENVIRONMENT } from "../../functions/environment";
import { ContainerPool, PoolSettings } from "./containerPool";
import { applyArchiveUsers, archiveCode, startBenchCluster, startFunction } from "./localTarget";
import { localHandlerEnvironment } from "../archive/localHandlerEnvironment";
import { OutageFigures, outageFigures } from "./outage";
import { readBack, ReadBackFigures } from "./readBack";
import { round } from "./stats";
import { CallRecord, SteadyLoad } from "./steadyLoad";

export interface ResilienceSettings {
    /** Calls per second, each writing its own key. */
    readonly ratePerSecond: number;
    /** Load before the fault, ms. */
    readonly preFaultMs: number;
    /** Load after the (first) fault, ms: long enough for failover and a stretch of calm after it. */
    readonly observeMs: number;
    /** How many times every client connection is killed, `connectionKillGapMs` apart. */
    readonly connectionKills: number;
    readonly connectionKillGapMs: number;
    /** Handler containers (see containerPool.ts). */
    readonly containers: PoolSettings;
}

export const SCENARIOS = ["connKill", "hang", "kill", "killWait"] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioResult extends OutageFigures, ReadBackFigures {
    readonly name: ScenarioName;
    readonly title: string;
    readonly durableWrites: boolean;
    /** What was done, to which node. */
    readonly fault: string;
    /** The shard the fault hit; null when it hit all of them. */
    readonly affectedShard: number | null;
    /** Seconds from the fault until the harness saw a replica serving the shard; null when there was no failover. */
    readonly failoverObservedS: number | null;
    /** Hang only: seconds from the fault until SIGCONT, and until the cluster was healthy again with the old primary back. */
    readonly resumedS?: number;
    readonly healthyAgainS?: number;
    /** Connection kills only: connections closed by each kill. */
    readonly connectionsClosed?: readonly number[];
    readonly rateHz: number;
    /** Calls not issued because too many were outstanding (0 unless the handler stopped answering). */
    readonly shed: number;
    /** Handler containers, most calls in flight at once, and calls that found every container busy and shared one. */
    readonly containers: { readonly count: number; readonly peakCallsInFlight: number; readonly sharedCalls: number };
    /** Calls acknowledged / failed per second, by issue time, from the fault on (index 0 = the fault's second). */
    readonly timeline: readonly { readonly second: number; readonly ok: number; readonly failed: number }[];
    /** Unhandled rejections or exceptions in the handler's process, and its stderr: should be none. */
    readonly handlerProblems: readonly string[];
}

const TITLES: Record<ScenarioName, string> = {
    connKill: "all client connections killed server-side",
    hang: "primary hung (SIGSTOP until failover, then SIGCONT)",
    kill: "primary killed (kill -9)",
    killWait: "primary killed (kill -9), durable writes (WAIT 1)",
};

function timeline(records: readonly CallRecord[], faultAt: number, observeMs: number): ScenarioResult["timeline"] {
    const seconds = Math.ceil(observeMs / 1000);
    const buckets = Array.from({ length: seconds }, (_, second) => ({ second, ok: 0, failed: 0 }));
    for (const record of records) {
        const second = Math.floor((record.issuedAt - faultAt) / 1000);
        if (second < 0 || second >= seconds) continue;
        if (record.acknowledged) buckets[second].ok++;
        else buckets[second].failed++;
    }
    return buckets;
}

/** The shard's primary that is not the seed the handler was given (see the file comment). */
async function victimPrimary(cluster: LocalRedisCluster): Promise<RedisClusterNode> {
    const victim = (await cluster.primaries()).find((node) => node.host !== cluster.configurationEndpoint.host);
    if (victim === undefined) throw new Error("no primary other than the seed node");
    return victim;
}

interface Faulted {
    readonly faultAt: number;
    readonly fault: string;
    readonly affectedShard: number | null;
    readonly failoverAt: number | null;
    readonly resumedAt?: number;
    readonly healthyAt?: number;
    readonly connectionsClosed?: readonly number[];
}

/** Runs the fault while the load runs; resolves once the observation window is over. */
async function injectFault(
    name: ScenarioName,
    cluster: LocalRedisCluster,
    load: SteadyLoad,
    settings: ResilienceSettings,
    say: (message: string) => void,
): Promise<Faulted> {
    if (name === "connKill") {
        const closed: number[] = [];
        let faultAt = NaN;
        for (let kill = 0; kill < settings.connectionKills; kill++) {
            if (kill > 0) await sleep(settings.connectionKillGapMs);
            if (kill === 0) faultAt = load.now();
            closed.push(await cluster.killClientConnections());
            say(`CLIENT KILL TYPE normal on every node: ${closed[kill]} connections closed`);
        }
        await sleep(Math.max(0, faultAt + settings.observeMs - load.now()));
        return {
            faultAt,
            fault: `CLIENT KILL TYPE normal on every node, ${settings.connectionKills}× ${settings.connectionKillGapMs} ms apart`,
            affectedShard: null,
            failoverAt: null,
            connectionsClosed: closed,
        };
    }
    const victim = await victimPrimary(cluster);
    const signal = name === "hang" ? "SIGSTOP" : "SIGKILL";
    const faultAt = load.now();
    cluster.kill(victim, signal);
    say(`${signal} to ${victim.host}, primary of shard ${victim.shard}`);
    const newPrimary = await cluster.waitForFailover(victim, { timeoutMs: 60_000 });
    const failoverAt = load.now();
    say(
        `${newPrimary.host} serves shard ${victim.shard} ${((failoverAt - faultAt) / 1000).toFixed(1)} s after the fault`,
    );
    let resumedAt: number | undefined;
    let healthyAt: number | undefined;
    if (name === "hang") {
        cluster.kill(victim, "SIGCONT");
        resumedAt = load.now();
        await cluster.waitUntilHealthy({ timeoutMs: 60_000 });
        healthyAt = load.now();
        say(
            `SIGCONT to ${victim.host}; the cluster is healthy again (${victim.host} now a replica) ${((healthyAt - faultAt) / 1000).toFixed(1)} s after the fault`,
        );
    }
    await sleep(Math.max(0, faultAt + settings.observeMs - load.now()));
    return {
        faultAt,
        fault: `${name === "hang" ? "SIGSTOP" : "kill -9"} ${victim.host}, primary of shard ${victim.shard}`,
        affectedShard: victim.shard,
        failoverAt,
        resumedAt,
        healthyAt,
    };
}

/** One scenario on a fresh cluster and a fresh handler process; both are stopped whatever happens. */
export async function runScenario(
    name: ScenarioName,
    archive: LambdaArchive,
    settings: ResilienceSettings,
    say: (message: string) => void,
): Promise<ScenarioResult> {
    const durableWrites = name === "killWait";
    say(`${name}: ${TITLES[name]} — starting a fresh cluster`);
    const cluster = await startBenchCluster(() => undefined);
    say(`cluster ready: ${cluster.describe()}`);
    let pool: ContainerPool | undefined;
    let load: SteadyLoad | undefined;
    try {
        await applyArchiveUsers(cluster, archive, durableWrites);
        const env = localHandlerEnvironment(archive, cluster, {
            [HANDLER_ENVIRONMENT.durableWrites]: String(durableWrites),
        });
        pool = await ContainerPool.create(() => startFunction(archiveCode(archive), env), settings.containers);
        say(`${pool.size} handler containers started and warm`);
        const clusterOf = cluster;
        load = new SteadyLoad(pool, {
            ratePerSecond: settings.ratePerSecond,
            keyPrefix: `resilience:${name}:${Date.now().toString(36)}`,
            shardOfSlot: (slot) => clusterOf.shardOfSlot(slot),
        });
        load.start();
        await sleep(settings.preFaultMs);
        const faulted = await injectFault(name, cluster, load, settings, say);
        const records = await load.stop();
        const outage = outageFigures(records, faulted.faultAt, faulted.affectedShard ?? undefined);
        const stored = await readBack(cluster, records);
        const since = (at: number | undefined | null) =>
            at === undefined || at === null ? undefined : round((at - faulted.faultAt) / 1000, 2);
        const result: ScenarioResult = {
            name,
            title: TITLES[name],
            durableWrites,
            fault: faulted.fault,
            affectedShard: faulted.affectedShard,
            failoverObservedS: since(faulted.failoverAt) ?? null,
            ...(faulted.resumedAt !== undefined
                ? { resumedS: since(faulted.resumedAt), healthyAgainS: since(faulted.healthyAt) }
                : {}),
            ...(faulted.connectionsClosed ? { connectionsClosed: faulted.connectionsClosed } : {}),
            rateHz: settings.ratePerSecond,
            shed: load.shed,
            containers: { count: pool.size, peakCallsInFlight: pool.peakInFlight, sharedCalls: pool.sharedCalls },
            ...outage,
            ...stored,
            timeline: timeline(records, faulted.faultAt, settings.observeMs),
            handlerProblems: pool.problems(),
        };
        say(
            `${name}: ${result.failedCalls} of ${result.calls} calls failed; recovered after ${result.recoveryS ?? "—"} s; ` +
                `${result.lostAcked} of ${result.ackedChecked} acknowledged writes lost; longest call ${result.longestCallMs} ms`,
        );
        return result;
    } finally {
        if (load) await load.stop().catch(() => undefined);
        await pool?.stop();
        await cluster.stop();
    }
}
