/** Times `npm run test:unit` as a person runs it, and records whether it passed. */
import * as path from "path";
import { runCommand } from "../../tests/support/runCommand";
import { round } from "./stats";

export interface UnitSuiteRun {
    readonly command: string;
    readonly wallMs: number;
    readonly exitCode: number | null;
    readonly passing: number;
    readonly failing: number;
    readonly pending: number;
}

export async function timeUnitSuite(timeoutMs = 900_000): Promise<UnitSuiteRun> {
    // npm passes SIGTERM on to mocha, so a timeout or an aborted benchmark stops the whole suite.
    const run = await runCommand("npm", ["run", "--silent", "test:unit"], {
        cwd: path.resolve(__dirname, "..", ".."),
        env: { FORCE_COLOR: "0" },
        timeoutMs,
        killSignal: "SIGTERM",
    });
    const output = run.stdout + run.stderr;
    const count = (word: string): number => Number(new RegExp(`(\\d+) ${word}`).exec(output)?.[1] ?? 0);
    return {
        command: "npm run test:unit",
        wallMs: round(run.ms, 0),
        exitCode: run.code,
        passing: count("passing"),
        failing: count("failing"),
        pending: count("pending"),
    };
}
