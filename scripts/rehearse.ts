/**
 * `npm run rehearse [-- --stack prod] -- --config key=value [...]`: rehearses a config change before `pulumi up`.
 * Evaluates the program before and after, prints the safe-change model's verdict per resource, then carries the change
 * out on a local cluster of the stack's shape (TLS, the program's users) while the serialized handler serves steady
 * load, and reports what the calls saw. Writes the figures into bench/rehearsals.json. Ctrl-C stops everything it
 * started (exit 130).
 */
import * as os from "os";
import { CommandLine } from "../twin/cli/commandLine";
import { runScript } from "../twin/cli/runScript";
import { step } from "../twin/cli/progress";
import { writeArchiveOf } from "../twin/archive/lambdaArchive";
import { loadAverage, machineInfo } from "../twin/bench/machine";
import { ensurePrerequisites } from "../twin/local/prerequisites";
import { checkRequest, planChange } from "../twin/rehearse/changePlan";
import { ProgressLine } from "../twin/rehearse/progressLine";
import { recordRehearsal, rehearsalId, REHEARSALS_FILE, RehearsalEntry } from "../twin/rehearse/rehearsalRecord";
import { renderReport, renderVerdicts } from "../twin/rehearse/reportTable";
import { RehearsalAborted, runRehearsal } from "../twin/rehearse/runRehearsal";
import { describeStep, ReshapeStep } from "../twin/rehearse/steps";
import { laterUpAfterScaling } from "../twin/rehearse/laterUp";
import { planScalerStep } from "../twin/rehearse/scalerStep";
import type { ExpectedShape } from "../twin/rehearse/shapeCheck";
import type { LoadedStack } from "../twin/program/stackSettings";
import type { GraphResource } from "../twin/plan/programGraph";
import { REPLICATION_GROUP } from "../twin/plan/replicationGroupChanges";
import * as path from "path";

// Two ways of choosing steps: a config change (planChange → deriveSteps) or the scaler's next step (--scale-out /
// --scale-in → planScalerStep); running them is runRehearsal's job either way.
const USAGE = `Usage: npm run rehearse [-- --stack <name>] -- --config <key>=<value> [--config ...] [--from <key>=<value> ...]
       npm run rehearse [-- --stack <name>] -- [--config <key>=<value> ...] --scale-out|--scale-in [--dimension shards|replicas] [--at <count>]
  --stack      the stack whose shape to run before the change (Pulumi.<name>.yaml); default dev
  --config     the change, as \`pulumi config set\` would make it (e.g. --config numNodeGroups=2); several allowed.
               With --scale-…: the stack's settings, the scaler's among them (e.g. --config maxNumNodeGroups=5)
  --from       a setting the running stack already has where it differs from the stack file (e.g. a rotation step
               applied: --from passwordRotation=add-next --config passwordRotation=use-next)
  --scale-out  the auto scaler's next step out: one shard added (slots moved online), or one replica in every shard
  --scale-in   its next step in: one shard removed after its slots leave, or one replica from every shard
  --dimension  with --scale-…: shards or replicas; default shards when the stack scales them
  --at         with --scale-…: the count the scaler has reached; default the minimum (out) or one above it (in)`;

/** What the run needs, whoever chose the steps. */
interface Rehearsal {
    readonly id: string;
    readonly args: CommandLine;
    readonly changedKeys: readonly string[];
    readonly verdict: RehearsalEntry["verdict"];
    readonly clusterVerdict: RehearsalEntry["clusterVerdict"];
    readonly before: LoadedStack;
    readonly steps: readonly ReshapeStep[];
    readonly expected: ExpectedShape;
    /** What the program registers before and after; no `after` when the configuration is the same (a scaler's step). */
    readonly resources: { readonly before: readonly GraphResource[]; readonly after?: readonly GraphResource[] };
    readonly redisServer: string;
}

async function main(args: CommandLine): Promise<number> {
    return args.scale ? scaleStep(args) : configChange(args);
}

/** `--config key=value`: the change's steps as pulumi up and ElastiCache apply them. */
async function configChange(args: CommandLine): Promise<number> {
    const request = { stack: args.stack, config: args.config, from: args.from };
    // Refusals that need no evaluation answer at once, before anything starts.
    checkRequest(request);
    const redisServer = await prerequisites();

    step(`evaluating the program before and after (${rehearsalId(args.stack, args.config, args.from)})`);
    const plan = await planChange(request);
    for (const line of renderVerdicts(plan.assessment)) console.log(line);
    printSteps(plan.steps);
    for (const warning of plan.after.warnings) step(`warning: ${warning}`);
    const { code } = await rehearse({
        id: rehearsalId(args.stack, args.config, args.from),
        args,
        changedKeys: plan.changedKeys,
        verdict: plan.assessment.verdict,
        clusterVerdict: plan.assessment.cluster,
        before: plan.before,
        steps: plan.steps,
        expected: { shards: plan.after.settings.numNodeGroups, replicasPerShard: plan.after.settings.replicaCount },
        resources: { before: plan.graphs.before.resources, after: plan.graphs.after.resources },
        redisServer,
    });
    return code;
}

/**
 * `--scale-out` / `--scale-in`: the scaler's next step on the stack as configured, then what a later `pulumi up` with
 * the unchanged configuration does to the replication group (nothing: it ignores the scaled count).
 */
