/**
 * `npm run bench:tests [-- --quick] [-- --out <file>]`: how fast the feedback loop is. Times one evaluation of the dev
 * stack (cold and warm), then `npm run test:unit` and `npm run test:integration` as a contributor runs them, and writes
 * the figures under `tests` in bench/results.json, leaving `npm run bench`'s fields as they are. Timings live here,
 * never in a test's assertion.
 */
import * as fs from "fs";
import * as path from "path";
import { timeEvaluations } from "../twin/bench/evaluationTiming";
import { loadAverage, machineInfo } from "../twin/bench/machine";
import { timeSuite } from "../twin/bench/suiteTiming";
import { CommandLine } from "../twin/cli/commandLine";
import { step } from "../twin/cli/progress";
import { runScript } from "../twin/cli/runScript";

const USAGE = `Usage: npm run bench:tests [-- --quick] [-- --out <file>]
  --quick  the evaluation figures only (seconds); the suites' figures of the last full run are kept
  --out    the results file to add them to; default bench/results.json`;

const ROOT = path.resolve(__dirname, "..");
const DEFAULT_OUT = path.join(ROOT, "bench", "results.json");
const WARM_RUNS = 10;

async function main(args: CommandLine): Promise<number> {
    const start = loadAverage();
    step(`evaluating the dev stack once cold and ${WARM_RUNS} times warm`);
    const evaluation = await timeEvaluations("dev", WARM_RUNS);
    step(`cold ${evaluation.coldMs} ms, warm p50 ${evaluation.warm.p50Ms} ms`);
    const suites = [];
    if (!args.quick) {
        for (const script of ["test:unit", "test:integration"]) {
            step(`npm run ${script}`);
            const timing = await timeSuite(script, ROOT);
            step(`${timing.passing} passing, ${timing.failing} failing in ${(timing.wallMs / 1000).toFixed(1)} s`);
            suites.push(timing);
        }
    }
    const out = path.resolve(args.out ?? DEFAULT_OUT);
    const results = fs.existsSync(out) ? (JSON.parse(fs.readFileSync(out, "utf8")) as Record<string, unknown>) : {};
    const previous = (results.tests ?? {}) as { suites?: unknown };
    const measured = { at: new Date().toISOString(), loadAverage: { start, end: loadAverage() } };
    results.tests = {
        machine: machineInfo(),
        evaluation: { ...measured, ...evaluation },
        // --quick times no suite: the last full run's figures stay, with their own date and load.
        suites: args.quick ? previous.suites : { ...measured, runs: suites },
    };
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    step(`wrote the tests section of ${path.relative(process.cwd(), out)}`);
    return suites.some((suite) => suite.failing > 0 || suite.exitCode !== 0) ? 1 : 0;
}

runScript({ name: "npm run bench:tests", usage: USAGE, options: ["quick", "out"], main });
