"use strict";
/*
 * Runs inside a bare Node process (no ts-node, nothing from the repository on its module path), like the archive
 * driver of the tests, but for throughput: the parent sends a whole burst of events at once and this process calls
 * the exported handler with `concurrency` calls in flight, timing the burst itself, so neither IPC nor the parent's
 * work per call is part of the figure.
 *
 * argv: <code dir> <entry file> <export name> <lambda timeout ms>
 */
const path = require("path");
const { performance } = require("perf_hooks");

const [codeDir, entryFile, exportName, timeoutText] = process.argv.slice(2);
const lambdaTimeoutMs = Number(timeoutText);

function send(message) {
    if (process.connected) process.send(message);
}

process.on("disconnect", () => process.exit(0));

let handler;
try {
    handler = require(path.join(codeDir, entryFile))[exportName];
    if (typeof handler !== "function") throw new Error(`${entryFile} exports no function named "${exportName}"`);
} catch (error) {
    send({ type: "loadError", message: String(error && error.message) });
    process.exit(1);
}
send({ type: "ready" });

async function call(event, index) {
    const deadline = Date.now() + lambdaTimeoutMs;
    const context = { awsRequestId: `burst-${index}`, getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
    const started = performance.now();
    try {
        const result = await handler(event, context);
        return { status: result.statusCode, ms: performance.now() - started };
    } catch (error) {
        return { status: -1, ms: performance.now() - started };
    }
}

async function burst(events, concurrency) {
    const statuses = {};
    const latencies = new Array(events.length);
    let next = 0;
    const cpuStarted = process.cpuUsage();
    const started = performance.now();
    async function worker() {
        while (next < events.length) {
            const index = next++;
            const outcome = await call(events[index], index);
            latencies[index] = outcome.ms;
            statuses[outcome.status] = (statuses[outcome.status] || 0) + 1;
        }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, events.length) }, worker));
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpuStarted);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, statuses, latencies };
}

process.on("message", async (message) => {
    if (message.type !== "burst") return;
    const result = await burst(message.events, message.concurrency);
    send({ type: "burstResult", id: message.id, ...result });
});
