/**
 * Runs a serialized Lambda archive (`__index.js` + `node_modules/`, as `CallbackFunction` uploads it) in a separate,
 * bare Node process — no ts-node, no inherited environment, nothing from this repository on its module path — and
 * invokes its handler with Function URL events over IPC, the way the Lambda runtime would. Used by the handler's
 * integration tests, `npm start` and the benchmarks.
 *
 * @example
 * const fn = await ArchiveProcess.start({ archiveDir, env: { REDIS_CONFIGURATION_ENDPOINT: "127.0.0.1", ... } });
 * try {
 *     const { result, ms } = await fn.invoke(getEvent("k", "v"));
 * } finally {
 *     await fn.stop();
 * }
 */
import { ChildProcess, fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { FunctionUrlEvent, FunctionUrlResult } from "../../functions/http";
import { LAMBDA_TIMEOUT_SECONDS } from "../../functions/environment";
import { archiveNodeBinary } from "./archiveNode";

export interface ArchiveProcessOptions {
    /** Directory holding the archive's files (entry file and `node_modules/`). Should be outside this repository. */
    readonly archiveDir: string;
    /**
     * The function's whole environment: nothing of this process's environment is passed on (no `NODE_OPTIONS`,
     * no `NODE_PATH`). Add `NODE_EXTRA_CA_CERTS` here for a test CA.
     */
    readonly env: Readonly<Record<string, string>>;
    /** @default "__index.js" */
    readonly entryFile?: string;
    /** @default "handler" */
    readonly exportName?: string;
    /** What `context.getRemainingTimeInMillis()` counts down from, per invocation. @default LAMBDA_TIMEOUT_SECONDS × 1000 */
    readonly lambdaTimeoutMs?: number;
    /** Give up if the archive has not loaded within this many ms. @default 10000 */
    readonly startTimeoutMs?: number;
}

/** One invocation's outcome. */
export interface Invocation {
    /** What the handler returned. */
    readonly result: FunctionUrlResult;
    /** The handler's own duration, measured inside the child (excludes IPC). */
    readonly ms: number;
    /** The JSON log lines the handler wrote to stdout during this invocation. */
    readonly logLines: readonly Record<string, unknown>[];
}

/** An unhandled rejection or uncaught exception in the child: the Lambda runtime would fail the invocation. */
export interface UnhandledError {
    readonly kind: "unhandledRejection" | "uncaughtException";
    readonly name: string;
    readonly message: string;
}

/** A burst's outcome, timed inside the child. */
export interface BurstOutcome {
    /** Wall time of the whole burst, ms. */
    readonly ms: number;
    /** CPU time (user + system) the child spent during the burst, ms. */
    readonly cpuMs: number;
    /** Answers by status code ("-1" when the handler threw). */
    readonly statuses: Readonly<Record<string, number>>;
    /** Each call's duration, ms, in event order. */
    readonly latencies: readonly number[];
}

type ChildError = { name: string; message: string };
type ChildMessage =
    | { type: "ready"; loadMs: number; loadedFiles: string[]; nodeVersion: string }
    | { type: "loadError"; error: ChildError }
    | { type: "result"; id: string; result: FunctionUrlResult; ms: number; stdoutLines: number }
    | { type: "failed"; id: string; error: ChildError; ms: number; stdoutLines: number }
    | { type: "unhandled"; kind: UnhandledError["kind"]; error: ChildError }
    | ({ type: "burstResult"; id: string } & BurstOutcome);

interface Pending {
    readonly resolve: (invocation: Invocation) => void;
    readonly reject: (error: Error) => void;
    readonly timer: NodeJS.Timeout;
    /** Index of the first stdout line written during this invocation. */
    readonly firstLine: number;
    /** The child's answer, held until all the stdout lines it counted have arrived. */
    answer?: Extract<ChildMessage, { type: "result" | "failed" }>;
}

const DRIVER_SOURCE = path.join(__dirname, "archiveDriver.cjs");
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A running archive process. Create with {@link ArchiveProcess.start}; always {@link ArchiveProcess.stop} it. */
export class ArchiveProcess {
    /** Milliseconds the child took to `require` the entry file (module load + the handler factory). */
    loadMs = NaN;
    /** The child's `process.version`: the Node that runs the archive (see archiveNode.ts). */
    nodeVersion = "";
    /** Absolute paths of every file the child loaded, its driver excluded. */
    loadedFiles: readonly string[] = [];
    /** Every line the child wrote to stdout, parsed when JSON (the handler's log lines), else as a string. */
    readonly stdout: (Record<string, unknown> | string)[] = [];
    /** Unhandled rejections and uncaught exceptions reported by the child. */
    readonly unhandled: UnhandledError[] = [];
    /** Everything the child wrote to stderr. */
    stderr = "";

    private readonly pending = new Map<string, Pending>();
    private nextId = 0;
    private readonly exited: Promise<void>;
    private readonly loaded: Promise<void>;

    private constructor(
        private readonly child: ChildProcess,
        private readonly driverDir: string,
        archiveDir: string,
    ) {
        this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
        readLines(child.stdout!, (line) => this.onStdout(line));
        child.stderr!.setEncoding("utf8");
        child.stderr!.on("data", (chunk: string) => (this.stderr += chunk));
        this.loaded = new Promise((resolve, reject) => {
            const fail = (reason: string) =>
                reject(new Error(`Archive ${archiveDir} did not load: ${reason}\nstderr: ${this.stderr}`));
            child.on("message", (message: ChildMessage) => {
                if (message.type === "ready") {
                    this.loadMs = message.loadMs;
                    this.loadedFiles = message.loadedFiles;
                    this.nodeVersion = message.nodeVersion;
                    resolve();
                } else if (message.type === "loadError") {
                    fail(`${message.error.name}: ${message.error.message}`);
                } else {
                    this.onMessage(message);
                }
            });
            child.once("exit", (code, signal) => {
                fail(`the process exited (${signal ?? code})`);
                this.rejectAll(`the archive process exited (${signal ?? code})`);
            });
        });
    }

    /** The child's process id. */
    get pid(): number {
        return this.child.pid!;
    }

    /** The handler's JSON log lines so far. */
    get logLines(): Record<string, unknown>[] {
        return this.stdout.filter((line): line is Record<string, unknown> => typeof line === "object");
    }

    /**
     * Starts the child and resolves once the archive is loaded (its handler factory has run).
     * @throws if the archive fails to load, with the child's error and stderr; the child is stopped first.
     */
    static async start(options: ArchiveProcessOptions): Promise<ArchiveProcess> {
        const entryFile = options.entryFile ?? "__index.js";
        const archiveDir = path.resolve(options.archiveDir);
        if (!fs.existsSync(path.join(archiveDir, entryFile))) {
            throw new Error(`No ${entryFile} in ${archiveDir}`);
        }
        // The driver lives in its own temp dir, so the child loads nothing from this repository.
        const driverDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), "archive-driver-"));
        const driver = path.join(driverDir, "driver.cjs");
        await fs.promises.copyFile(DRIVER_SOURCE, driver);

        installExitHook();
        const lambdaTimeoutMs = options.lambdaTimeoutMs ?? LAMBDA_TIMEOUT_SECONDS * 1000;
        const child = fork(driver, [archiveDir, entryFile, options.exportName ?? "handler", String(lambdaTimeoutMs)], {
            cwd: archiveDir,
            // Only what the function's configuration sets; HOME points at the archive so no ~/.node_modules is found.
            env: { ...options.env, HOME: archiveDir },
            // LAMBDA_NODE (CI: the declared runtime's Node 22) or this process's Node.
            execPath: archiveNodeBinary(),
            // Not this process's flags (ts-node's -r): a bare `node`.
            execArgv: [],
            stdio: ["ignore", "pipe", "pipe", "ipc"],
        });
        live.add(child);
        child.once("exit", () => live.delete(child));

        const instance = new ArchiveProcess(child, driverDir, archiveDir);
        const timeoutMs = options.startTimeoutMs ?? 10_000;
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
            timer = setTimeout(
                () => reject(new Error(`Archive ${archiveDir} did not load within ${timeoutMs} ms`)),
                timeoutMs,
            );
        });
        try {
            await Promise.race([instance.loaded, timeout]);
        } catch (error) {
            await instance.stop();
            throw error;
        } finally {
            clearTimeout(timer);
        }
        return instance;
    }

    /**
     * Calls the handler with `event` and resolves with what it returned.
     * @param timeoutMs Reject if the handler has not answered by then. @default Lambda timeout + 2 s
     * @throws if the handler throws (it never should), does not answer in time, or the process exits.
     */
    invoke(event: FunctionUrlEvent, timeoutMs = LAMBDA_TIMEOUT_SECONDS * 1000 + 2000): Promise<Invocation> {
        const id = `invocation-${++this.nextId}`;
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.pending.delete(id);
                reject(new Error(`The handler did not answer within ${timeoutMs} ms`));
            }, timeoutMs);
            this.pending.set(id, { resolve, reject, timer, firstLine: this.stdout.length });
            this.child.send({ type: "invoke", id, event });
        });
    }

    /**
     * Runs `events` inside the child with `concurrency` calls in flight and resolves with the burst's timing; the
     * child's log lines still arrive in {@link stdout}.
     * @throws if the process exits or the burst takes longer than `timeoutMs`.
     */
    burst(events: readonly FunctionUrlEvent[], concurrency: number, timeoutMs = 300_000): Promise<BurstOutcome> {
        const id = `burst-${++this.nextId}`;
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => finish(new Error(`burst not done within ${timeoutMs} ms`)), timeoutMs);
            const onMessage = (message: ChildMessage) => {
                if (message.type === "burstResult" && message.id === id) {
                    finish(undefined, {
                        ms: message.ms,
                        cpuMs: message.cpuMs,
                        statuses: message.statuses,
                        latencies: message.latencies,
                    });
                }
            };
            const onExit = () => finish(new Error(`the archive process exited during a burst: ${this.stderr}`));
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

    /** Kills the child (SIGKILL: it holds nothing worth a graceful exit), waits for its exit, removes its temp dir. */
    async stop(): Promise<void> {
        if (this.child.exitCode === null && this.child.signalCode === null) {
            this.child.kill("SIGKILL");
        }
        await this.exited;
        await fs.promises.rm(this.driverDir, { recursive: true, force: true });
    }

    private onMessage(message: ChildMessage): void {
        if (message.type === "unhandled") {
            this.unhandled.push({ kind: message.kind, ...message.error });
        } else if (message.type === "result" || message.type === "failed") {
            const pending = this.pending.get(message.id);
            if (pending) {
                pending.answer = message;
                this.settle(message.id, pending);
            }
        }
    }

    private onStdout(line: string): void {
        try {
            const parsed: unknown = JSON.parse(line);
            this.stdout.push(
                typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : line,
            );
        } catch {
            this.stdout.push(line);
        }
        for (const [id, pending] of this.pending) this.settle(id, pending);
    }

    /** Resolves an answered invocation once every stdout line the child wrote before answering has arrived. */
    private settle(id: string, pending: Pending): void {
        const answer = pending.answer;
        if (!answer || this.stdout.length < answer.stdoutLines) return;
        this.pending.delete(id);
        clearTimeout(pending.timer);
        if (answer.type === "failed") {
            pending.reject(new Error(`The handler threw ${answer.error.name}: ${answer.error.message}`));
            return;
        }
        const logLines = this.stdout
            .slice(pending.firstLine, answer.stdoutLines)
            .filter((line): line is Record<string, unknown> => typeof line === "object");
        pending.resolve({ result: answer.result, ms: answer.ms, logLines });
    }

    private rejectAll(reason: string): void {
        for (const [id, pending] of this.pending) {
            clearTimeout(pending.timer);
            this.pending.delete(id);
            pending.reject(new Error(`${reason}; stderr: ${this.stderr}`));
        }
    }
}

function readLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
    let buffered = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
        buffered += chunk;
        let newline: number;
        while ((newline = buffered.indexOf("\n")) !== -1) {
            onLine(buffered.slice(0, newline));
            buffered = buffered.slice(newline + 1);
        }
    });
}

/** A test run that aborts must not leave archive processes behind. */
function installExitHook(): void {
    if (exitHookInstalled) return;
    exitHookInstalled = true;
    process.on("exit", () => {
        for (const child of live) child.kill("SIGKILL");
    });
}
