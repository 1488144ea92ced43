/**
 * Records what a previous release registers, for tests/unit/upgrade.test.ts: every resource's URN, type, name, parent
 * URN and inputs, evaluated under that release's own mocks for each shipped stack.
 *
 * Run from a checkout of the release (its node_modules in place):
 *   cd <checkout> && node -r ts-node/register/transpile-only <this repo>/tests/support/recordRelease.ts <out dir>
 */
import * as fs from "fs";
import * as path from "path";

/** One resource of a previous release, as its mocks recorded it. */
export interface ReleaseResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Empty for the stack's top-level resources. */
    readonly parentUrn: string;
    readonly custom: boolean;
    readonly inputs: Record<string, unknown>;
}

const STACKS = ["dev", "prod"];

/**
 * Where a release keeps its evaluator, relative to the release's checkout (not this one): 0.1.0 in its tests/support,
 * later releases in the twin.
 */
const EVALUATORS = [path.join("twin", "program", "evaluateProgram.ts"), path.join("tests", "support", "program.ts")];

/** Inputs whose value is code or a document, not a setting a later release could keep by alias: left out. */
const OMITTED_INPUTS = new Set(["code", "policy"]);

async function main(): Promise<void> {
    const out = path.resolve(process.argv[2] ?? ".");
    // The release's own evaluateProgram and mocks, from the current directory (the release's checkout).
    const { evaluateProgram } = require(path.resolve(EVALUATORS.find((file) => fs.existsSync(file))!)) as {
        evaluateProgram(options: {
            stack: string;
        }): Promise<{ resources: (ReleaseResource & { inputs: Record<string, unknown> })[] }>;
    };
    for (const stack of STACKS) {
        const run = await evaluateProgram({ stack });
        const resources: ReleaseResource[] = run.resources
            .map((resource) => ({
                urn: resource.urn,
                type: resource.type,
                name: resource.name,
                parentUrn: resource.parentUrn,
                custom: resource.custom,
                inputs: Object.fromEntries(Object.entries(resource.inputs).filter(([key]) => !OMITTED_INPUTS.has(key))),
            }))
            // Code-unit order, as `LC_ALL=C sort` lists them.
            .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
        fs.writeFileSync(path.join(out, `${stack}.json`), JSON.stringify(resources, null, 2) + "\n");
    }
}

if (require.main === module) {
    main().catch((error) => {
        console.error(error);
        process.exit(1);
    });
}
