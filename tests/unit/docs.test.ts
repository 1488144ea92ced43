/**
 * README.md's generated sections: current with the code, and generated from it (a new key or output just appears; the
 * monthly cost is the plan's).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";
import { isReadmeCurrent, renderConfigurationTable, renderReadme, stackOutputs } from "../../twin/docs/readmeTables";
import {
    COST_MARKERS,
    dollars,
    isCostSectionCurrent,
    renderCostSection,
    stackCosts,
    withCostSection,
} from "../../twin/docs/readmeCost";

const ROOT = path.resolve(__dirname, "..", "..");

/** A copy of the project's Pulumi.yaml, stack files and index.ts in a temp dir, to change without touching the repo. */
function projectCopy(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "docs-test-"));
    for (const file of fs
        .readdirSync(ROOT)
        .filter((name) => /^Pulumi(\..+)?\.yaml$/.test(name) || name === "index.ts" || name === "README.md")) {
        fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
    }
    return dir;
}

describe("README.md's generated tables (npm run docs)", function () {
    this.timeout(60_000);

    it("are current: npm run docs -- --check passes on the committed README.md", () => {
        expect(isReadmeCurrent(), "README.md is out of date: run npm run docs").to.equal(true);
    });

    it("pick up a new config key with its type, default, description and a stack's own value", () => {
        const dir = projectCopy();
        try {
            fs.appendFileSync(
                path.join(dir, "Pulumi.yaml"),
                "  newKnob:\n    type: integer\n    default: 3\n    description: A knob <n> | added later.\n",
            );
            fs.appendFileSync(path.join(dir, "Pulumi.prod.yaml"), "  redis-cluster:newKnob: 5\n");
            const table = renderConfigurationTable(dir);
            expect(table[table.length - 1]).to.equal(
                "| `newKnob` | integer | `3` | prod: `5` | A knob &lt;n&gt; \\| added later. |",
            );
            expect(renderReadme(fs.readFileSync(path.join(dir, "README.md"), "utf8"), dir)).to.include("| `newKnob` |");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses a config key without a description and an export without a TSDoc comment, naming it", () => {
        const dir = projectCopy();
        try {
            fs.appendFileSync(path.join(dir, "Pulumi.yaml"), "  silentKey:\n    type: string\n");
            expect(() => renderConfigurationTable(dir)).to.throw(/config key silentKey has no description/);
            fs.appendFileSync(path.join(dir, "index.ts"), "\nexport const undocumented = port;\n");
            expect(() => stackOutputs(dir)).to.throw(/export undocumented has no TSDoc comment/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("list exactly the outputs the program exports", async () => {
        const run = await evaluateProgramOnce({ stack: "dev" });
        expect(stackOutputs().map((output) => output.name)).to.have.members(Object.keys(run.outputs));
    });

    it("hold the monthly cost of dev and prod as the plan estimates it: npm run docs -- --check passes", async () => {
        const costs = await stackCosts();
        expect(costs.map((cost) => cost.stack)).to.deep.equal(["dev", "prod"]);
        expect(isCostSectionCurrent(renderCostSection(costs)), "README.md is out of date: run npm run docs").to.equal(
            true,
        );
    });

    it("write a stack's total in dollars with thousands separated, and refuse a README without the cost markers", () => {
        expect([31.37, 1446.63, 1234567.5, 0].map(dollars)).to.deep.equal([
            "$31.37",
            "$1,446.63",
            "$1,234,567.50",
            "$0.00",
        ]);
        const section = ["| a |"];
        expect(withCostSection(`x\n${COST_MARKERS.begin}\nold\n${COST_MARKERS.end}\ny`, section)).to.equal(
            `x\n${COST_MARKERS.begin}\n| a |\n${COST_MARKERS.end}\ny`,
        );
        expect(() => withCostSection("no markers here", section)).to.throw(/monthly cost.*markers are missing/s);
    });
});
