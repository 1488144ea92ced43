/**
 * What Pulumi's stack traces cost an evaluation under mocks. Pulumi records where each resource was declared: every
 * registration captures and formats the whole call stack (`Error.stackTraceLimit = Infinity`), and every promise it
 * tracks captures and formats another, for a leak report. With ts-node loaded, source-map-support maps each frame back
 * to TypeScript. Together that was about half of a warm evaluation. Under mocks none of it is read: the mock monitor
 * has no engine to show positions to, and the leak report is the CLI's.
 */

/** Runs `run` with stacks formatted V8's plain way: no source-map lookup per frame. */
export async function withPlainStackTraces<T>(run: () => Promise<T>): Promise<T> {
    const mapped = Error.prepareStackTrace;
    (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
    try {
        return await run();
    } finally {
        Error.prepareStackTrace = mapped;
    }
}

/**
 * Runs `run` with no stack captured at all but the ones Pulumi asks for itself (it raises the limit around its own
 * capture), formatted plainly. An error thrown meanwhile carries its message but no frames: a caller that needs them
 * runs the same work again under {@link withPlainStackTraces}.
 */
export async function withoutStackTraces<T>(run: () => Promise<T>): Promise<T> {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await withPlainStackTraces(run);
    } finally {
        Error.stackTraceLimit = limit;
    }
}
