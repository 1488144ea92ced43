import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { readStackFiles } from "../../config/stackFiles";
import { PROJECT_NAME } from "../../config/project";
import { MockSubnet, ProgramMocks, RecordedResource } from "./mocks";
import { withoutStackTraces, withPlainStackTraces } from "./stackTraces";
import { reuseCodePaths } from "./codePathsCache";
import { gatheringRuntimeWarnings } from "./runtimeWarnings";
import { forgetProgramModules, PROGRAM_ENTRY, reuseTranspiledProgramModules } from "./programModules";

export { RecordedResource };

export interface EvaluateOptions {
    /** Read Pulumi.yaml defaults and Pulumi.<stack>.yaml, as the CLI would. Without it, only `config` is set. */
    readonly stack?: string;
    /** Project keys without namespace (`numNodeGroups`), as strings the way Pulumi passes them; override the stack's. */
    readonly config?: Record<string, string>;
    /** `aws:region`; overrides the stack's. */
    readonly region?: string;
    /** Subnets the mocks describe as given to `aws.ec2.getSubnet` (others: see ProgramMocks). */
    readonly subnets?: Readonly<Record<string, MockSubnet>>;
}

export interface ProgramRun {
    readonly resources: RecordedResource[];
    /** The stack outputs, resolved (secrets unwrapped). */
    readonly outputs: Record<string, unknown>;
    /** Which outputs were secrets. */
    readonly secretOutputs: string[];
    /** The program's exports as objects (for resource options such as `protect`, read from the components). */
    readonly program: Record<string, unknown>;
    readonly mocks: ProgramMocks;
    /** What the program logged with `pulumi.log.warn`, each once, in order: the engine would show these at `up`. */
    readonly warnings: readonly string[];
}

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * Runs the real `index.ts` under Pulumi mocks with a stack's configuration and returns every resource it registered
 * and its resolved outputs. Packages stay loaded between evaluations; the program's own modules are loaded afresh with
 * new Pulumi runtime state (mocks, config, stack), so each evaluation is the program's first. Evaluations share that
 * global state: a second one waits for the first to finish.
 */
export function evaluateProgram(options: EvaluateOptions = {}): Promise<ProgramRun> {
    const run = evaluationQueue.then(async () => {
        try {
            return await withoutStackTraces(() => evaluateNow(options));
        } catch {
            // The same configuration fails the same way: again with stack traces, so the error points into the program.
            return withPlainStackTraces(() => evaluateNow(options));
        }
    });
    evaluationQueue = run.catch(() => undefined);
    return run;
}

let evaluationQueue: Promise<unknown> = Promise.resolve();

async function evaluateNow(options: EvaluateOptions): Promise<ProgramRun> {
    const fromFiles = options.stack ? readStackFiles(options.stack, ROOT) : { values: {}, region: undefined };
    const region = options.region ?? fromFiles.region ?? "us-east-1";
    const config: Record<string, string> = {};
    // Structured values (a YAML list or map in a stack file) reach a program as JSON text, as the CLI hands them.
    for (const [key, value] of Object.entries(fromFiles.values))
        config[key] = value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);
    for (const [key, value] of Object.entries(options.config ?? {})) config[`${PROJECT_NAME}:${key}`] = value;
    config["aws:region"] = region;

    const mocks = new ProgramMocks(region, options.subnets);
    await pulumi.runtime.setMocks(mocks, PROJECT_NAME, options.stack ?? "test", false);
    mocks.observe(pulumi.runtime.getMonitor() as never);
    pulumi.runtime.setAllConfig(config);
    reuseTranspiledProgramModules();
    reuseCodePaths();
    forgetProgramModules();

    try {
        const { value, warnings } = await gatheringRuntimeWarnings(() => runEntry(mocks));
        return { ...value, warnings };
    } catch (error) {
        if (error instanceof Error) registeredBeforeError.set(error, mocks.resources);
        throw error;
    }
}

/**
 * Loads index.ts afresh and resolves its exported outputs once every registration has reached the mocks. An error the
 * program raises in an apply (a check that needs a data source's answer) reaches Node as an unhandled rejection, which
 * the engine reports as the program's failure: here it fails the evaluation the same way.
 */
