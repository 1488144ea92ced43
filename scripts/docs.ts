/**
 * `npm run docs [-- --check]`: regenerates Pulumi.yaml's `config:` block (from the key declarations in config/keys/)
 * and README.md's configuration table (from the same, and the stack files) and outputs table (from index.ts's exports
 * and their TSDoc). `--check` writes nothing and exits 1 when either file is out of date (for CI).
 */
import * as path from "path";
import { CommandLine } from "../twin/cli/commandLine";
import { runScript } from "../twin/cli/runScript";
import { isPulumiYamlCurrent, PULUMI_YAML, writePulumiYaml } from "../twin/docs/projectConfig";
import { isReadmeCurrent, README, writeReadme } from "../twin/docs/readmeTables";

const USAGE = `Usage: npm run docs [-- --check]
  --check    do not write Pulumi.yaml or README.md; exit 1 if their generated parts differ from the code (for CI)`;

const FILES = [
    { file: PULUMI_YAML, part: "config: block", isCurrent: isPulumiYamlCurrent, write: writePulumiYaml },
    { file: README, part: "generated tables", isCurrent: isReadmeCurrent, write: writeReadme },
];

async function main(args: CommandLine): Promise<number> {
    let current = true;
    for (const { file, part, isCurrent, write } of FILES) {
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
