/**
 * README.md as the front door and docs/ split by reader: what the first screen says, how long each is, no table row
 * twice, and every reference to a document or one of its sections leading somewhere.
 */
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { dollars, stackCosts } from "../../twin/docs/readmeCost";
import { anchors, proseLines, relativeLinks, tableRows } from "../support/markdown";

const ROOT = path.resolve(__dirname, "..", "..");
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const lineCount = (text: string) => text.replace(/\n$/, "").split("\n").length;
const README = read("README.md");
const DOCS = fs
    .readdirSync(path.join(ROOT, "docs"))
    .filter((file) => file.endsWith(".md"))
    .map((file) => `docs/${file}`);

function repeated(rows: readonly string[]): string[] {
    return rows.filter((row, index) => rows.indexOf(row) !== index);
}

describe("README.md as the front door", function () {
    this.timeout(60_000);
    const firstScreen = README.split("\n").slice(0, 45).join("\n");

    it("says on its first screen (45 lines) how to deploy, run locally and test", () => {
        for (const words of [
            "pulumi stack init dev",
            "pulumi config set aws:region",
            "pulumi up",
            "pulumi stack output invokeCommand",
            "fugafuga",
            "npm ci && npm start",
            "npm test",
        ]) {
            expect(firstScreen, `"${words}" in README's first 45 lines`).to.include(words);
        }
    });

    it("shows on its first screen what dev and prod cost a month, as the plan estimates it", async () => {
        const costs = await stackCosts(["dev", "prod"]);
        for (const { stack, estimate } of costs) {
            expect(firstScreen, `${stack}'s monthly cost`).to.match(
                new RegExp(`\\| \`${stack}\` \\|.*\\*\\*\\${dollars(estimate.totalUsd)}\\*\\*`),
            );
        }
    });

    it("is at most 220 lines", () => {
        expect(lineCount(README)).to.be.at.most(220);
    });

    it("has no table row twice", () => {
        expect(repeated(tableRows(README))).to.deep.equal([]);
    });
});

describe("docs/, split by reader", function () {
    it("holds no document over 500 lines", () => {
        const long = DOCS.filter((doc) => lineCount(read(doc)) > 500).map((doc) => `${doc}: ${lineCount(read(doc))}`);
        expect(long).to.deep.equal([]);
    });

    it("repeats no table row of README.md, functions/README.md or another document", () => {
        const rows = ["README.md", "functions/README.md", ...DOCS].flatMap((file) => tableRows(read(file)));
        expect(repeated(rows)).to.deep.equal([]);
    });

    it("links only to files that exist, and to headings those files have", () => {
        const broken: string[] = [];
        for (const file of ["README.md", ...DOCS]) {
            for (const link of relativeLinks(read(file))) {
                const [target, anchor] = link.split("#");
                const resolved = target ? path.join(path.dirname(file), target) : file;
                if (!fs.existsSync(path.join(ROOT, resolved))) broken.push(`${file}: ${link} (no such file)`);
                else if (anchor && resolved.endsWith(".md") && !anchors(read(resolved)).has(anchor))
                    broken.push(`${file}: ${link} (no such heading)`);
            }
        }
        expect(broken).to.deep.equal([]);
    });

    it("has numbered sections that a reference `docs/<file>.md §N` can name, each number once", () => {
        for (const doc of DOCS) {
            const numbers = proseLines(read(doc))
                .map((line) => /^#{2,3} (\d+(?:\.\d+)?)\.? /.exec(line)?.[1])
                .filter((number): number is string => number !== undefined);
            expect(repeated(numbers), doc).to.deep.equal([]);
        }
    });
});
