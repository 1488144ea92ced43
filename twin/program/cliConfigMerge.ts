/**
 * The configuration the Pulumi CLI hands the program: the stack file's values, plus every Pulumi.yaml key the stack
 * does not set, from its `default:` (or `value:`). Written after `mergeConfig` in pulumi/pulumi
 * `pkg/workspace/config.go` (commit 1b5949891b3cefcb9974752b24a5ecef0acc86c8), which both
 * `ValidateStackConfigAndApplyProjectConfig` (preview, up) and `ApplyProjectConfig` call:
 *  - a key found in the stack's config is kept as the stack has it;
 *  - otherwise a project key with `default` or `value` is set from it, `default` winning when both exist;
 *  - keys without a namespace belong to the project (`parseConfigKey`);
 *  - a string, integer or boolean becomes its text (`createConfigValue`: `fmt.Sprintf("%v", v)`), so a default of
 *    `""` reaches the program as the empty string, not as "unset"; other values become JSON.
 * Every value reaches the program as a string (`pulumi.runtime.allConfig()`).
 */
export interface ProjectFile {
    readonly name: string;
    readonly config?: Readonly<Record<string, { readonly default?: unknown; readonly value?: unknown } | undefined>>;
}

export interface StackFile {
    readonly config?: Readonly<Record<string, unknown>>;
}

/** Fully qualified keys (`redis-cluster:engine`, `aws:region`) to the text the program receives. */
export function mergeAsCli(project: ProjectFile, stack: StackFile): Record<string, string> {
    const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    const merged: Record<string, string> = {};
    for (const [key, value] of Object.entries(stack.config ?? {})) {
        if (value !== null && typeof value === "object" && "secure" in value) {
            throw new Error(`${key}: is a Pulumi secret (secure:) and cannot be decrypted without the Pulumi CLI`);
        }
        merged[qualify(key)] = configText(value);
    }
    for (const key of Object.keys(project.config ?? {}).sort()) {
        const declaration = project.config?.[key] ?? {};
        const qualified = qualify(key);
        if (qualified in merged) continue;
        const hasDefault = declaration.default !== undefined && declaration.default !== null;
        const hasValue = declaration.value !== undefined && declaration.value !== null;
        if (hasDefault) merged[qualified] = configText(declaration.default);
        else if (hasValue) merged[qualified] = configText(declaration.value);
    }
    return merged;
}

/** The project's own keys without their namespace, as `validateSettings` and `evaluateProgram({ config })` take them. */
export function projectKeys(projectName: string, merged: Readonly<Record<string, string>>): Record<string, string> {
    const prefix = `${projectName}:`;
    return Object.fromEntries(
        Object.entries(merged)
            .filter(([key]) => key.startsWith(prefix))
            .map(([key, value]) => [key.slice(prefix.length), value]),
    );
}

function configText(value: unknown): string {
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return String(value);
    return JSON.stringify(value);
}
