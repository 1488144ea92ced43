/**
 * Times the program's evaluation under mocks, in a fresh process per stack so the first evaluation pays what a first
 * `pulumi preview` or test run pays (loading @pulumi/*, compiling the program), and the repeats show the evaluation
 * alone. Run by the benchmark as a child: `node -r ts-node/register/transpile-only programEvaluation.ts <stack> <n>`;
 * prints one line `RESULT <json>`.
 */
import { performance } from "perf_hooks";
import { runCommand } from "../../tests/support/runCommand";
import * as path from "path";
import { median, round } from "./stats";

export interface ProgramEvaluationTimes {
    readonly stack: string;
    /** Whole child process: Node and ts-node start-up, module loading and every evaluation, ms. */
    readonly processMs: number;
    /** `require` of the evaluation support (and through it @pulumi/pulumi), ms. */
    readonly loadMs: number;
    /** The first evaluation: compiles and loads the program and @pulumi/aws, awsx, random, ms. */
    readonly firstMs: number;
    /** Each further evaluation, ms. */
    readonly repeatMs: readonly number[];
    readonly repeatMedianMs: number;
    readonly resources: number;
}

const MARKER = "RESULT ";

/** Runs the measurement in a fresh child process and returns its figures. */
export async function timeProgramEvaluation(stack: string, repeats: number, timeoutMs = 300_000): Promise<ProgramEvaluationTimes> {
    const run = await runCommand(process.execPath, ["-r", "ts-node/register/transpile-only", __filename, stack, String(repeats)], {
        cwd: path.resolve(__dirname, "..", ".."),
        timeoutMs,
        killSignal: "SIGKILL",
    });
    const line = run.stdout.split("\n").find((text) => text.startsWith(MARKER));
    if (run.code !== 0 || line === undefined) {
        throw new Error(`evaluating the ${stack} stack failed (${run.signal ?? `exit ${run.code}`}): ${run.stderr.trim() || run.stdout.trim()}`);
    }
    return { ...(JSON.parse(line.slice(MARKER.length)) as Omit<ProgramEvaluationTimes, "processMs">), processMs: round(run.ms) };
}

async function main(stack: string, repeats: number): Promise<void> {
    const loadStarted = performance.now();
    const { evaluateProgram } = require("../../tests/support/program") as typeof import("../../tests/support/program");
    const loadMs = performance.now() - loadStarted;
    const times: number[] = [];
    let resources = 0;
    for (let i = 0; i <= repeats; i++) {
        const started = performance.now();
        const run = await evaluateProgram({ stack });
        times.push(performance.now() - started);
        resources = run.resources.length;
    }
    const [first, ...rest] = times;
    const result: Omit<ProgramEvaluationTimes, "processMs"> = {
        stack,
        loadMs: round(loadMs),
        firstMs: round(first),
        repeatMs: rest.map((ms) => round(ms)),
        repeatMedianMs: round(median(rest)),
        resources,
    };
    process.stdout.write(`${MARKER}${JSON.stringify(result)}\n`);
}

if (require.main === module) {
    const [stack, repeats] = process.argv.slice(2);
    main(stack, Number(repeats)).then(
        () => process.exit(0),
        (error: Error) => {
            console.error(error.stack ?? error.message);
            process.exit(1);
        },
    );
}
