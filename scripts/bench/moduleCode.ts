/**
 * The handler's own source (`functions/`), transpiled to plain CommonJS modules and loaded with `require`, beside a
 * link to the archive's node_modules: the same code as the archive's minus Pulumi's closure serialization. Two entry
 * points: the program's factory as is, and the same handler with its per-invocation log line switched off. Measured
 * next to the archive and bare ioredis, they split the handler's overhead into serialization, log line and logic.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as ts from "typescript";
import type { LambdaArchive } from "../../tests/support/lambdaArchive";
import { FunctionCode } from "./localTarget";

const FUNCTIONS_DIR = path.resolve(__dirname, "..", "..", "functions");

export interface ModuleCodeDir {
    /** `createSetGetHandler()`, exactly what the program's factory calls. */
    readonly code: FunctionCode;
    /** The same client and handler, with a log function that drops the line. */
    readonly withoutLogLine: FunctionCode;
    remove(): void;
}

const WITHOUT_LOG_LINE = `"use strict";
const { Cluster } = require("ioredis");
const { readHandlerSettings } = require("./functions/environment");
const { redisClusterOptions } = require("./functions/redisClusterOptions");
const { createHandler } = require("./functions/setGetHandler");
const settings = readHandlerSettings(process.env);
const cluster = new Cluster([{ host: settings.host, port: settings.port }], redisClusterOptions(settings));
cluster.on("error", () => undefined);
cluster.on("node error", () => undefined);
exports.handler = createHandler(cluster, settings.durableWrites, () => undefined);
`;

export function writeModuleCode(archive: LambdaArchive, labels: { readonly code: string; readonly withoutLogLine: string }): ModuleCodeDir {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-module-"));
    fs.mkdirSync(path.join(dir, "functions"));
    for (const file of fs.readdirSync(FUNCTIONS_DIR).filter((name) => name.endsWith(".ts"))) {
        const source = fs.readFileSync(path.join(FUNCTIONS_DIR, file), "utf8");
        const { outputText } = ts.transpileModule(source, {
            compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
            fileName: file,
        });
        fs.writeFileSync(path.join(dir, "functions", file.replace(/\.ts$/, ".js")), outputText);
    }
    fs.writeFileSync(path.join(dir, "index.js"), 'exports.handler = require("./functions/setGetHandler").createSetGetHandler();\n');
    fs.writeFileSync(path.join(dir, "quiet.js"), WITHOUT_LOG_LINE);
    fs.symlinkSync(path.join(archive.dir, "node_modules"), path.join(dir, "node_modules"), "dir");
    return {
        code: { label: labels.code, dir, entryFile: "index.js", exportName: "handler" },
        withoutLogLine: { label: labels.withoutLogLine, dir, entryFile: "quiet.js", exportName: "handler" },
        remove: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}