async function runEntry(mocks: ProgramMocks): Promise<Omit<ProgramRun, "warnings">> {
    let fail: (reason: unknown) => void = () => undefined;
    // Outputs that depend on the failed apply never resolve: the failure ends the evaluation instead.
    const failed = new Promise<never>((_, reject) => (fail = reject));
    const onRejection = (reason: unknown): void => fail(reason instanceof Error ? reason : new Error(String(reason)));
    process.on("unhandledRejection", onRejection);
    try {
        const run = await Promise.race([resolveEntry(mocks), failed]);
        // Rejections are reported after the microtasks that raised them: let a late one arrive.
        await Promise.race([new Promise((resolve) => setImmediate(resolve)), failed]);
        return run;
    } finally {
        process.off("unhandledRejection", onRejection);
    }
}

async function resolveEntry(mocks: ProgramMocks): Promise<Omit<ProgramRun, "warnings">> {
    const program = require(PROGRAM_ENTRY) as Record<string, unknown>;
    const outputs: Record<string, unknown> = {};
    const secretOutputs: string[] = [];
    for (const [key, value] of Object.entries(program)) {
        if (!pulumi.Output.isInstance(value)) continue;
        outputs[key] = await promiseOf(value);
        if (await pulumi.isSecret(value)) secretOutputs.push(key);
    }
    // Every registration has reached the mocks once the RPC queue is empty.
    await pulumi.runtime.disconnect();
    return { resources: mocks.resources, outputs, secretOutputs, program, mocks };
}

/**
 * Builds one component (or any resources) alone under the same mocks, as pulumi/examples `testing-unit-ts` does:
 * `build` runs after `setMocks`, and the resources it registered are returned once every registration has arrived.
 */
export function evaluateResources<T>(
    build: () => T,
    region = "us-east-1",
): Promise<{ value: T; resources: RecordedResource[] }> {
    const run = evaluationQueue.then(() => withPlainStackTraces(() => buildNow(build, region)));
    evaluationQueue = run.catch(() => undefined);
    return run;
}

async function buildNow<T>(build: () => T, region: string): Promise<{ value: T; resources: RecordedResource[] }> {
    const mocks = new ProgramMocks(region);
    await pulumi.runtime.setMocks(mocks, PROJECT_NAME, "test", false);
    mocks.observe(pulumi.runtime.getMonitor() as never);
    pulumi.runtime.setAllConfig({ "aws:region": region });
    reuseCodePaths();
    const value = build();
    await pulumi.runtime.disconnect();
    return { value, resources: mocks.resources };
}

/** Resolves an output's value; a rejected apply fails the test instead of being lost. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve, reject) => {
        output.apply((value) => {
            resolve(value);
            return value;
        });
        // An output whose apply never runs (unknown during preview) would hang: fail fast instead.
        setTimeout(() => reject(new Error("output did not resolve within 10 s")), 10_000).unref();
    });
}

/** Runs the program with the given options and returns the error it throws before registering anything. */
export async function evaluationError(
    options: EvaluateOptions,
): Promise<{ error: Error; resources: RecordedResource[] }> {
    try {
        const run = await evaluateProgram(options);
        throw new Error(
            `expected the program to refuse the configuration, but it registered ${run.resources.length} resources`,
        );
    } catch (error) {
        if (error instanceof Error && error.message.startsWith("expected the program")) throw error;
        return { error: error as Error, resources: registeredBeforeError.get(error as Error) ?? [] };
    }
}

/** What the program had registered when it threw, by error. */
const registeredBeforeError = new WeakMap<Error, RecordedResource[]>();

export function resourcesOfType(run: Pick<ProgramRun, "resources">, type: string): RecordedResource[] {
    return run.resources.filter((resource) => resource.type === type);
}

export function onlyResourceOfType(run: Pick<ProgramRun, "resources">, type: string): RecordedResource {
    const found = resourcesOfType(run, type);
    if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
    return found[0];
}
