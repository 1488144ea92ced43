/**
 * Pulumi records where each resource was declared: every registration formats the whole call stack
 * (`Error.stackTraceLimit = Infinity`), and every promise it tracks formats another. With ts-node loaded,
 * source-map-support maps each of those frames back to TypeScript, which was about a third of a warm evaluation. Under
 * mocks the positions go nowhere (the mock monitor has no engine to show them), so while the program runs stacks are
 * formatted V8's plain way. V8 formats an error's stack when it is first read: an error the program throws and a
 * caller reads afterwards is still mapped to TypeScript.
 */
export async function withPlainStackTraces<T>(run: () => Promise<T>): Promise<T> {
    const mapped = Error.prepareStackTrace;
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    try {
        return await run();
    } finally {
        Error.prepareStackTrace = mapped;
    }
}
