import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as zlib from "zlib";
import { EvaluateOptions, onlyResourceOfType, ProgramRun } from "../program/evaluateProgram";
import { evaluateProgramOnce } from "../program/evaluationCache";
import { unwrapSecret } from "../program/secrets";
import { ProgramRedisUser, programRedisUsers } from "../cluster/redisUsers";

/** The Lambda deployment package the program builds, written to disk. */
export interface LambdaArchive {
    /** Directory holding `__index.js` and `node_modules/`, nothing else. */
    readonly dir: string;
    /** The function's `handler` setting: `<file>.<export>` relative to `dir`. */
    readonly handler: string;
    /** The function's declared runtime, e.g. `nodejs22.x`. */
    readonly runtime: string;
    /** The function's environment variables as the program sets them, secrets unwrapped. */
    readonly environment: Readonly<Record<string, string>>;
    /** The Redis users the same evaluation declares (authMode rbac, iam); empty for token or no authentication. */
    readonly redisUsers: readonly ProgramRedisUser[];
    /** Every file's path relative to `dir`. */
    readonly files: readonly string[];
    readonly unzippedBytes: number;
    /** Size of the zip Pulumi would upload: every file deflated plus zip headers. */
    readonly zippedBytes: number;
    /** Deletes `dir`. */
    remove(): void;
}

/**
 * Evaluates the real program under mocks and writes the `CallbackFunction`'s code archive — the text Pulumi serialized
 * and the packages it chose — to a fresh temporary directory, so it can run in a bare Node process.
 */
export async function writeLambdaArchive(options: EvaluateOptions = { stack: "dev" }): Promise<LambdaArchive> {
    // Read only: an archive of a configuration this process evaluated already reuses that evaluation.
    return writeArchiveOf(await evaluateProgramOnce(options));
}

/** The same, from an evaluation already made (e.g. the one a plan made of the program's graph). */
export async function writeArchiveOf(run: Pick<ProgramRun, "resources">): Promise<LambdaArchive> {
    const fn = onlyResourceOfType(run, "aws:lambda/function:Function");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-archive-"));
    const assets = (await fn.inputs.code.assets) as Record<string, unknown>;
    for (const [name, asset] of Object.entries(assets)) {
        await writeAsset(path.join(dir, name), asset);
    }
    const environment = functionEnvironment(run);
    const files = listFiles(dir);
    return {
        dir,
        handler: fn.inputs.handler,
        runtime: fn.inputs.runtime,
        environment,
        redisUsers: programRedisUsers(run),
        files,
        unzippedBytes: files.reduce((sum, file) => sum + fs.statSync(path.join(dir, file)).size, 0),
        zippedBytes: zippedSize(dir, files),
        remove: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}

/** The function's environment variables as the program sets them, secrets unwrapped. */
export function functionEnvironment(run: Pick<ProgramRun, "resources">): Record<string, string> {
    const fn = onlyResourceOfType(run, "aws:lambda/function:Function");
    const environment: Record<string, string> = {};
    // The token makes the whole environment block a secret on the wire.
    const variables = unwrapSecret(unwrapSecret(fn.inputs.environment).value?.variables).value ?? {};
    for (const [key, value] of Object.entries(variables)) {
        environment[key] = String(unwrapSecret(value).value);
    }
    return environment;
}

async function writeAsset(destination: string, asset: unknown): Promise<void> {
    const value = asset as { text?: Promise<string>; path?: Promise<string> };
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    if (value.text !== undefined) {
        fs.writeFileSync(destination, await value.text);
        return;
    }
    if (value.path !== undefined) {
        // A FileArchive (a package directory) or a FileAsset (a single file), as computeCodePaths chose.
        fs.cpSync(path.resolve(await value.path), destination, { recursive: true, dereference: true });
        return;
    }
    throw new Error(`unexpected asset in the Lambda archive at ${destination}`);
}

function listFiles(dir: string, prefix = ""): string[] {
    return fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
        const relative = path.join(prefix, entry.name);
        return entry.isDirectory() ? listFiles(dir, relative) : [relative];
    });
}

/** Local header (30) + central directory entry (46) + the name twice per file, plus the end record (22). */
function zippedSize(dir: string, files: readonly string[]): number {
    return files.reduce((sum, file) => {
        const raw = fs.readFileSync(path.join(dir, file));
        const deflated = zlib.deflateRawSync(raw).length;
        return sum + 30 + 46 + 2 * Buffer.byteLength(file) + Math.min(deflated, raw.length);
    }, 22);
}
