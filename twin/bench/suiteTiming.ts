/** How long a test suite takes as a contributor runs it (`npm run test:unit`, …), and what it counted. */
import { spawn } from "child_process";
import { performance } from "perf_hooks";

export interface SuiteTiming {
    readonly command: string;
    readonly wallMs: number;
    readonly passing: number;
    readonly failing: number;
    readonly exitCode: number | null;
}

/** Runs `npm run <script>` with mocha's dot reporter and reads mocha's own totals from its output. */
export function timeSuite(script: string, cwd: string, limitMs = 15 * 60_000): Promise<SuiteTiming> {
    return new Promise((resolve, reject) => {
        const start = performance.now();
        const child = spawn("npm", ["run", "--silent", script, "--", "--reporter", "dot", "--no-color"], {
            cwd,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
        const timer = setTimeout(() => child.kill("SIGTERM"), limitMs);
        child.once("error", reject);
        child.once("close", (exitCode) => {
            clearTimeout(timer);
            const count = (word: string): number =>
                [...output.matchAll(new RegExp(`^\\s*(\\d+) ${word}`, "gm"))].reduce((sum, m) => sum + Number(m[1]), 0);
            resolve({
                command: `npm run ${script}`,
                wallMs: Math.round(performance.now() - start),
                passing: count("passing"),
                failing: count("failing"),
                exitCode,
            });
        });
    });
}
