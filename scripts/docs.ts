/**
 * `npm run docs [-- --check]`: regenerates README.md's configuration table (from Pulumi.yaml and the stack files) and
 * outputs table (from index.ts's exports and their TSDoc). `--check` writes nothing and exits 1 when README.md is out
 * of date (for CI).
 */
import * as path from "path";
import { CommandLine } from "../twin/cli/commandLine";
import { runScript } from "../twin/cli/runScript";
import { isReadmeCurrent, README, writeReadme } from "../twin/docs/readmeTables";

const USAGE = `Usage: npm run docs [-- --check]
  --check    do not write README.md; exit 1 if its generated tables differ from the code (for CI)`;

async function main(args: CommandLine): Promise<number> {
    const name = path.relative(process.cwd(), README);
    if (args.check) {
        const current = isReadmeCurrent();
        console.log(
            `${name}: ${current ? "generated tables up to date" : "OUT OF DATE: run npm run docs to regenerate its tables"}.`,
        );
        return current ? 0 : 1;
    }
    console.log(`${name}: ${writeReadme() ? "tables written" : "tables up to date"}.`);
    return 0;
}

runScript({ name: "npm run docs", usage: USAGE, options: ["check"], main });
