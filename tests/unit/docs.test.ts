/**
 * README.md's generated sections and Pulumi.yaml's `config:` block: current with the code, and generated from it (a
 * new key or output just appears; the monthly cost is the plan's).
 */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";
import { parse } from "yaml";
import { CONFIG_KEYS, declarationOf } from "../../config/keys";
import { boolean } from "../../config/keys/declaration";
import { isPulumiYamlCurrent, projectConfig, renderPulumiYaml } from "../../twin/docs/projectConfig";
import { isReadmeCurrent, renderConfigurationTable, renderReadme, stackOutputs } from "../../twin/docs/readmeTables";
import {
    COST_MARKERS,
    dollars,
    isCostSectionCurrent,
    renderCostSection,
    scalingCost,
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
            const config = {
                ...projectConfig(),
                newKnob: { type: "integer", default: 3, description: "A knob <n> | added later." } as const,
            };
            fs.appendFileSync(path.join(dir, "Pulumi.prod.yaml"), "  redis-cluster:newKnob: 5\n");
            const table = renderConfigurationTable(dir, config);
            expect(table[table.length - 1]).to.equal(
                "| `newKnob` | integer | `3` | prod: `5` | A knob &lt;n&gt; \\| added later. |",
            );
            expect(renderReadme(fs.readFileSync(path.join(dir, "README.md"), "utf8"), dir)).to.include(
                "| `alarmEmail` |",
            );
            expect(
                parse(renderPulumiYaml(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"), config)).config.newKnob,
            ).to.deep.equal({ type: "integer", default: 3, description: "A knob <n> | added later." });
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses a config key without a description and an export without a TSDoc comment, naming it", () => {
        const dir = projectCopy();
        try {
            const silent = boolean({
                default: false,
                description: " ",
                change: { label: () => "false → true", to: () => ({ silentKey: "true" }), note: "" },
                rehearsal: "shown",
            });
            expect(() => projectConfig([["silentKey", silent]])).to.throw(/silentKey has no description/);
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

    it("hold the monthly cost of dev and prod, and of prod scaling its shards, as the plan estimates it: npm run docs -- --check passes", async () => {
        const scaling = await scalingCost();
        const costs = [...(await stackCosts()), scaling];
        expect(costs.map((cost) => cost.stack)).to.deep.equal(["dev", "prod", "prod"]);
        // The scaled row: the minimum is what the program registers (prod's 3 × 2), the maximum 5 shards of the same.
        expect(scaling.estimate.totalUsd).to.be.closeTo(costs[1].estimate.totalUsd, 1e-6);
        expect(scaling.maximum?.shape).to.equal("5 shards × 2 replicas");
        expect(scaling.maximum!.estimate.totalUsd).to.be.greaterThan(scaling.estimate.totalUsd * 1.5);
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

describe("Pulumi.yaml's config: block (npm run docs)", () => {
    const file = path.join(ROOT, "Pulumi.yaml");

    it("is current: it declares exactly the keys of config/keys/, in order, with their type, default and description", () => {
        expect(isPulumiYamlCurrent(), "Pulumi.yaml is out of date: run npm run docs").to.equal(true);
        const declared = parse(fs.readFileSync(file, "utf8")).config;
        expect(Object.keys(declared)).to.deep.equal(CONFIG_KEYS);
        expect(declared).to.deep.equal(projectConfig());
    });

    it("is out of date when a declaration and Pulumi.yaml disagree, and regenerating keeps everything else", () => {
        const current = fs.readFileSync(file, "utf8");
        const edited = current.replace(/(\n {2}port:\n(?: {4}.*\n)*? {4}default: )6379/, "$16380");
        expect(edited).to.not.equal(current);
        expect(renderPulumiYaml(edited)).to.equal(current);
        const withComment = current.replace("\nconfig:", "\n# kept\nconfig:") + "# trailing, kept\n";
        expect(renderPulumiYaml(withComment)).to.equal(withComment);
        expect(declarationOf("port").default).to.equal(6379);
    });
});
