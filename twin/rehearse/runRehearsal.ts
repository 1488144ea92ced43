/**
 * The run half of a rehearsal: the *before* shape started locally as `npm start` does it (TLS, the program's users as
 * ACLs, the serialized archive in bare Node processes), a key in every hash slot written, steady SET+GET load through
 * the function's containers, a "before" window, the steps carried out, an "after" window; then every known key and
 * every acknowledged write read back and the shape checked. Everything it started is stopped on success, on failure
 * and on abort (Ctrl-C): the clusters (every node ever started), the containers, the handler process.
 */
import { ArchiveProcess } from "../archive/archiveProcess";
import type { LambdaArchive } from "../archive/lambdaArchive";
import { localHandlerEnvironment } from "../archive/localHandlerEnvironment";
import { readBack } from "../bench/readBack";
import { SteadyLoad } from "../bench/steadyLoad";
import { LocalRedisCluster, startRedisCluster } from "../cluster/redisCluster";
import { applyRedisUsers, LOCAL_ADMIN_USER } from "../cluster/redisUsers";
import { LocalSystem, startLocalSystem, tokenDefaultUser, tokenEnvironment } from "../local/localSystem";
import { sleep } from "../process/polling";
import type { LoadedStack } from "../program/stackSettings";
import { carryOut } from "./carryOut";
import { CallFigures, callFigures } from "./figures";
import { FunctionContainers } from "./functionContainers";
import { keyPerSlot, lostKnownKeys, writeKnownKeys } from "./knownKeys";
import { checkShape, ExpectedShape, ShapeAfter } from "./shapeCheck";
import { describeStep, ReshapeStep } from "./steps";

export interface LoadSettings {
    /** Calls per second, each a SET then a GET of its own key. @default 40 */
    readonly ratePerSecond?: number;
    /** Warm containers of the function. @default 4 */
    readonly containers?: number;
    /** Length of the "before" and "after" windows, ms. @default 4000 */
    readonly windowMs?: number;
}

export interface RehearsalInput {
    /** The stack as it runs before the change. */
    readonly before: LoadedStack;
    readonly steps: readonly ReshapeStep[];
    /** The shape the *after* evaluation declares. */
    readonly expected: ExpectedShape;
    /** The handler archive of the program before the change (built from `before` when absent). */
    readonly archiveBefore?: LambdaArchive;
    /** The archive after the change: its environment and users are what the function and ACL steps move to. */
    readonly archiveAfter?: LambdaArchive;
    readonly load?: LoadSettings;
    /** A line per phase; `detail` is figures that change every moment. */
    readonly progress: { setPhase(phase: string): void; setDetail(detail: string): void };
    /** Aborting stops everything started and rejects with {@link RehearsalAborted}. */
    readonly signal?: AbortSignal;
    /** One known key every this many hash slots: a test's lighter set. @default 1 (a key in every slot) */
    readonly knownKeyEveryNthSlot?: number;
    /** Called with the pids of every redis-server and function process as they start (for a debug line, a test). */
    readonly onProcesses?: (pids: readonly number[]) => void;
}

export interface StepTiming {
    readonly step: string;
    readonly seconds: number;
}

export interface RehearsalResult {
    readonly calls: CallFigures;
    readonly steps: readonly StepTiming[];
    readonly changeSeconds: number;
    readonly knownKeys: { readonly written: number; readonly readBack: number; readonly lost: number };
    readonly shape: ShapeAfter;
    readonly expected: ExpectedShape;
    /** Unhandled errors and stderr of the function's containers: none when healthy. */
    readonly functionProblems: readonly string[];
}

export class RehearsalAborted extends Error {}

