/**
 * The TypeScript loader of the twin, its scripts and the tests (`node -r ./twin/register.cjs`, mocha's `require`).
 *
 * Two transpilers, chosen by file:
 * - the program's own files (index.ts, components/, config/, functions/) go through TypeScript, as `pulumi up`'s
 *   ts-node transpiles them, so the closure Pulumi serializes here is the JavaScript it serializes there;
 * - everything else (twin/, scripts/, tests/) goes through swc, which starts a script in about a third of the CPU time.
 * Both are transpile-only: `npm run typecheck` is where types are checked. Each keeps its source maps, so stack traces
 * point into the TypeScript either way.
 */
"use strict";
const fs = require("fs");
const path = require("path");
const tsNode = require("ts-node");

const { isProgramFile } = require("./programFiles.cjs");

const project = path.join(path.resolve(__dirname, ".."), "tsconfig.json");

const typescript = tsNode.create({ project, transpileOnly: true });
const swc = tsNode.create({ project, transpileOnly: true, swc: true });

require.extensions[".ts"] = (module, file) => {
    const service = isProgramFile(file) ? typescript : swc;
    module._compile(service.compile(fs.readFileSync(file, "utf8"), file), file);
};
