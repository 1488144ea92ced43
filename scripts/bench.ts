/**
 * `npm run bench [-- --quick] [-- --out <file>] [-- --wait-load <n>]`: what the handler costs per call, measured side
 * by side with bare ioredis on a local 3×1 TLS + AUTH Redis Cluster (no cloud). Prints a table and writes
 * bench/results.json. See scripts/bench/benchRun.ts for what is measured and how.
 */
import * as fs from "fs";
import * as path from "path";
import { FULL_SETTINGS, QUICK_SETTINGS, runBench } from "./bench/benchRun";
import { renderBenchTable } from "./bench/benchTable";
import { parseBenchCommandLine, UsageError } from "./bench/cliOptions";
import { loadAverage, waitForQuietMachine } from "./bench/machine";
import { step } from "./lib/progress";

const USAGE = `Usage: npm run bench [-- --quick] [-- --out <file>] [-- --wait-load <n>]
  --quick      a tiny run of every step (seconds); its figures mean nothing
  --out        where to write the JSON; default bench/results.json
  --wait-load  first wait (up to 15 min) for the 1-minute load average to drop below <n>`;

const DEFAULT_OUT = path.resolve(__dirname, "..", "bench", "results.json");

async function main(): Promise<number> {
    const args = parseBenchCommandLine(process.argv.slice(2));
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    if (args.waitLoad !== undefined && !(await waitForQuietMachine(args.waitLoad, 15 * 60_000, step))) {
        step(`the load average is still ${loadAverage().join(" ")} after 15 min; measuring anyway (it is recorded)`);
    }
    const results = await runBench(args.quick ? QUICK_SETTINGS : FULL_SETTINGS, step, args.quick);
    const out = path.resolve(args.out ?? DEFAULT_OUT);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\n${renderBenchTable(results)}\n`);
    step(`wrote ${path.relative(process.cwd(), out)}`);
    return 0;
}

main().then(
    (code) => process.exit(code),
    (error: Error) => {
        console.error(error instanceof UsageError ? `${error.message}\n${USAGE}` : `bench failed: ${error.stack ?? error.message}`);
        process.exit(error instanceof UsageError ? 2 : 1);
    },
);
