import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { readStackFiles } from "../../config/stackFiles";
import { PROJECT_NAME } from "../../config/project";
import { ProgramMocks, RecordedResource } from "./mocks";

export { RecordedResource };

export interface EvaluateOptions {
    /** Read Pulumi.yaml defaults and Pulumi.<stack>.yaml, as the CLI would. Without it, only `config` is set. */
    readonly stack?: string;
    /** Project keys without namespace (`numNodeGroups`), as strings the way Pulumi passes them; override the stack's. */
    readonly config?: Record<string, string>;
    /** `aws:region`; overrides the stack's. */
    readonly region?: string;
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
}

const ROOT = path.resolve(__dirname, "..", "..");
/** The program's own modules: dropped from the require cache so each evaluation runs index.ts afresh. */
const PROGRAM_DIRS = ["index.ts", "components", "config", "functions"].map((entry) => path.join(ROOT, entry));

/**
 * Runs the real `index.ts` under Pulumi mocks with a stack's configuration and returns every resource it registered
 * and its resolved outputs. Evaluations run one after another in the same process.
 */
export async function evaluateProgram(options: EvaluateOptions = {}): Promise<ProgramRun> {
    const fromFiles = options.stack ? readStackFiles(options.stack, ROOT) : { values: {}, region: undefined };
    const region = options.region ?? fromFiles.region ?? "us-east-1";
    const config: Record<string, string> = {};
    for (const [key, value] of Object.entries(fromFiles.values)) config[key] = String(value);
    for (const [key, value] of Object.entries(options.config ?? {})) config[`${PROJECT_NAME}:${key}`] = value;
    config["aws:region"] = region;

    const mocks = new ProgramMocks(region);
    lastMocks = mocks;
    await pulumi.runtime.setMocks(mocks, PROJECT_NAME, options.stack ?? "test", false);
    mocks.observe(pulumi.runtime.getMonitor() as never);
    pulumi.runtime.setAllConfig(config);
    forgetProgramModules();

    const program = require(path.join(ROOT, "index.ts")) as Record<string, unknown>;
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
export async function evaluateResources<T>(
    build: () => T,
    region = "us-east-1",
): Promise<{ value: T; resources: RecordedResource[] }> {
    const mocks = new ProgramMocks(region);
    await pulumi.runtime.setMocks(mocks, PROJECT_NAME, "test", false);
    mocks.observe(pulumi.runtime.getMonitor() as never);
    pulumi.runtime.setAllConfig({ "aws:region": region });
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
        return { error: error as Error, resources: lastMocks?.resources ?? [] };
    }
}

let lastMocks: ProgramMocks | undefined;

function forgetProgramModules(): void {
    for (const file of Object.keys(require.cache)) {
        if (PROGRAM_DIRS.some((entry) => file === entry || file.startsWith(entry + path.sep)))
            delete require.cache[file];
    }
}

export function resourcesOfType(run: Pick<ProgramRun, "resources">, type: string): RecordedResource[] {
    return run.resources.filter((resource) => resource.type === type);
}

export function onlyResourceOfType(run: Pick<ProgramRun, "resources">, type: string): RecordedResource {
    const found = resourcesOfType(run, type);
    if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
    return found[0];
}
