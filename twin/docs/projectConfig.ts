/**
 * Pulumi.yaml's `config:` block, generated from the key declarations in config/keys/ (type, default, description), so
 * the CLI's defaults cannot drift from the program's. `npm run docs` writes it; `npm run docs -- --check` and a unit
 * test fail when Pulumi.yaml differs. Everything outside the block is kept as it is.
 */
import * as fs from "fs";
import * as path from "path";
import { CONFIG_KEYS, declarationOf } from "../../config/keys";
import { KeyDeclaration, yamlType } from "../../config/keys/declaration";
import { PROJECT_DIR } from "../../config/stackFiles";

export const PULUMI_YAML = path.join(PROJECT_DIR, "Pulumi.yaml");

/** A key as Pulumi.yaml declares it. */
export interface ProjectConfigEntry {
    readonly type: "integer" | "boolean" | "string";
    readonly default: string | number | boolean;
    readonly description: string;
}

/** The declared keys, in order, as Pulumi.yaml's `config:` map holds them. */
export function projectConfig(
    declarations: readonly (readonly [string, KeyDeclaration])[] = CONFIG_KEYS.map((key) => [key, declarationOf(key)]),
): Record<string, ProjectConfigEntry> {
    return Object.fromEntries(
        declarations.map(([key, declaration]) => {
            if (!declaration.description.trim())
                throw new Error(`config/keys: ${key} has no description; Pulumi.yaml and README.md need one`);
            return [
                key,
                { type: yamlType(declaration), default: declaration.default, description: declaration.description },
            ];
        }),
    );
}

/** A YAML scalar: plain where YAML reads it back unchanged as a string, double-quoted (JSON) otherwise. */
function scalar(value: string | number | boolean): string {
    if (typeof value !== "string") return String(value);
    const plain =
        value !== "" &&
        value.trim() === value &&
        !/^[-?:,[\]{}#&*!|>'"%@`]/.test(value) &&
        !/: |:$| #/.test(value) &&
        !/^(true|false|null|~|yes|no|on|off|[-+]?[\d.]+(e[-+]?\d+)?)$/i.test(value);
    return plain ? value : JSON.stringify(value);
}

export function renderConfigBlock(config: Record<string, ProjectConfigEntry> = projectConfig()): string[] {
    const lines = ["config:"];
    for (const [key, entry] of Object.entries(config)) {
        lines.push(
            `  ${key}:`,
            `    type: ${entry.type}`,
            `    default: ${scalar(entry.default)}`,
            `    description: ${scalar(entry.description)}`,
        );
    }
    return lines;
}

/** Pulumi.yaml with its top-level `config:` block (up to the next top-level entry) replaced, or appended when absent. */
export function renderPulumiYaml(current: string, config?: Record<string, ProjectConfigEntry>): string {
    const lines = current.split("\n");
    const start = lines.findIndex((line) => /^config:\s*$/.test(line));
    const block = renderConfigBlock(config);
    if (start === -1) return `${current.replace(/\n*$/, "\n")}${block.join("\n")}\n`;
    let end = start + 1;
    while (end < lines.length && (lines[end] === "" || /^[\s#]/.test(lines[end]))) end++;
    // Blank lines and comments just before the next entry belong to it.
    while (end > start + 1 && (lines[end - 1] === "" || lines[end - 1].startsWith("#"))) end--;
    const rest = lines.slice(end);
    return [...lines.slice(0, start), ...block, ...(rest.length > 0 ? rest : [""])].join("\n");
}

/** Writes Pulumi.yaml when its `config:` block is out of date; returns whether it changed. */
export function writePulumiYaml(file: string = PULUMI_YAML): boolean {
    const current = fs.readFileSync(file, "utf8");
    const next = renderPulumiYaml(current);
    if (next === current) return false;
    fs.writeFileSync(file, next);
    return true;
}

/** Whether Pulumi.yaml's `config:` block matches the declarations. */
export function isPulumiYamlCurrent(file: string = PULUMI_YAML): boolean {
    const current = fs.readFileSync(file, "utf8");
    return renderPulumiYaml(current) === current;
}