async function scaleStep(args: CommandLine): Promise<number> {
    const plan = planScalerStep({
        stack: args.stack,
        config: args.config,
        from: args.from,
        direction: args.scale!,
        dimension: args.dimension,
        at: args.at,
    });
    const redisServer = await prerequisites();
    const id = `${rehearsalId(args.stack, args.config, args.from)} --scale-${args.scale} ${plan.dimension} ${plan.count.before} → ${plan.count.after}`;
    step(`evaluating the program as configured (${id})`);
    const { evaluateGraph } = await import("../twin/plan/programGraph");
    const graph = await evaluateGraph({ stack: args.stack, config: { ...plan.configured.overrides } });
    printSteps([plan.step]);
    const result = await rehearse({
        id,
        args,
        changedKeys: [],
        verdict: "update in place",
        clusterVerdict: "update in place",
        before: plan.before,
        steps: [plan.step],
        expected: plan.expected,
        resources: { before: graph.resources },
        redisServer,
    });
    const later = laterUpAfterScaling(graph.resources, plan.dimension, plan.count.after);
    const group = later.changes.find((change) => change.type === REPLICATION_GROUP);
    console.log(
        `A later pulumi up with the unchanged configuration, from the state after the step (${plan.dimension} ${plan.count.after}): ` +
            `the replication group ${group ? `${group.verdict} (${group.reasons.join("; ")})` : "no change (ignoreChanges keeps the scaled count)"}.`,
    );
    return group ? 1 : result.code;
}

async function prerequisites(): Promise<string> {
    const versions = await ensurePrerequisites(step);
    return /v=(\S+)/.exec(versions["redis-server"])?.[1] ?? versions["redis-server"];
}

function printSteps(steps: readonly ReshapeStep[]): void {
    console.log("Steps, in the order pulumi up and ElastiCache apply them:");
    steps.forEach((reshape, index) => console.log(`  ${index + 1}. ${describeStep(reshape)}`));
}

/** Carries the steps out under load on a local cluster, prints the report and records it. */
async function rehearse(rehearsal: Rehearsal): Promise<{ code: number }> {
    const { args } = rehearsal;
    const archiveBefore = await writeArchiveOf({ resources: [...rehearsal.resources.before] });
    // The same configuration (a scaler's step) has the same function: its archive is not built twice.
    const after = rehearsal.resources.after;
    const archiveAfter = after ? await writeArchiveOf({ resources: [...after] }) : undefined;
    const aborting = new AbortController();
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => aborting.abort(signal));
    const progress = new ProgressLine();
    const load = { ratePerSecond: 40, containers: 4, windowMs: 4000 };
    const loadAtStart = loadAverage();
    try {
        const result = await runRehearsal({
            before: rehearsal.before,
            steps: rehearsal.steps,
            expected: rehearsal.expected,
            archiveBefore,
            archiveAfter,
            load,
            progress,
            signal: aborting.signal,
            // Which processes are the rehearsal's own (redis-server nodes, the handler): for a log and the Ctrl-C test.
            onProcesses: (pids) => progress.setPhase(`processes started: pids ${pids.join(" ")}`),
        });
        progress.finish();
        const machine = machineInfo();
        const entry: RehearsalEntry = {
            id: rehearsal.id,
            stack: args.stack,
            from: args.from,
            config: args.config,
            ...(args.scale ? { scale: args.scale } : {}),
            changedKeys: rehearsal.changedKeys,
            verdict: rehearsal.verdict,
            clusterVerdict: rehearsal.clusterVerdict,
            steps: result.steps,
            calls: result.calls,
            knownKeys: result.knownKeys,
            changeSeconds: result.changeSeconds,
            // From the process's start: Node and ts-node start-up are part of what the user waits for.
            wallSeconds: Math.round(process.uptime() * 10) / 10,
            shape: {
                expected: result.expected,
                shards: result.shape.shards,
                replicasPerShard: result.shape.replicasPerShard,
                slotsCovered: result.shape.slotsCovered,
                keysOnTheirShard: result.shape.keysOnTheirShard,
                matches: result.shape.problems.length === 0,
            },
            load,
            at: new Date().toISOString(),
            machine: { cores: machine.cores, cpuModel: machine.cpuModel, loadAverage: loadAtStart },
            redisServer: rehearsal.redisServer,
        };
        console.log("");
        for (const line of renderReport(entry)) console.log(line);
        for (const problem of result.functionProblems) console.log(`function: ${problem}`);
        for (const problem of result.shape.problems) console.log(`shape: ${problem}`);
        recordRehearsal(entry);
        console.log(
            `\nRecorded in ${path.relative(process.cwd(), REHEARSALS_FILE)} as "${entry.id}" (${os.cpus().length} cores).`,
        );
        return { code: entry.shape.matches ? 0 : 1 };
    } catch (error) {
        progress.finish();
        if (error instanceof RehearsalAborted) {
            step(`${error.message}: everything the rehearsal started is stopped`);
            return { code: 130 };
        }
        throw error;
    } finally {
        archiveBefore.remove();
        archiveAfter?.remove();
    }
}

runScript({
    name: "npm run rehearse",
    usage: USAGE,
    options: ["stack", "config", "from", "scale-out", "scale-in", "dimension", "at"],
    main,
});
