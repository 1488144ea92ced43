/**
 * README's configuration and outputs tables, generated from what the code declares — the configuration from the key
 * declarations in config/keys/ (type, default, description; Pulumi.yaml's `config:` block is generated from the same)
 * and the stack files (each stack's own values), the outputs from index.ts's
 * exported constants and their TSDoc comments — between marker comments, so they cannot drift from the code
 * (terraform-docs does the same for modules). `npm run docs` writes them; `npm run docs -- --check` and a unit test
 * fail when README.md differs.
 */
import * as fs from "fs";
import * as path from "path";
import { withGeneratedSection } from "./generatedSection";
import * as ts from "typescript";
import { parse } from "yaml";
import { PROJECT_DIR } from "../../config/stackFiles";
import { PROJECT_NAME } from "../../config/project";
import { ProjectConfigEntry, projectConfig } from "./projectConfig";

export const README = path.join(PROJECT_DIR, "README.md");

/** A generated section: its markers in README.md and how its content is made. */
interface Section {
    readonly name: string;
    readonly render: (projectDir: string) => string[];
}

const SECTIONS: readonly Section[] = [
    { name: "configuration", render: renderConfigurationTable },
    { name: "outputs", render: renderOutputsTable },
];

function markers(name: string): { begin: string; end: string } {
    return {
        begin: `<!-- BEGIN GENERATED ${name} table: npm run docs (from ${name === "outputs" ? "index.ts" : "config/keys/"}) -->`,
        end: `<!-- END GENERATED ${name} table -->`,
    };
}

/**
 * `| a | b |`, with what would break the table or the page escaped: `|` everywhere, and `<` `>` outside code spans
 * (`cache.<family>.<size>` would otherwise be read as HTML tags).
 */
function row(cells: readonly string[]): string {
    const escape = (cell: string) =>
        cell
            .split(/(`[^`]*`)/)
            .map((part) => (part.startsWith("`") ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;")))
            .join("")
            .replace(/\|/g, "\\|");
    return `| ${cells.map(escape).join(" | ")} |`;
}

/** A value as the table shows it; an empty one is "derived" when the key's description says empty derives it, else "none". */
function code(value: unknown, description = ""): string {
    if (value === "" || value === undefined) return /\bempty derives\b/i.test(description) ? "derived" : "none";
    return `\`${String(value)}\``;
}

/** The stacks there are, from the Pulumi.<stack>.yaml files next to Pulumi.yaml. */
function stackNames(projectDir: string): string[] {
    return fs
        .readdirSync(projectDir)
        .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
        .filter((name): name is string => name !== undefined)
        .sort();
}

/** A stack file's `config:` map. */
function readConfig<T>(file: string): Record<string, T> {
    const document = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, T> };
    return document.config ?? {};
}

/** One row per declared key, in order; a stack's value is shown where it differs from the default. */
export function renderConfigurationTable(
    projectDir: string = PROJECT_DIR,
    declared: Record<string, ProjectConfigEntry> = projectConfig(),
): string[] {
    const stacks = stackNames(projectDir).map((stack) => {
        const config = readConfig<unknown>(path.join(projectDir, `Pulumi.${stack}.yaml`));
        return { stack, value: (key: string) => config[`${PROJECT_NAME}:${key}`] ?? config[key] };
    });
    const lines = [row(["Key", "Type", "Default", "Stacks that differ", "Description"]), "|---|---|---|---|---|"];
    for (const [key, declaration] of Object.entries(declared)) {
        const differing = stacks
            .filter(({ value }) => value(key) !== undefined && String(value(key)) !== String(declaration.default))
            .map(({ stack, value }) => `${stack}: ${code(value(key), declaration.description)}`);
        lines.push(
            row([
                `\`${key}\``,
                declaration.type,
                code(declaration.default, declaration.description),
                differing.join(", "),
                declaration.description,
            ]),
        );
    }
    return lines;
}

/** The exported constants of index.ts with their TSDoc comments, in source order. */
export function stackOutputs(projectDir: string = PROJECT_DIR): { name: string; description: string }[] {
    const file = path.join(projectDir, "index.ts");
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const outputs: { name: string; description: string }[] = [];
    for (const statement of source.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        if (!statement.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) continue;
        const description = ts
            .getJSDocCommentsAndTags(statement.declarationList.declarations[0])
            .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "")
            .join(" ")
            .replace(/\s+/g, " ")
            .trim();
        for (const declaration of statement.declarationList.declarations) {
            if (!ts.isIdentifier(declaration.name)) {
                throw new Error(
                    `index.ts: export one named constant per statement (with its TSDoc), not a destructuring pattern`,
                );
            }
            if (!description)
                throw new Error(
                    `index.ts: the export ${declaration.name.text} has no TSDoc comment; README.md's outputs table needs one`,
                );
            outputs.push({ name: declaration.name.text, description });
        }
    }
    return outputs;
}

export function renderOutputsTable(projectDir: string = PROJECT_DIR): string[] {
    return [
        row(["Output", "What"]),
        "|---|---|",
        ...stackOutputs(projectDir).map((output) => row([`\`${output.name}\``, output.description])),
    ];
}

/** README.md with every generated section replaced; throws when a section's markers are missing. */
export function renderReadme(current: string, projectDir: string = PROJECT_DIR): string {
    return SECTIONS.reduce(
        (text, section) =>
            withGeneratedSection(
                text,
                markers(section.name),
                section.render(projectDir),
                `README.md (${section.name} table)`,
            ),
        current,
    );
}

/** Writes README.md when its generated sections are out of date; returns whether it changed. */
export function writeReadme(file: string = README): boolean {
    const current = fs.readFileSync(file, "utf8");
    const next = renderReadme(current, path.dirname(file));
    if (next === current) return false;
    fs.writeFileSync(file, next);
    return true;
}

/** Whether README.md's generated sections match the code. */
export function isReadmeCurrent(file: string = README): boolean {
    const current = fs.readFileSync(file, "utf8");
    return renderReadme(current, path.dirname(file)) === current;
}
