/**
 * Makes sure the programs local mode runs are there: `redis-server` (the cluster's nodes) and `openssl` (the cluster's
 * throw-away CA for TLS). When one is missing and this is a Debian-like machine where we are root, its packages are
 * installed with apt-get, saying so first; otherwise local mode stops with a message naming the packages.
 */
import { execFile, spawn } from "child_process";
import { promisify } from "util";

const run = promisify(execFile);

/** A program local mode needs, how to ask its version, and the Debian packages that provide it. */
interface Prerequisite {
    readonly command: string;
    readonly versionArgs: readonly string[];
    readonly packages: readonly string[];
}

/** `redis-tools` brings `redis-cli`, which the summary's ready-to-paste line uses. */
export const PREREQUISITES: readonly Prerequisite[] = [
    { command: "redis-server", versionArgs: ["--version"], packages: ["redis-server", "redis-tools"] },
    { command: "openssl", versionArgs: ["version"], packages: ["openssl"] },
];

/** What to do when something is missing: install only as root on a machine with apt-get. */
export function installDecision(environment: {
    readonly isRoot: boolean;
    readonly hasAptGet: boolean;
}): "install" | "refuse" {
    return environment.isRoot && environment.hasAptGet ? "install" : "refuse";
}

/**
 * Resolves with each program's version line, installing missing packages first when allowed.
 * @throws an Error naming the packages to install when something is missing and cannot be installed here.
 */
export async function ensurePrerequisites(say: (message: string) => void): Promise<Record<string, string>> {
    const versions = await readVersions();
    const missing = PREREQUISITES.filter((prerequisite) => versions[prerequisite.command] === undefined);
    if (missing.length === 0) return versions as Record<string, string>;

    const names = missing.map((prerequisite) => prerequisite.command).join(" and ");
    const packages = missing.flatMap((prerequisite) => prerequisite.packages).join(" ");
    const decision = installDecision({
        isRoot: process.getuid?.() === 0,
        hasAptGet: (await version("apt-get", ["--version"])) !== undefined,
    });
    if (decision === "refuse") {
        throw new Error(
            `${names} ${missing.length === 1 ? "is" : "are"} not installed; install the Debian packages ${packages} (sudo apt-get install -y ${packages}) and run again`,
        );
    }
    say(
        `${names} ${missing.length === 1 ? "is" : "are"} not installed: installing the Debian packages ${packages} with apt-get (running as root)`,
    );
    await inherit("apt-get", ["update"]);
    await inherit("apt-get", [
        "install",
        "-y",
        "--no-install-recommends",
        ...missing.flatMap((prerequisite) => prerequisite.packages),
    ]);
    const installed = await readVersions();
    const still = PREREQUISITES.filter((prerequisite) => installed[prerequisite.command] === undefined);
    if (still.length > 0)
        throw new Error(
            `apt-get installed ${packages} but ${still.map((p) => p.command).join(" and ")} still cannot be run`,
        );
    return installed as Record<string, string>;
}

async function readVersions(): Promise<Record<string, string | undefined>> {
    const entries = await Promise.all(
        PREREQUISITES.map(
            async (prerequisite) =>
                [prerequisite.command, await version(prerequisite.command, prerequisite.versionArgs)] as const,
        ),
    );
    return Object.fromEntries(entries);
}

/** The first line a command prints for its version, or undefined when it cannot be run. */
async function version(command: string, args: readonly string[]): Promise<string | undefined> {
    try {
        const { stdout } = await run(command, [...args], { timeout: 10_000 });
        return stdout.trim().split("\n")[0];
    } catch {
        return undefined;
    }
}

/** Runs a command with its output on our stderr, so the person sees apt-get working. */
function inherit(command: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, {
            stdio: ["ignore", process.stderr, process.stderr],
            env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
        });
        child.once("error", reject);
        child.once("exit", (code, signal) =>
            code === 0
                ? resolve()
                : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`)),
        );
    });
}
