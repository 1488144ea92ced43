/**
 * The program's `pulumi.log.warn` messages during an evaluation. Under `pulumi up` the engine shows each once; under
 * mocks no engine is attached and Pulumi prints every one with `console.warn("warning: [runtime] …")`, once per
 * evaluation: a command that evaluates several configurations (plan, guide, tests) printed the same warning many
 * times. The evaluation keeps them instead, so each command prints its stack's warnings once.
 */
const RUNTIME_PREFIX = "warning: [runtime] ";

/** Runs `evaluation` with the program's runtime warnings gathered rather than printed; other output passes through. */
export async function gatheringRuntimeWarnings<T>(
    evaluation: () => Promise<T>,
): Promise<{ value: T; warnings: string[] }> {
    const warnings: string[] = [];
    const print = console.warn;
    console.warn = (...parts: unknown[]) => {
        const [first] = parts;
        if (parts.length === 1 && typeof first === "string" && first.startsWith(RUNTIME_PREFIX)) {
            if (!warnings.includes(first.slice(RUNTIME_PREFIX.length)))
                warnings.push(first.slice(RUNTIME_PREFIX.length));
            return;
        }
        print(...parts);
    };
    try {
        return { value: await evaluation(), warnings };
    } finally {
        console.warn = print;
    }
}
