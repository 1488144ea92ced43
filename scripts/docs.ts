/**
 * `npm run docs [-- --check]`: regenerates Pulumi.yaml's `config:` block (from the key declarations in config/keys/)
 * and README.md's generated sections: the configuration table (from the same, and the stack files), the outputs table
 * (from index.ts's exports and their TSDoc) and the monthly cost of each shipped stack (the program evaluated offline
 * and priced as `npm run plan` does). `--check` writes nothing and exits 1 when either file is out of date (for CI).
 */
import * as path from "path";
import { CommandLine } from "../twin/cli/commandLine";
import { runScript } from "../twin/cli/runScript";
import { isPulumiYamlCurrent, PULUMI_YAML, writePulumiYaml } from "../twin/docs/projectConfig";
import { isReadmeCurrent, README, writeReadme } from "../twin/docs/readmeTables";

const USAGE = `Usage: npm run docs [-- --check]
  --check    do not write Pulumi.yaml or README.md; exit 1 if their generated parts differ from the code (for CI)`;

interface GeneratedPart {
    readonly file: string;
    readonly part: string;
    readonly isCurrent: () => boolean;
    readonly write: () => boolean;
}

async function main(args: CommandLine): Promise<number> {
    // Loaded only now: pricing evaluates the program, which loads Pulumi (seconds), wasted on a usage error.
    const { isCostSectionCurrent, renderCostSection, scalingCost, stackCosts, writeCostSection } =
        await import("../twin/docs/readmeCost");
    const costs = renderCostSection([...(await stackCosts()), await scalingCost()]);
    const parts: GeneratedPart[] = [
        { file: PULUMI_YAML, part: "config: block", isCurrent: isPulumiYamlCurrent, write: writePulumiYaml },
        { file: README, part: "generated tables", isCurrent: isReadmeCurrent, write: writeReadme },
        {
            file: README,
            part: "monthly cost section",
            isCurrent: () => isCostSectionCurrent(costs),
            write: () => writeCostSection(costs),
        },
    ];
    let current = true;
    for (const { file, part, isCurrent, write } of parts) {
        const name = path.relative(process.cwd(), file);
        if (args.check) {
            const upToDate = isCurrent();
            current &&= upToDate;
            console.log(
                `${name}: ${upToDate ? `${part} up to date` : `OUT OF DATE: run npm run docs to regenerate its ${part}`}.`,
            );
        } else {
            console.log(`${name}: ${write() ? `${part} written` : `${part} up to date`}.`);
        }
    }
    return current ? 0 : 1;
}

runScript({ name: "npm run docs", usage: USAGE, options: ["check"], main });