export async function runRehearsal(input: RehearsalInput): Promise<RehearsalResult> {
    const { progress, signal } = input;
    const load = { ratePerSecond: 40, containers: 4, windowMs: 4000, ...input.load };
    const startedClusters: LocalRedisCluster[] = [];
    let system: LocalSystem | undefined;
    let containers: FunctionContainers | undefined;
    let steady: SteadyLoad | undefined;
    let liveFigures: NodeJS.Timeout | undefined;
    const tasks: Promise<unknown>[] = [];
    const abortable = <T>(work: Promise<T>): Promise<T> => {
        tasks.push(work.catch(() => undefined));
        if (!signal) return work;
        return new Promise<T>((resolve, reject) => {
            const onAbort = () => reject(new RehearsalAborted(`interrupted (${String(signal.reason ?? "abort")})`));
            if (signal.aborted) return onAbort();
            signal.addEventListener("abort", onAbort, { once: true });
            work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
        });
    };
    const reportProcesses = () => {
        const pids = [
            ...startedClusters.flatMap((cluster) => cluster.nodes.map((node) => node.pid)),
            ...(system ? [system.handler.pid] : []),
        ];
        input.onProcesses?.(pids);
    };

    try {
        progress.setPhase("starting the before shape");
        system = await abortable(
            startLocalSystem({
                stack: input.before,
                archive: input.archiveBefore,
                say: progress.setPhase.bind(progress),
                // A token stack's cluster can then move to the program's users (authMode token → rbac).
                harnessUser: true,
            }),
        );
        let cluster = system.cluster;
        startedClusters.push(cluster);
        reportProcesses();
        const archiveBefore = system.archive;
        const archiveAfter = input.archiveAfter ?? archiveBefore;
        const token = system.authToken;

        const every = input.knownKeyEveryNthSlot ?? 1;
        const knownKeys = keyPerSlot(`known-${Date.now().toString(36)}`, every);
        progress.setPhase(
            `writing ${knownKeys.length} known keys, one in every ${every === 1 ? "" : `${every}th `}hash slot`,
        );
        await abortable(
            cluster.withClusterClient((client) => writeKnownKeys(client, knownKeys), { enableAutoPipelining: true }),
        );

        progress.setPhase(`starting ${load.containers} warm containers of the function`);
        const startContainer = (archive: LambdaArchive, target: LocalRedisCluster) =>
            ArchiveProcess.start({
                archiveDir: archive.dir,
                env: localHandlerEnvironment(archive, target, tokenEnvironment(archive, token)),
            });
        containers = await abortable(
            FunctionContainers.start(load.containers, () => startContainer(archiveBefore, cluster)),
        );
        steady = new SteadyLoad(containers, {
            ratePerSecond: load.ratePerSecond,
            keyPrefix: `load-${Date.now().toString(36)}`,
            maxInFlight: 200,
        });
        liveFigures = setInterval(() => progress.setDetail(`${containers!.issued} calls issued`), 1000);
        liveFigures.unref();
        steady.start();
        progress.setPhase(`steady load ${load.ratePerSecond} calls/s: measuring before (${load.windowMs / 1000} s)`);
        await abortable(sleep(load.windowMs));

        const startedAt = steady.now();
        const timings: StepTiming[] = [];
        for (const step of input.steps) {
            const description = describeStep(step);
            progress.setPhase(description);
            const stepStarted = steady.now();
            await abortable(
                carryOut(step, {
                    cluster,
                    containers,
                    startContainer: (target) => startContainer(archiveAfter, target),
                    startEmptyCluster: async () => {
                        const fresh = await startEmptyCluster(input.expected, cluster, archiveAfter, token);
                        startedClusters.push(fresh);
                        reportProcesses();
                        return fresh;
                    },
                    replaceCluster: (fresh) => (cluster = fresh),
                    say: (message) => progress.setPhase(`${description}: ${message}`),
                }),
            );
            reportProcesses();
            timings.push({ step: description, seconds: round1((steady.now() - stepStarted) / 1000) });
        }
        const endedAt = steady.now();
        progress.setPhase(`change done in ${((endedAt - startedAt) / 1000).toFixed(1)} s: measuring after`);
        await abortable(sleep(load.windowMs));
        const records = await abortable(steady.stop());

        progress.setPhase("reading back every known key and every acknowledged write; checking the shape");
        const replaced = input.steps.some((step) => step.kind === "replace cluster");
        const lost = await abortable(
            cluster.withClusterClient((client) => lostKnownKeys(client, knownKeys), { enableAutoPipelining: true }),
        );
        const acked = await abortable(readBack(cluster, records));
        const shape = await abortable(checkShape(cluster, input.expected, knownKeys, !replaced));
        return {
            calls: callFigures(records, { startedAt, endedAt }, acked.lostAcked),
            steps: timings,
            changeSeconds: round1((endedAt - startedAt) / 1000),
            knownKeys: { written: knownKeys.length, readBack: knownKeys.length - lost.length, lost: lost.length },
            shape,
            expected: input.expected,
            functionProblems: containers.problems(),
        };
    } finally {
        clearInterval(liveFigures);
        progress.setPhase("stopping everything the rehearsal started");
        // No new call from here on (stop() stops issuing at once); calls in flight end with their containers.
        const loadStopped = steady?.stop();
        await Promise.allSettled([
            containers?.stop(),
            system?.stop(),
            ...startedClusters.map((cluster) => cluster.stop()),
        ]);
        await Promise.race([Promise.allSettled([loadStopped, ...tasks]), sleep(5000)]);
    }
}

/** An empty cluster of the after shape and the current security, with the users of the program after the change. */
async function startEmptyCluster(
    shape: ExpectedShape,
    current: LocalRedisCluster,
    archive: LambdaArchive,
    token: string | undefined,
): Promise<LocalRedisCluster> {
    const fresh = await startRedisCluster({
        shards: shape.shards,
        replicasPerShard: shape.replicasPerShard,
        tls: current.tls !== undefined,
        password: current.password,
        adminUser: current.adminUser === undefined ? undefined : LOCAL_ADMIN_USER,
    });
    try {
        if (fresh.adminUser !== undefined && token !== undefined && archive.redisUsers.length === 0)
            await fresh.applyAclUsers([tokenDefaultUser(token)]);
        if (fresh.adminUser !== undefined) await applyRedisUsers(fresh, archive.redisUsers);
        return fresh;
    } catch (error) {
        await fresh.stop();
        throw error;
    }
}

function round1(value: number): number {
    return Math.round(value * 10) / 10;
}
