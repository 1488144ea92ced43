/** Times `npm run test:unit` as a person runs it, and records whether it passed. */
import { spawn } from "child_process";
import * as path from "path";
import { performance } from "perf_hooks";
import { round } from "./stats";

export interface UnitSuiteRun {
    readonly command: string;
    readonly wallMs: number;
    readonly exitCode: number | null;
    readonly passing: number;
    readonly failing: number;
    readonly pending: number;
}

export function timeUnitSuite(timeoutMs = 900_000): Promise<UnitSuiteRun> {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        // npm passes SIGTERM on to mocha, so a timeout or an aborted benchmark stops the whole suite.
        const child = spawn("npm", ["run", "--silent", "test:unit"], {
            cwd: path.resolve(__dirname, "..", ".."),
            stdio: ["ignore", "pipe", "pipe"],
            env: { ...process.env, FORCE_COLOR: "0" },
        });
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
        const onExit = () => child.kill("SIGTERM");
        process.once("exit", onExit);
        child.once("error", reject);
        child.once("exit", (code) => {
            clearTimeout(timer);
            process.off("exit", onExit);
            const count = (word: string): number => Number(new RegExp(`(\\d+) ${word}`).exec(output)?.[1] ?? 0);
            resolve({
                command: "npm run test:unit",
                wallMs: round(performance.now() - started, 0),
                exitCode: code,
                passing: count("passing"),
                failing: count("failing"),
                pending: count("pending"),
            });
        });
    });
}
