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
import { describeStep } from "../twin/rehearse/steps";
import * as path from "path";

// A later way of choosing steps (the scaler's next step: --scale-out / --scale-in) plugs in where `plan.steps` is
// read below; running them stays runRehearsal's job.
const USAGE = `Usage: npm run rehearse [-- --stack <name>] -- --config <key>=<value> [--config ...] [--from <key>=<value> ...]
  --stack    the stack whose shape to run before the change (Pulumi.<name>.yaml); default dev
  --config   the change, as \`pulumi config set\` would make it (e.g. --config numNodeGroups=2); several allowed
  --from     a setting the running stack already has where it differs from the stack file (e.g. a rotation step
             applied: --from passwordRotation=add-next --config passwordRotation=use-next)`;

async function main(args: CommandLine): Promise<number> {
    const request = { stack: args.stack, config: args.config, from: args.from };
    // Refusals that need no evaluation answer at once, before anything starts.
    checkRequest(request);
    const versions = await ensurePrerequisites(step);
    const redisServer = /v=(\S+)/.exec(versions["redis-server"])?.[1] ?? versions["redis-server"];

    step(`evaluating the program before and after (${rehearsalId(args.stack, args.config, args.from)})`);
    const plan = await planChange(request);
    for (const line of renderVerdicts(plan.assessment)) console.log(line);
    console.log("Steps, in the order pulumi up and ElastiCache apply them:");
    plan.steps.forEach((reshape, index) => console.log(`  ${index + 1}. ${describeStep(reshape)}`));
    for (const warning of plan.after.warnings) step(`warning: ${warning}`);

    const archiveBefore = await writeArchiveOf({ resources: [...plan.graphs.before.resources] });
    const archiveAfter = await writeArchiveOf({ resources: [...plan.graphs.after.resources] });
    const aborting = new AbortController();
    for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => aborting.abort(signal));
    const progress = new ProgressLine();
    const load = { ratePerSecond: 40, containers: 4, windowMs: 4000 };
    const loadAtStart = loadAverage();
    try {
        const result = await runRehearsal({
            before: plan.before,
            steps: plan.steps,
            expected: { shards: plan.after.settings.numNodeGroups, replicasPerShard: plan.after.settings.replicaCount },
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
            id: rehearsalId(args.stack, args.config, args.from),
            stack: args.stack,
            from: args.from,
            config: args.config,
            changedKeys: plan.changedKeys,
            verdict: plan.assessment.verdict,
            clusterVerdict: plan.assessment.cluster,
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
            redisServer,
        };
        console.log("");
        for (const line of renderReport(entry)) console.log(line);
        for (const problem of result.functionProblems) console.log(`function: ${problem}`);
        for (const problem of result.shape.problems) console.log(`shape: ${problem}`);
        recordRehearsal(entry);
        console.log(
            `\nRecorded in ${path.relative(process.cwd(), REHEARSALS_FILE)} as "${entry.id}" (${os.cpus().length} cores).`,
        );
        return entry.shape.matches ? 0 : 1;
    } catch (error) {
        progress.finish();
        if (error instanceof RehearsalAborted) {
            step(`${error.message}: everything the rehearsal started is stopped`);
            return 130;
        }
        throw error;
    } finally {
        archiveBefore.remove();
        archiveAfter.remove();
    }
}

runScript({ name: "npm run rehearse", usage: USAGE, options: ["stack", "config", "from"], main });
