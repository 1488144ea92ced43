/**
 * `npm start [-- --stack prod] [-- --once] [-- --port 8080]`: the whole system locally, no cloud and no Pulumi CLI.
 * Reads and validates the stack's configuration with the program's code, starts a Redis Cluster of the stack's shape
 * on loopback (TLS + AUTH when the stack has in-transit encryption), serves the handler archive the program builds
 * behind a local Function URL, does the tutorial's SET/GET once and prints the answer, then serves until Ctrl-C and
 * stops everything it started. `--once` stops right after the answer (exit 0), for scripts.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TUTORIAL_PAIR } from "../functions/request";
import { CommandLine } from "../twin/cli/commandLine";
import { runScript } from "../twin/cli/runScript";
import type { LocalSystem } from "../twin/local/localSystem";
import { step } from "../twin/cli/progress";
import { ensurePrerequisites } from "../twin/local/prerequisites";
import { loadStack } from "../twin/program/stackSettings";

const USAGE = `Usage: npm start [-- --stack <name>] [-- --once] [-- --port <port>] [-- --config <key>=<value> ...]
  --stack    the stack whose shape to run (Pulumi.<name>.yaml); default dev
  --once     start, do the tutorial's SET/GET, print the answer, stop (exit 0, or 1 with the reason)
  --port     port of the local Function URL on 127.0.0.1; default a free one
  --config   override a project setting, as \`pulumi config set\` would (e.g. --config numNodeGroups=3)`;

/** Resolves with the first SIGINT or SIGTERM. Kept registered: a second Ctrl-C must not kill us mid-cleanup. */
function signalled(): Promise<NodeJS.Signals> {
    return new Promise((resolve) => {
        for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => resolve(signal));
    });
}

/**
 * The tutorial's smoke test through the whole path — HTTP, the Function URL event, the serialized handler, the cluster:
 * `GET /` sets the tutorial's pair and reads it back. Resolves with the value read.
 */
async function tutorialSetGet(url: string): Promise<string> {
    const response = await fetch(url);
    const text = await response.text();
    step(
        `GET / (the tutorial's SET ${TUTORIAL_PAIR.key}=${TUTORIAL_PAIR.value}, then GET) → ${response.status} ${text}`,
    );
    let value: unknown;
    try {
        value = (JSON.parse(text) as { value?: unknown }).value;
    } catch {
        value = undefined;
    }
    if (response.status !== 200 || value !== TUTORIAL_PAIR.value) {
        throw new Error(
            `the tutorial's SET/GET answered ${response.status} ${text}, not the value ${TUTORIAL_PAIR.value}`,
        );
    }
    return value;
}

async function main(args: CommandLine): Promise<number> {
    const stack = loadStack(args.stack, args.config);
    const { settings } = stack;
    step(
        `stack ${stack.stack} (${stack.region}): ${settings.numNodeGroups} shard(s) × ${settings.replicaCount} replica(s) of ${settings.nodeType}, ` +
            `${settings.engine} ${settings.engineVersion}, ${settings.transitEncryption ? "TLS + AUTH" : "no TLS"} — configuration valid`,
    );
    for (const warning of stack.warnings) step(`warning: ${warning}`);
    const versions = await ensurePrerequisites(step);
    // The nodes run this machine's redis-server, whatever engine and version the stack names: say both, side by side.
    step(
        `found redis-server ${/v=(\S+)/.exec(versions["redis-server"])?.[1] ?? versions["redis-server"]} ` +
            `(the stack's nodes: ${settings.engine} ${settings.engineVersion} on ElastiCache) and ${versions.openssl.split(" ").slice(0, 2).join(" ")}`,
    );

    // Every temp dir the helpers make (cluster configs and CA, the archive, the handler's driver) lands in one root,
    // so stopping removes all of it at once.
    // Loaded only now: the program and Pulumi take seconds of CPU to load, wasted on a run refused above.
    const { startLocalSystem } = await import("../twin/local/localSystem");
    const { renderSummary } = await import("../twin/local/localSummary");
    const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), "redis-cluster-local-"));
    process.env.TMPDIR = tempRoot;
    const removeTemp = (): void => fs.rmSync(tempRoot, { recursive: true, force: true });
    const interrupted = signalled();

    let system: LocalSystem | undefined;
    try {
        const starting = startLocalSystem({
            stack,
            port: args.port,
            say: step,
            onRequest: (request) =>
                step(
                    `${request.method} ${request.target} → ${request.statusCode} in ${request.ms} ms${request.error ? ` (${request.error})` : ""}`,
                ),
        });
        const first = await Promise.race([
            starting.then((started) => ({ started })),
            interrupted.then((signal) => ({ signal })),
        ]);
        if ("signal" in first) {
            // The process-tracking hooks have already SIGKILLed what had started; start-up now fails (or completes)
            // and cleans up after itself. Waiting for that lets this process reap its children: exiting at once would
            // leave them as zombies under an init that may not reap.
            step(`${first.signal} during start-up: stopping what has started`);
            await Promise.race([
                starting.then(
                    (started) => started.stop(),
                    () => undefined,
                ),
                new Promise((resolve) => setTimeout(resolve, 15_000).unref()),
            ]);
            removeTemp();
            step("stopped");
            return 130;
        }
        system = first.started;
        step(`ready in ${process.uptime().toFixed(1)} s`);

        console.log(`Answer: ${await tutorialSetGet(system.server.url)}`);
        console.log("");
        for (const line of await renderSummary(system, stack.stack)) console.log(line);
        console.log(`Temp files: ${tempRoot} (removed on exit)`);
        console.log("");

        if (!args.once) {
            step("serving until Ctrl-C (SIGINT) or SIGTERM");
            step(`${await interrupted}: stopping`);
        }
        const pids = [...system.cluster.nodes.map((node) => node.pid), system.handler.pid];
        await system.stop();
        removeTemp();
        step(
            `stopped ${system.cluster.nodes.length} redis-server processes and the handler process (pids ${pids.join(", ")}); removed ${tempRoot}`,
        );
        return 0;
    } catch (error) {
        await system?.stop().catch((stopError: Error) => console.error(`while stopping: ${stopError.message}`));
        removeTemp();
        throw error;
    }
}

runScript({ name: "npm start", usage: USAGE, options: ["stack", "config", "once", "port"], main });
