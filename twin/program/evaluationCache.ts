/**
 * One evaluation per distinct configuration in a process: the safe-change guide, the upgrade checks and tests that
 * only read a run share it instead of evaluating the same stack again. A shared run is frozen (resources, their
 * inputs, the outputs), so a caller that tried to change it would throw instead of corrupting every other caller's
 * copy. `evaluateProgram` stays the way to get a run of one's own.
 */
import { EvaluateOptions, evaluateProgram, ProgramRun } from "./evaluateProgram";

const runs = new Map<string, Promise<ProgramRun>>();

/** The same options in any key order name the same evaluation. */
export function evaluationKey(options: EvaluateOptions): string {
    const config = Object.entries(options.config ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return JSON.stringify([options.stack ?? null, options.region ?? null, config, options.subnets ?? null]);
}

/** The program's run with these options, evaluated on the first call; later calls get the same frozen run. */
export function evaluateProgramOnce(options: EvaluateOptions = {}): Promise<ProgramRun> {
    const key = evaluationKey(options);
    let run = runs.get(key);
    if (!run) {
        run = evaluateProgram(options).then(frozen);
        // A refused configuration is not kept: the next caller gets the error from an evaluation of its own.
        run.catch(() => runs.delete(key));
        runs.set(key, run);
    }
    return run;
}

function frozen(run: ProgramRun): ProgramRun {
    deepFreeze(run.resources);
    deepFreeze(run.outputs);
    Object.freeze(run.secretOutputs);
    // `program` holds live Pulumi objects (outputs, components) and `mocks` the recorder: not plain data to freeze.
    return Object.freeze({ ...run });
}

function deepFreeze(value: unknown): void {
    if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
}
