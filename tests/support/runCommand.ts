import { spawn } from "child_process";
import { performance } from "perf_hooks";

export interface CommandOptions {
    readonly cwd: string;
    /** Added to this process's environment. */
    readonly env?: Readonly<Record<string, string>>;
    /** After this long the command gets `killSignal`. */
    readonly timeoutMs: number;
    /** What ends an overrunning command; also sent if this process exits first, so no child outlives it. */
    readonly killSignal: NodeJS.Signals;
}

export interface CommandResult {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
    /** From spawning to exit. */
    readonly ms: number;
}

/** Runs a command to its end, bounded in time, and resolves with its exit status and output. */
export function runCommand(command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
        const started = performance.now();
        const child = spawn(command, args, {
            cwd: options.cwd,
            env: { ...process.env, ...options.env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        const stop = () => child.kill(options.killSignal);
        const timer = setTimeout(stop, options.timeoutMs);
        process.once("exit", stop);
        child.once("error", (error) => {
            clearTimeout(timer);
            process.off("exit", stop);
            reject(error);
        });
        child.once("exit", (code, signal) => {
            clearTimeout(timer);
            process.off("exit", stop);
            resolve({ code, signal, stdout, stderr, ms: performance.now() - started });
        });
    });
}
