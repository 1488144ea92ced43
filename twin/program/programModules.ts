/**
 * The program's own modules (index.ts, components/, config/, functions/), loaded afresh for every evaluation so that
 * each one runs index.ts from the top with new Pulumi runtime state. Only their JavaScript is reused: ts-node would
 * transpile the same files again on every load, which was about a fifth of a warm evaluation.
 */
import * as fs from "fs";

// Shared with the TypeScript loader (register.cjs), which is plain JavaScript.
const programFiles = require("../programFiles.cjs") as {
    readonly programEntry: string;
    isProgramFile(file: string): boolean;
};
export const PROGRAM_ENTRY = programFiles.programEntry;

type ModuleLoader = (
    module: NodeJS.Module & { _compile(code: string, filename: string): unknown },
    file: string,
) => void;

/** JavaScript by file, with the TypeScript it came from: an edited file is transpiled again. */
const transpiled = new Map<string, { source: string; javascript: string }>();
let installed = false;

export const isProgramModule: (file: string) => boolean = programFiles.isProgramFile;

/** Drops the program's modules from the require cache; packages (`@pulumi/aws`, …) stay loaded. */
export function forgetProgramModules(): void {
    for (const file of Object.keys(require.cache)) if (isProgramModule(file)) delete require.cache[file];
}

/**
 * Wraps the `.ts` loader (ts-node's, when it is registered) so that a program module whose source is unchanged gets
 * the JavaScript its first load produced. ts-node keeps that file's source map, so stack traces still point into the
 * TypeScript. Without a `.ts` loader (compiled JavaScript) there is nothing to reuse.
 */
export function reuseTranspiledProgramModules(): void {
    const extensions = require.extensions as unknown as Record<string, ModuleLoader | undefined>;
    const typescriptLoader = extensions[".ts"];
    if (installed || !typescriptLoader) return;
    installed = true;
    extensions[".ts"] = (module, file) => {
        if (!isProgramModule(file)) return typescriptLoader(module, file);
        const source = fs.readFileSync(file, "utf8");
        const known = transpiled.get(file);
        if (known?.source === source) {
            module._compile(known.javascript, file);
            return;
        }
        // ts-node calls the module's own `_compile` with the JavaScript it produced: keep it on the way.
        const compile = module._compile;
        module._compile = function (javascript: string, filename: string) {
            transpiled.set(file, { source, javascript });
            return compile.call(this, javascript, filename);
        };
        typescriptLoader(module, file);
    };
}
