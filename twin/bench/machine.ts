/** What a benchmark result is tied to: the machine, its load while it ran, and the code measured. */
import { execFileSync } from "child_process";
import * as os from "os";
import { sleep } from "../process/polling";

export interface MachineInfo {
    readonly cores: number;
    readonly cpuModel: string;
    readonly node: string;
    readonly platform: string;
    readonly totalMemoryMiB: number;
}

/** What every result file starts with: when, where, on which code, against which cluster. */
export interface RunHeader {
    readonly at: string;
    readonly quick: boolean;
    readonly machine: MachineInfo;
    /** 1, 5 and 15 minute load averages when the run started and ended. */
    readonly loadAverage: { readonly start: number[]; readonly end: number[] };
    readonly code?: { readonly commit: string; readonly dirty: boolean };
    readonly cluster: string;
}

export function machineInfo(): MachineInfo {
    const cpus = os.cpus();
    return {
        cores: cpus.length,
        cpuModel: cpus[0]?.model.trim() ?? "unknown",
        node: process.version,
        platform: `${os.platform()} ${os.release()}`,
        totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    };
}

/** The 1, 5 and 15 minute load averages, 2 decimals. */
export function loadAverage(): [number, number, number] {
    const [one, five, fifteen] = os.loadavg().map((value) => Math.round(value * 100) / 100);
    return [one, five, fifteen];
}

/** The commit measured, and whether the working tree differed from it; undefined outside a git checkout. */
export function codeVersion(root: string): { commit: string; dirty: boolean } | undefined {
    try {
        const commit = execFileSync("git", ["rev-parse", "HEAD"], {
            cwd: root,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
        }).trim();
        const status = execFileSync("git", ["status", "--porcelain"], {
            cwd: root,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "ignore"],
        });
        return { commit, dirty: status.trim() !== "" };
    } catch {
        return undefined;
    }
}

/**
 * Waits until the 1-minute load average is below `maxLoad` (other work on a shared machine skews every timing), for
 * at most `timeoutMs`. Resolves with whether it got there; the caller decides whether to run anyway.
 */
export async function waitForQuietMachine(
    maxLoad: number,
    timeoutMs: number,
    say: (message: string) => void,
): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let lastSaid = 0;
    for (;;) {
        const [one] = loadAverage();
        if (one < maxLoad) return true;
        if (Date.now() >= deadline) return false;
        if (Date.now() - lastSaid >= 60_000) {
            say(`waiting for the 1-minute load average (${one}) to drop below ${maxLoad}`);
            lastSaid = Date.now();
        }
        await sleep(10_000);
    }
}
