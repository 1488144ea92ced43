"use strict";
/*
 * Runs inside the bare Node process started by archiveProcess.ts — plain JavaScript, no ts-node, nothing from the
 * repository: it is copied next to (not into) the archive directory. It plays the Lambda runtime's part: loads the
 * archive's entry file once, then calls the exported handler for each event the parent sends over IPC — one at a
 * time (`invoke`), or a whole burst with a number of calls in flight (`burst`), timed here so that neither IPC nor
 * the parent's work per call is part of a throughput figure.
 *
 * argv: <archive dir> <entry file> <export name> <lambda timeout ms>
 */
const path = require("path");

const [archiveDir, entryFile, exportName, timeoutText] = process.argv.slice(2);
const lambdaTimeoutMs = Number(timeoutText);

function send(message) {
    if (process.connected) process.send(message);
}

function describe(error) {
    return error instanceof Error
        ? { name: error.name, message: error.message }
        : { name: typeof error, message: String(error) };
}

// The Lambda runtime treats these as fatal for the invocation; here they are reported so a test can fail on them.
process.on("unhandledRejection", (reason) =>
    send({ type: "unhandled", kind: "unhandledRejection", error: describe(reason) }),
);
process.on("uncaughtException", (error) =>
    send({ type: "unhandled", kind: "uncaughtException", error: describe(error) }),
);
process.on("disconnect", () => process.exit(0));

// Counts the lines written to stdout, so the parent knows how many to wait for before it reports a result (stdout
// and the IPC channel are separate pipes: a result may overtake the log line written just before it).
let stdoutLines = 0;
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
    stdoutLines += String(chunk).split("\n").length - 1;
    return write(chunk, ...rest);
};

let handler;
const loadStarted = process.hrtime.bigint();
try {
    const exported = require(path.join(archiveDir, entryFile))[exportName];
    if (typeof exported !== "function") throw new Error(`${entryFile} exports no function named "${exportName}"`);
    handler = exported;
} catch (error) {
    send({ type: "loadError", error: describe(error) });
    process.exit(1);
}
send({
    type: "ready",
    loadMs: Number(process.hrtime.bigint() - loadStarted) / 1e6,
    nodeVersion: process.version,
    // Every file Node loaded: proves the archive resolved nothing outside itself.
    loadedFiles: Object.keys(require.cache).filter((file) => file !== __filename),
});

function contextFor(id) {
    const deadline = Date.now() + lambdaTimeoutMs;
    return { awsRequestId: id, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}

async function burst(message) {
    const statuses = {};
    const latencies = new Array(message.events.length);
    let next = 0;
    const cpuStarted = process.cpuUsage();
    const started = process.hrtime.bigint();
    async function worker() {
        while (next < message.events.length) {
            const index = next++;
            const callStarted = process.hrtime.bigint();
            let status;
            try {
                status = (await handler(message.events[index], contextFor(`${message.id}-${index}`))).statusCode;
            } catch {
                status = -1;
            }
            latencies[index] = Number(process.hrtime.bigint() - callStarted) / 1e6;
            statuses[status] = (statuses[status] || 0) + 1;
        }
    }
    await Promise.all(Array.from({ length: Math.min(message.concurrency, message.events.length) }, worker));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const cpu = process.cpuUsage(cpuStarted);
    send({ type: "burstResult", id: message.id, ms, cpuMs: (cpu.user + cpu.system) / 1000, statuses, latencies });
}

process.on("message", async (message) => {
    if (message.type === "burst") return burst(message);
    if (message.type !== "invoke") return;
    const context = contextFor(message.id);
    const started = process.hrtime.bigint();
    try {
        const result = await handler(message.event, context);
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        send({ type: "result", id: message.id, result, ms, stdoutLines });
    } catch (error) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        send({ type: "failed", id: message.id, error: describe(error), ms, stdoutLines });
    }
});
