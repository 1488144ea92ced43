/**
 * `npm run guide [-- --check]`: regenerates docs/changing.md §1's safe-change table from the provider model
 * (twin/plan/safeChangeGuide.ts): the real program evaluated under mocks on dev and prod before and after each change.
 * With `--check`, writes nothing and exits 1 when the committed table is out of date (for CI). About a minute.
 */
import * as path from "path";
import { isGuideCurrent, judgeEveryChange, CHANGING_DOC, renderTable, writeGuide } from "../twin/plan/safeChangeGuide";

async function main(): Promise<number> {
    const check = process.argv.slice(2).includes("--check");
    const table = renderTable(await judgeEveryChange());
    const doc = path.relative(process.cwd(), CHANGING_DOC);
    if (check) {
        const current = isGuideCurrent(table);
        console.log(
            `${doc}: safe-change table ${current ? "up to date" : "OUT OF DATE: run npm run guide to regenerate it"}.`,
        );
        return current ? 0 : 1;
    }
    console.log(`${doc}: safe-change table ${writeGuide(table) ? "written" : "up to date"}.`);
    return 0;
}

main().then(
    (code) => process.exit(code),
    (error) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    },
);
