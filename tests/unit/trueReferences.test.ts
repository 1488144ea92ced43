/**
 * Every tracked text file refers only to what a reader of this repository can open: no path of a build machine, no
 * number of an issue tracker the repository does not hold, no style or reference file kept outside it, and no path
 * into the tree that is not there. Recorded data (package-lock.json, tests/fixtures/) is left as it was recorded.
 */
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * Files whose text is data written by tools or recorded from runs, not words anyone wrote; and this file, whose
 * examples are the very references it refuses.
 */
const SKIPPED = [/^package-lock\.json$/, /^tests\/fixtures\//, /^tests\/unit\/trueReferences\.test\.ts$/];

/** Top-level folders a repo-relative path can start with; a path into one of them must exist. */
const TREE_ROOTS = ["bench", "components", "config", "docs", "functions", "policy", "scripts", "tests", "twin"];

export interface Finding {
    readonly line: number;
    readonly kind: string;
    readonly text: string;
}

const MACHINE_PATH = /(?:^|[\s"'`(=:])(\/(?:work|home|root|tmp|Users)\/[\w.-][^\s"'`)]*)/g;
const ISSUE_NUMBER = /\b(?:issues?|PR|pull request)\s+#?\d+\b|(?:^|[\s(])#\d+(?![\w-])/gi;
const OUTSIDE_FILE = /\b(?:STYLE|REFERENCE)\.md\b/g;
const TREE_PATH = new RegExp(`(?<![\\w./@:-])((?:${TREE_ROOTS.join("|")})/[\\w./*{}<>$-]*[\\w*}>-])`, "g");

/** The problems in one file's text; `exists` says whether a repo-relative path is in the tree. */
export function findProblems(text: string, exists: (repoPath: string) => boolean): Finding[] {
    const findings: Finding[] = [];
    text.split("\n").forEach((line, index) => {
        const add = (kind: string, match: string) => findings.push({ line: index + 1, kind, text: match.trim() });
        for (const match of line.matchAll(MACHINE_PATH)) {
            // `/bench/tmp/` in .gitignore and the like are paths inside the repository, not of a machine.
            if (!exists(match[1].replace(/^\//, "").replace(/\/$/, ""))) add("machine path", match[1]);
        }
        for (const match of line.matchAll(ISSUE_NUMBER)) add("issue number", match[0]);
        for (const match of line.matchAll(OUTSIDE_FILE)) add("file outside the repository", match[0]);
        // A path a program builds at run time (`path.resolve("tests/support/program.ts")` in another checkout) is a value,
        // not a reference to this tree.
        if (/\bpath\.(?:resolve|join)\(/.test(line)) return;
        for (const match of line.matchAll(TREE_PATH)) {
            const candidate = match[1].replace(/[.]+$/, "");
            if (isPattern(candidate) || candidate.includes("node_modules") || exists(candidate)) continue;
            add("missing file", candidate);
        }
    });
    return findings;
}

/** A glob, a placeholder or a path made at run time (`tests/unit/*.test.ts`, `twin/plan/x.ts`) is not a reference. */
function isPattern(candidate: string): boolean {
    return /[*{}<>$]/.test(candidate);
}

function trackedTextFiles(): string[] {
    const listed = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" }).split("\0").filter(Boolean);
    return listed.filter((file) => {
        if (SKIPPED.some((pattern) => pattern.test(file))) return false;
        const absolute = path.join(ROOT, file);
        if (!fs.existsSync(absolute)) return false;
        const head = fs.readFileSync(absolute).subarray(0, 8000);
        return !head.includes(0);
    });
}

function existsInTree(tracked: ReadonlySet<string>): (repoPath: string) => boolean {
    const folders = new Set<string>();
    for (const file of tracked) {
        const parts = file.split("/");
        for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join("/"));
    }
    return (repoPath) => {
        const trimmed = repoPath.replace(/\/$/, "");
        // A path with a line or section suffix (`x.ts:12`, `docs/a.md#b`) names the file before it.
        const file = trimmed.replace(/[:#].*$/, "");
        return tracked.has(file) || folders.has(file) || fs.existsSync(path.join(ROOT, file));
    };
}

describe("only true references in tracked files", function () {
    describe("findProblems", function () {
        const exists = (p: string) => ["components/network.ts", "docs", "bench/tmp"].includes(p);

        it("flags a build machine's absolute path but not a path inside the repository", function () {
            expect(findProblems("seed in `/work/shared/seed/x`", exists).map((f) => f.kind)).to.deep.equal([
                "machine path",
            ]);
            expect(findProblems("/bench/tmp/", exists)).to.deep.equal([]);
            expect(findProblems("cat /home/me/.aws/config", exists)).to.have.length(1);
        });

        it("flags issue numbers but not section anchors", function () {
            expect(findProblems("the figures issue 7 asks for", exists)).to.have.length(1);
            expect(findProblems("(terraform-provider-aws #20052)", exists)).to.have.length(1);
            expect(findProblems("[§11](#11-rotating-the-redis-users-passwords)", exists)).to.deep.equal([]);
        });

        it("flags STYLE.md and REFERENCE.md", function () {
            expect(findProblems("named for the client (STYLE.md point 11)", exists)).to.have.length(1);
            expect(findProblems("see REFERENCE.md", exists)).to.have.length(1);
        });

        it("flags a repo path that is not in the tree, and passes one that is, globs and provider paths", function () {
            expect(findProblems("see components/network.ts", exists)).to.deep.equal([]);
            expect(findProblems("see tests/integration/functionAcl.test.ts", exists).map((f) => f.text)).to.deep.equal([
                "tests/integration/functionAcl.test.ts",
            ]);
            expect(findProblems("run tests/unit/*.test.ts", exists)).to.deep.equal([]);
            expect(findProblems("internal/service/elasticache/replication_group.go", exists)).to.deep.equal([]);
            expect(findProblems("node_modules/@pulumi/aws/index.d.ts", exists)).to.deep.equal([]);
        });
    });

    it("no tracked text file names a machine path, an issue number, an outside file or a missing path", function () {
        const files = trackedTextFiles();
        const exists = existsInTree(new Set(files));
        const problems = files.flatMap((file) =>
            findProblems(fs.readFileSync(path.join(ROOT, file), "utf8"), exists).map(
                (finding) => `${file}:${finding.line}: ${finding.kind}: ${finding.text}`,
            ),
        );
        expect(files.length, "tracked text files").to.be.above(50);
        expect(problems).to.deep.equal([]);
    });
});
