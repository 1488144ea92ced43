import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";

/** A child process started by the test support code, tracked so it can never outlive the test run. */
export interface ManagedProcess {
    /** Operating-system process id. */
    readonly pid: number;
    /** The command line, for error messages. */
    readonly description: string;
    /** True once the process has exited and been reaped (its pid may then belong to someone else). */
    hasExited(): boolean;
    /** Resolves when the process has exited and been reaped. */
    readonly exited: Promise<void>;
}

interface Tracked extends ManagedProcess {
    readonly child: ChildProcess;
}

const live = new Set<Tracked>();
const tempDirs = new Set<string>();
let hooksInstalled = false;

/**
 * Starts `command` detached from our stdio and tracks it for {@link terminateProcess} and the exit hook.
 * The child is `unref`ed: a test that forgets to stop it must not keep mocha alive forever; the exit hook kills it.
 */
export function spawnManaged(command: string, args: string[], cwd: string): ManagedProcess {
    installExitHooks();
    const child = spawn(command, args, { cwd, stdio: "ignore" });
    if (child.pid === undefined) {
        // spawn reports ENOENT asynchronously; swallow it here so it is not an unhandled 'error' event.
        child.on("error", () => undefined);
        throw new Error(`Could not start ${command}: is it installed? (apt-get install -y redis-server redis-tools)`);
    }
    let exitedFlag = false;
    const exited = new Promise<void>((resolve) => {
        child.once("exit", () => {
            exitedFlag = true;
            live.delete(tracked);
            resolve();
        });
    });
    child.on("error", () => undefined);
    child.unref();
    const tracked: Tracked = {
        pid: child.pid,
        description: `${command} ${args.join(" ")}`,
        child,
        hasExited: () => exitedFlag,
        exited,
    };
    live.add(tracked);
    return tracked;
}

/**
 * Sends `signal` unless the process has already exited: once reaped, its pid may have been reused by an unrelated
 * process, so signalling it blindly could hit someone else's process. Returns whether the signal was sent.
 */
export function signalProcess(proc: ManagedProcess, signal: NodeJS.Signals): boolean {
    if (proc.hasExited()) return false;
    try {
        process.kill(proc.pid, signal);
        return true;
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
        throw error;
    }
}

/** True while the pid exists in the process table (including as a zombie not yet reaped). */
export function pidExists(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

/**
 * Stops a process for good: SIGCONT (a SIGSTOPped process cannot act on SIGTERM), SIGTERM, then SIGKILL after
 * `graceMs`; resolves only once the pid has left the process table.
 */
export async function terminateProcess(proc: ManagedProcess, graceMs = 2000): Promise<void> {
    signalProcess(proc, "SIGCONT");
    signalProcess(proc, "SIGTERM");
    if (!(await settlesWithin(proc.exited, graceMs))) {
        signalProcess(proc, "SIGKILL");
        if (!(await settlesWithin(proc.exited, 5000))) {
            throw new Error(`Process ${proc.pid} (${proc.description}) did not exit 5 s after SIGKILL`);
        }
    }
    // A dead process can linger in the process table for a moment after its exit is reported.
    const deadline = Date.now() + 5000;
    while (pidExists(proc.pid)) {
        if (Date.now() > deadline) throw new Error(`Process ${proc.pid} still in the process table after exit`);
        await new Promise((resolve) => setTimeout(resolve, 20));
    }
}

/** Registers a directory for removal by the exit hook, in case the run is aborted before it is cleaned up. */
export function trackTempDir(dir: string): void {
    installExitHooks();
    tempDirs.add(dir);
}

/** Removes a directory registered with {@link trackTempDir}. */
export async function removeTempDir(dir: string): Promise<void> {
    await fs.promises.rm(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
}

function killEverythingNow(): void {
    for (const proc of live) signalProcess(proc, "SIGKILL");
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
}

const forwardedSignals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function onSignal(signal: NodeJS.Signals): void {
    killEverythingNow();
    // Node skips 'exit' listeners when a signal kills it; re-raise the signal with default handling unless someone
    // else (mocha, a script) handles it and will exit on its own.
    if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal);
        process.kill(process.pid, signal);
    }
}

function installExitHooks(): void {
    if (hooksInstalled) return;
    hooksInstalled = true;
    // An aborted run (failed `before`, Ctrl-C, mocha bailing out) must not leave redis-server processes behind.
    process.on("exit", killEverythingNow);
    for (const signal of forwardedSignals) process.on(signal, onSignal);
}

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        promise.then(() => {
            clearTimeout(timer);
            resolve(true);
        });
    });
}
