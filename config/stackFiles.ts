import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { PROJECT_NAME } from "./project";

/** A stack's configuration as the Pulumi CLI would hand it to the program, read from the project's YAML files. */
export interface StackFileConfig {
    /** Fully qualified keys (`redis-cluster:numNodeGroups`, `aws:region`) to values, Pulumi.yaml defaults first. */
    readonly values: Readonly<Record<string, unknown>>;
    /** The project's own keys without the namespace, as `validateSettings` takes them. */
    readonly projectValues: Readonly<Record<string, unknown>>;
    readonly region?: string;
}

/** The directory holding Pulumi.yaml. */
export const PROJECT_DIR = path.resolve(__dirname, "..");

/**
 * Reads `Pulumi.yaml`'s declared defaults and `Pulumi.<stack>.yaml`'s values, the way `pulumi up` merges them, so that
 * local tools (tests, `npm start`, `npm run plan`) see the same configuration as the CLI.
 */
export function readStackFiles(stack: string, projectDir: string = PROJECT_DIR): StackFileConfig {
    const project = parseYamlFile(path.join(projectDir, "Pulumi.yaml"));
    const stackPath = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackPath)) {
        const known = fs
            .readdirSync(projectDir)
            .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
            .filter((name): name is string => name !== undefined);
        throw new Error(
            `stack "${stack}": no ${path.basename(stackPath)} in ${projectDir}; known stacks: ${known.join(", ")}`,
        );
    }
    const stackFile = parseYamlFile(stackPath);

    const values: Record<string, unknown> = {};
    for (const [key, declaration] of Object.entries(asRecord(project.config))) {
        const declared = asRecord(declaration);
        if ("default" in declared) values[qualify(key)] = declared.default;
        else if ("value" in declared) values[qualify(key)] = declared.value;
    }
    for (const [key, value] of Object.entries(asRecord(stackFile.config))) {
        if (value !== null && typeof value === "object" && "secure" in value) {
            throw new Error(`${key}: is a Pulumi secret (secure:) and cannot be read without the Pulumi CLI`);
        }
        values[qualify(key)] = value;
    }

    const prefix = `${PROJECT_NAME}:`;
    const projectValues = Object.fromEntries(
        Object.entries(values)
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, value]) => [key.slice(prefix.length), value]),
    );
    const region = values["aws:region"];
    return { values, projectValues, region: typeof region === "string" ? region : undefined };
}

/** A key without a namespace belongs to the project (Pulumi's rule for Pulumi.yaml and stack files). */
function qualify(key: string): string {
    return key.includes(":") ? key : `${PROJECT_NAME}:${key}`;
}

function parseYamlFile(file: string): Record<string, unknown> {
    return asRecord(parse(fs.readFileSync(file, "utf8")));
}

function asRecord(value: unknown): Record<string, unknown> {
    return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}
