/**
 * `npm run docs [-- --check]`: regenerates README.md's generated sections: the configuration table (from Pulumi.yaml
 * and the stack files), the outputs table (from index.ts's exports and their TSDoc) and the monthly cost of each
 * shipped stack (the program evaluated offline and priced as `npm run plan` does). `--check` writes nothing and exits 1
 * when README.md is out of date (for CI).
 */
import * as path from "path";
import { CommandLine } from "../twin/cli/commandLine";
import { runScript } from "../twin/cli/runScript";
import { isReadmeCurrent, README, writeReadme } from "../twin/docs/readmeTables";

const USAGE = `Usage: npm run docs [-- --check]
  --check    do not write README.md; exit 1 if its generated sections differ from the code (for CI)`;

async function main(args: CommandLine): Promise<number> {
    const name = path.relative(process.cwd(), README);
    // Loaded only now: pricing evaluates the program, which loads Pulumi (seconds), wasted on a usage error.
    const { isCostSectionCurrent, renderCostSection, stackCosts, writeCostSection } =
        await import("../twin/docs/readmeCost");
    const costs = renderCostSection(await stackCosts());
    if (args.check) {
        const current = isReadmeCurrent() && isCostSectionCurrent(costs);
        console.log(
            `${name}: ${current ? "generated sections up to date" : "OUT OF DATE: run npm run docs to regenerate its generated sections"}.`,
        );
        return current ? 0 : 1;
    }
    const changed = [writeReadme(), writeCostSection(costs)].some(Boolean);
    console.log(`${name}: ${changed ? "generated sections written" : "generated sections up to date"}.`);
    return 0;
}

runScript({ name: "npm run docs", usage: USAGE, options: ["check"], main });
