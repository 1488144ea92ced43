/**
 * `npm run resilience [-- --quick] [-- --out <file>] [-- --doc <file>] [-- --wait-load <n>]`: what happens to calls
 * when a node fails, on a local 3×1 TLS + AUTH Redis Cluster under a steady load (no cloud). Writes
 * bench/resilience.json and docs/resilience.md. See twin/bench/resilienceScenarios.ts for the faults.
 */
import * as fs from "fs";
import * as path from "path";
import { CommandLine, UsageError } from "../twin/cli/commandLine";
import { runScript } from "../twin/cli/runScript";
import { loadAverage, waitForQuietMachine } from "../twin/bench/machine";
import { renderResilienceDoc } from "../twin/bench/resilienceDoc";
import { FULL_RESILIENCE, QUICK_RESILIENCE, runResilience } from "../twin/bench/resilienceRun";
import { SCENARIOS, ScenarioName } from "../twin/bench/resilienceScenarios";
import { step } from "../twin/cli/progress";

const USAGE = `Usage: npm run resilience [-- --quick] [-- --out <file>] [-- --doc <file>] [-- --wait-load <n>]
  --quick      shorter load windows (seconds each); the figures are not worth keeping
  --out        where to write the JSON; default bench/resilience.json
  --doc        where to write the report; default docs/resilience.md
  --wait-load  first wait (up to 15 min) for the 1-minute load average to drop below <n>
  RESILIENCE_SCENARIOS=kill,hang  run only these (of ${SCENARIOS.join(", ")})`;

const ROOT = path.resolve(__dirname, "..");

function scenariosFromEnvironment(): ScenarioName[] | undefined {
    const text = process.env.RESILIENCE_SCENARIOS?.trim();
    if (!text) return undefined;
    const names = text.split(",").map((name) => name.trim());
    const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
    if (unknown.length > 0)
        throw new UsageError(
            `RESILIENCE_SCENARIOS: unknown ${unknown.join(", ")}; choose from ${SCENARIOS.join(", ")}`,
        );
    return names as ScenarioName[];
}

async function main(args: CommandLine): Promise<number> {
    const scenarios = scenariosFromEnvironment();
    if (args.waitLoad !== undefined && !(await waitForQuietMachine(args.waitLoad, 15 * 60_000, step))) {
        step(`the load average is still ${loadAverage().join(" ")} after 15 min; measuring anyway (it is recorded)`);
    }
    const results = await runResilience(args.quick ? QUICK_RESILIENCE : FULL_RESILIENCE, step, {
        quick: args.quick,
        scenarios,
    });
    const out = path.resolve(args.out ?? path.join(ROOT, "bench", "resilience.json"));
    const doc = path.resolve(args.doc ?? path.join(ROOT, "docs", "resilience.md"));
    for (const file of [out, doc]) fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    const markdown = renderResilienceDoc(results, path.relative(path.dirname(doc), out));
    fs.writeFileSync(doc, markdown);
    console.log(`\n${markdown.split("\n## ")[1]?.split("\n").slice(1).join("\n").trim() ?? ""}\n`);
    step(`wrote ${path.relative(process.cwd(), out)} and ${path.relative(process.cwd(), doc)}`);
    return 0;
}

runScript({ name: "npm run resilience", usage: USAGE, options: ["quick", "out", "doc", "wait-load"], main });
