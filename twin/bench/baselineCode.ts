/** Puts the bare-ioredis baseline next to the handler archive's packages, so both load the same ioredis. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { LambdaArchive } from "../archive/lambdaArchive";
import { FunctionCode } from "./localTarget";

export interface BaselineDir {
    /** SET and GET in one pipeline, as the handler sends them. */
    readonly pipelined: FunctionCode;
    /** SET, await, GET. */
    readonly sequential: FunctionCode;
    remove(): void;
}

export function writeBaseline(
    archive: LambdaArchive,
    labels: { readonly pipelined: string; readonly sequential: string },
): BaselineDir {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-baseline-"));
    fs.copyFileSync(path.join(__dirname, "baselineHandler.cjs"), path.join(dir, "baseline.js"));
    fs.symlinkSync(path.join(archive.dir, "node_modules"), path.join(dir, "node_modules"), "dir");
    return {
        pipelined: { label: labels.pipelined, dir, entryFile: "baseline.js", exportName: "pipelined" },
        sequential: { label: labels.sequential, dir, entryFile: "baseline.js", exportName: "sequential" },
        remove: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}
