/**
 * `npm run bench [-- --quick] [-- --out <file>] [-- --wait-load <n>]`: what the handler costs per call, measured side
 * by side with bare ioredis on a local 3×1 TLS + AUTH Redis Cluster (no cloud). Prints a table and writes
 * bench/results.json. See twin/bench/benchRun.ts for what is measured and how.
 */
import * as fs from "fs";
import * as path from "path";
import { FULL_SETTINGS, QUICK_SETTINGS, runBench } from "../twin/bench/benchRun";
import { renderBenchTable } from "../twin/bench/benchTable";
import { CommandLine } from "../twin/cli/commandLine";
import { runScript } from "../twin/cli/runScript";
import { loadAverage, waitForQuietMachine } from "../twin/bench/machine";
import { step } from "../twin/cli/progress";

const USAGE = `Usage: npm run bench [-- --quick] [-- --out <file>] [-- --wait-load <n>]
  --quick      a tiny run of every step (seconds); its figures mean nothing
  --out        where to write the JSON; default bench/results.json
  --wait-load  first wait (up to 15 min) for the 1-minute load average to drop below <n>`;

const DEFAULT_OUT = path.resolve(__dirname, "..", "bench", "results.json");

async function main(args: CommandLine): Promise<number> {
    if (args.waitLoad !== undefined && !(await waitForQuietMachine(args.waitLoad, 15 * 60_000, step))) {
        step(`the load average is still ${loadAverage().join(" ")} after 15 min; measuring anyway (it is recorded)`);
    }
    const results = await runBench(args.quick ? QUICK_SETTINGS : FULL_SETTINGS, step, args.quick);
    const out = path.resolve(args.out ?? DEFAULT_OUT);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    // `npm run bench:tests` keeps its figures in the same file: a new handler run does not drop them.
    const previous = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, "utf8")) as { tests?: unknown }) : {};
    fs.writeFileSync(out, `${JSON.stringify({ ...results, tests: previous.tests }, null, 2)}\n`);
    console.log(`\n${renderBenchTable(results)}\n`);
    step(`wrote ${path.relative(process.cwd(), out)}`);
    return 0;
}

runScript({ name: "npm run bench", usage: USAGE, options: ["quick", "out", "wait-load"], main });
