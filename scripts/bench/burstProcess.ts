/**
 * A bare Node process that runs bursts of calls inside itself (see burstDriver.cjs), for throughput figures that do
 * not include this process's own work per call.
 */
import { ChildProcess, fork } from "child_process";
import type { FunctionUrlEvent } from "../../functions/http";
import { LAMBDA_TIMEOUT_SECONDS } from "../../functions/environment";
import { FunctionCode } from "./localTarget";

export interface BurstOutcome {
    /** Wall time of the whole burst inside the child, ms. */
    readonly ms: number;
    /** CPU time (user + system) the child spent during the burst, ms. */
    readonly cpuMs: number;
    /** Answers by status code ("-1" when the handler threw). */
    readonly statuses: Readonly<Record<string, number>>;
    /** Each call's duration inside the child, ms, in event order. */
    readonly latencies: readonly number[];
}

type ChildMessage =
    | { type: "ready" }
    | { type: "loadError"; message: string }
    | ({ type: "burstResult"; id: number } & BurstOutcome);

const DRIVER = require.resolve("./burstDriver.cjs");
const live = new Set<ChildProcess>();

export class BurstProcess {
    private nextId = 0;
    private readonly exited: Promise<void>;
    /** Lines the code wrote to stdout (its log lines), counted but not parsed. */
    stdoutLines = 0;
    stderr = "";

    private constructor(
        private readonly child: ChildProcess,
        readonly label: string,
    ) {
        this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
        child.stdout!.on("data", (chunk: Buffer) => {
            for (const byte of chunk) if (byte === 0x0a) this.stdoutLines++;
        });
        child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (this.stderr += chunk));
    }

    /** Starts `code` with `env` (and nothing of this process's environment); resolves once it has loaded. */
    static async start(code: FunctionCode, env: Readonly<Record<string, string>>, timeoutMs = 15_000): Promise<BurstProcess> {
        const child = fork(DRIVER, [code.dir, code.entryFile, code.exportName, String(LAMBDA_TIMEOUT_SECONDS * 1000)], {
            cwd: code.dir,
            env: { ...env, HOME: code.dir },
            execArgv: [],
            stdio: ["ignore", "pipe", "pipe", "ipc"],
        });
        live.add(child);
        if (live.size === 1) process.once("exit", killAll);
        child.once("exit", () => live.delete(child));
        const instance = new BurstProcess(child, code.label);
        try {
            await new Promise<void>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`${code.label} did not load within ${timeoutMs} ms`)), timeoutMs);
                child.once("message", (message: ChildMessage) => {
                    clearTimeout(timer);
                    if (message.type === "ready") resolve();
                    else reject(new Error(`${code.label} did not load: ${message.type === "loadError" ? message.message : message.type}`));
                });
                child.once("exit", (exitCode, signal) => {
                    clearTimeout(timer);
                    reject(new Error(`${code.label} exited (${signal ?? exitCode}) while loading: ${instance.stderr}`));
                });
            });
        } catch (error) {
            await instance.stop();
            throw error;
        }
        return instance;
    }

    /** Runs `events` with `concurrency` calls in flight; rejects if the process dies or takes longer than `timeoutMs`. */
    burst(events: readonly FunctionUrlEvent[], concurrency: number, timeoutMs = 300_000): Promise<BurstOutcome> {
        const id = ++this.nextId;
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => finish(new Error(`${this.label}: burst not done within ${timeoutMs} ms`)), timeoutMs);
            const onMessage = (message: ChildMessage) => {
                if (message.type === "burstResult" && message.id === id) {
                    finish(undefined, { ms: message.ms, cpuMs: message.cpuMs, statuses: message.statuses, latencies: message.latencies });
                }
            };
            const onExit = () => finish(new Error(`${this.label} exited during a burst: ${this.stderr}`));
            const finish = (error?: Error, outcome?: BurstOutcome) => {
                clearTimeout(timer);
                this.child.off("message", onMessage);
                this.child.off("exit", onExit);
                if (error) reject(error);
                else resolve(outcome!);
            };
            this.child.on("message", onMessage);
            this.child.once("exit", onExit);
            this.child.send({ type: "burst", id, events, concurrency });
        });
    }

    async stop(): Promise<void> {
        if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
        await this.exited;
    }
}

/** An aborted run must not leave burst processes behind. */
function killAll(): void {
    for (const child of live) child.kill("SIGKILL");
}
