import { expect } from "chai";
import { ChildProcess, execFile, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { installDecision } from "../../twin/local/prerequisites";
import { loadStack } from "../../twin/program/stackSettings";

const ROOT = path.resolve(__dirname, "..", "..");

interface Finished {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** `npm start -- <args>` exactly as a person types it. */
function npmStart(args: string[]): Promise<Finished> {
    return new Promise((resolve) => {
        execFile(
            "npm",
            ["start", "--", ...args],
            { cwd: ROOT, timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
            (error, stdout, stderr) => {
                const failure = error as (Error & { code?: number; signal?: NodeJS.Signals }) | null;
                resolve({
                    code: failure ? (failure.code ?? null) : 0,
                    signal: failure?.signal ?? null,
                    stdout,
                    stderr,
                });
            },
        );
    });
}

/** The arguments of package.json's `start` line after `node`: the script run without npm in between. */
function startScriptArgs(): string[] {
    const [command, ...args] = (
        JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts.start as string
    ).split(" ");
    expect(command).to.equal("node");
    return args;
}

/** Every pid the run reported starting: each node's, the handler's. */
function reportedPids(stdout: string): number[] {
    const pids = [...stdout.matchAll(/\bpid (\d+)/g)].map((match) => Number(match[1]));
    expect(pids.length, "pids in the summary").to.be.greaterThan(1);
    return [...new Set(pids)];
}

function tempRoot(stdout: string): string {
    const match = /^Temp files: (\S+)/m.exec(stdout);
    expect(match, "the temp dir in the summary").to.not.equal(null);
    return match![1];
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code !== "ESRCH";
    }
}

/** Waits a moment for the pids to leave the process table (an orphan is reaped by init shortly after it exits). */
async function expectGone(pids: number[]): Promise<void> {
    const deadline = Date.now() + 3000;
    while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pids.filter(alive), "processes left behind").to.deep.equal([]);
}

function expectCleanRun(run: Finished): Promise<void> {
    expect(fs.existsSync(tempRoot(run.stdout)), "temp dir removed").to.equal(false);
    return expectGone(reportedPids(run.stdout));
}

/** The command with no PATH at all: no redis-server, no openssl, no apt-get. */
function startWithoutPrerequisites(): Promise<Finished> {
    return new Promise<Finished>((resolve) =>
        execFile(
            process.execPath,
            [...startScriptArgs(), "--once"],
            { cwd: ROOT, env: { ...process.env, PATH: "/nonexistent" } },
            (error, stdout, stderr) =>
                resolve({
                    code: error ? Number((error as { code?: unknown }).code) : 0,
                    signal: null,
                    stdout,
                    stderr,
                }),
        ),
    );
}

describe("npm start (local mode)", function () {
    this.timeout(180_000);
    // The one-shot runs are independent processes, each with its own cluster on its own ports and its own temp dir:
    // they start together and each test awaits its own. Much of a run is waiting (cluster start, a health check).
    let runs: Record<"dev" | "prod" | "iam" | "invalid" | "bare", Promise<Finished>>;
    before(() => {
        runs = {
            dev: npmStart(["--once"]),
            prod: npmStart(["--once", "--stack", "prod"]),
            iam: npmStart([
                "--once",
                "--config",
                "authMode=iam",
                "--config",
                "engine=valkey",
                "--config",
                "engineVersion=8.1",
                // The same run shows engine parameters reaching every node (CONFIG SET, then CONFIG GET on each).
                "--config",
                'parameters={"maxmemory-policy":"allkeys-lru"}',
            ]),
            invalid: npmStart(["--once", "--config", "replicaCount=6"]),
            bare: startWithoutPrerequisites(),
        };
    });
    after(async () => {
        // A test that failed early leaves the others' runs going: they end (and stop what they started) first.
        await Promise.allSettled(Object.values(runs ?? {}));
    });

    it("--once (dev): does the tutorial's SET/GET through the local Function URL, prints fugafuga, stops everything, exits 0", async () => {
        const run = await runs.dev;
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.match(/^Answer: fugafuga$/m);
        // Each warning once, and the local redis-server's version beside the engine the stack names.
        const warnings = run.stdout.split("\n").filter((line) => /^\[ *\d+\.\ds\] warning: /.test(line));
        const texts = warnings.map((line) => line.replace(/^\[ *\d+\.\ds\] /, ""));
        expect(new Set(texts).size, texts.join("\n")).to.equal(texts.length);
        expect(`${run.stdout}${run.stderr}`).to.not.include("[runtime]");
        const { engine, engineVersion } = loadStack("dev").settings;
        expect(run.stdout).to.include(`(the stack's nodes: ${engine} ${engineVersion} on ElastiCache)`);
        expect(run.stdout).to.match(/found redis-server \d+\.\d+\.\d+ \(the stack's nodes: /);
        expect(run.stdout).to.match(
            /Redis Cluster: 1 shard\(s\) × \(1 primary \+ 1 replica\(s\)\) = 2 nodes, TLS \+ Redis users \(default off\)/,
        );
        expect(run.stdout).to.match(
            /the program's Redis users applied as ACLs on every node: default "off -@all", redis-dev-function "on ~\* -@all \+cluster\|slots/,
        );
        expect(run.stdout).to.match(
            /^ {2}redis-cli -c --tls --cacert \S+ -h 127\.0\.0\.1 -p \d+ --user redis-dev-operator -a [A-Za-z0-9]{64} --no-auth-warning GET hogehoge$/m,
        );
        expect(run.stdout).to.match(/^\[ *\d+\.\ds\] ready in/m);
        // Each node watched like the alarms watch ElastiCache: its ElastiCache-style id, role, memory, ops/s, and a command per node.
        expect(run.stdout).to.match(
            /^ {4}0001-001 {2}127\.0\.0\.1:\d+ +primary +memory \S+ \(no maxmemory\) +\d+ ops\/s +\d+ clients +0 evicted$/m,
        );
        expect(run.stdout).to.match(/^ {4}0001-002 {2}127\.0\.0\.2:\d+ +replica +memory /m);
        for (const host of ["127.0.0.1", "127.0.0.2"]) {
            expect(run.stdout).to.match(
                new RegExp(
                    `^ {4}redis-cli --tls --cacert \\S+ --user redis-dev-operator -a [A-Za-z0-9]{64} --no-auth-warning -h ${host.replace(/\./g, "\\.")} -p \\d+ --stat$`,
                    "m",
                ),
            );
        }
        await expectCleanRun(run);
    });

    it("--once --stack prod: a 3 × 2 TLS cluster with the program's users answers fugafuga", async () => {
        const run = await runs.prod;
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.match(/^Answer: fugafuga$/m);
        expect(run.stdout).to.include(
            "3 shard(s) × (1 primary + 2 replica(s)) = 9 nodes, TLS + Redis users (default off)",
        );
        expect(run.stdout.match(/^ {4}127\.0\.0\.\d+:\d+ +primary/gm)).to.have.length(3);
        expect(run.stdout.match(/^ {4}127\.0\.0\.\d+:\d+ +replica/gm)).to.have.length(6);
        expect(
            run.stdout.match(/^ {4}000[1-3]-00[1-3] {2}127\.0\.0\.\d+:\d+ +(primary|replica) +memory /gm),
        ).to.have.length(9);
        expect(run.stdout.match(/ --stat$/gm)).to.have.length(9);
        await expectCleanRun(run);
    });

    it("--once with authMode iam (valkey): says plainly that a local password stands in for IAM tokens, answers fugafuga", async () => {
        const run = await runs.iam;
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.match(/^Answer: fugafuga$/m);
        // parameters: every one of the 2 nodes reports the policy with CONFIG GET.
        expect(run.stdout).to.match(
            /parameters: maxmemory-policy set with CONFIG SET on every node; CONFIG GET maxmemory-policy → allkeys-lru, allkeys-lru$/m,
        );
        expect(run.stdout).to.match(
            /authMode iam: ElastiCache would take a SigV4 token .* a local Redis cannot check one, so here the function's user has a local password instead/,
        );
        await expectCleanRun(run);
    });

    it("refuses an invalid configuration with the program's message and exit code 1, starting nothing", async () => {
        const run = await runs.invalid;
        expect(run.code).to.equal(1);
        expect(run.stderr).to.match(/Invalid stack configuration \(1 problem\):\n {2}- replicaCount: 6/);
        expect(run.stdout).to.not.include("starting a local Redis Cluster");
    });

    it("without redis-server, openssl and apt-get, exits 1 naming the Debian packages to install", async () => {
        const run = await runs.bare;
        expect(run.stderr).to.include(
            "redis-server and openssl are not installed; install the Debian packages redis-server redis-tools openssl",
        );
        expect(run.code).to.equal(1);
    });

    it("installs redis-server only as root on a machine with apt-get, otherwise refuses", () => {
        expect(installDecision({ isRoot: true, hasAptGet: true })).to.equal("install");
        expect(installDecision({ isRoot: false, hasAptGet: true })).to.equal("refuse");
        expect(installDecision({ isRoot: true, hasAptGet: false })).to.equal("refuse");
    });

    describe("served until SIGINT", () => {
        let child: ChildProcess;
        let stdout = "";
        let url: string;
        let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

        before(async () => {
            // The package.json line itself, run without npm in between so the signal reaches our process only:
            // stopping the redis-server and handler processes must then be its own doing.
            child = spawn(process.execPath, startScriptArgs(), { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
            exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
            let stderr = "";
            child.stderr!.on("data", (chunk) => (stderr += chunk));
            url = await new Promise<string>((resolve, reject) => {
                child.stdout!.on("data", (chunk) => {
                    stdout += chunk;
                    const match = /Local Function URL: (\S+)/.exec(stdout);
                    if (match && stdout.includes("serving until Ctrl-C")) resolve(match[1]);
                });
                exited.then(({ code }) =>
                    reject(new Error(`npm start exited (${code}) before serving:\n${stdout}\n${stderr}`)),
                );
            });
        });

        after(async () => {
            // Only if a test failed before SIGINT: never leave the system running.
            if (child.exitCode === null && child.signalCode === null) {
                child.kill("SIGINT");
                await exited;
            }
        });

        it("GET / answers the tutorial's pair with the handler's headers", async () => {
            const response = await fetch(url);
            expect(response.status).to.equal(200);
            expect(response.headers.get("content-type")).to.equal("application/json");
            expect(response.headers.get("cache-control")).to.equal("no-store");
            expect(await response.json()).to.deep.include({ key: "hogehoge", value: "fugafuga" });
        });

        it("GET /?key=K&value=V sets and reads back the pair, query decoded", async () => {
            const response = await fetch(`${url}?key=${encodeURIComponent("k ü")}&value=${encodeURIComponent("v&1")}`);
            expect(response.status).to.equal(200);
            expect(await response.json()).to.deep.include({ key: "k ü", value: "v&1", redis_result: "v&1" });
        });

        it("POST with a JSON body, as text and as a binary content type (base64 in the event)", async () => {
            for (const contentType of ["application/json", "application/octet-stream"]) {
                const response = await fetch(url, {
                    method: "POST",
                    headers: { "content-type": contentType },
                    body: JSON.stringify({ key: "posted", value: contentType }),
                });
                expect(response.status, contentType).to.equal(200);
                expect(await response.json()).to.deep.include({ key: "posted", value: contentType });
            }
        });

        it("passes the handler's refusals through: 400, 404, 405 with Allow", async () => {
            const missingValue = await fetch(`${url}?key=only`);
            expect(missingValue.status).to.equal(400);
            expect(((await missingValue.json()) as { error?: unknown }).error).to.be.a("string");
            expect((await fetch(`${url}elsewhere`)).status).to.equal(404);
            const deleted = await fetch(url, { method: "DELETE" });
            expect(deleted.status).to.equal(405);
            expect(deleted.headers.get("allow")).to.equal("GET, POST");
        });

        it("SIGINT: exits 0, having stopped every redis-server and the handler by pid and removed its temp files", async () => {
            const pids = reportedPids(stdout);
            expect(pids.filter(alive), "running before SIGINT").to.deep.equal(pids);
            child.kill("SIGINT");
            const { code } = await exited;
            expect(code, stdout).to.equal(0);
            expect(stdout).to.match(/SIGINT: stopping/);
            await expectGone([...pids, child.pid!]);
            expect(fs.existsSync(tempRoot(stdout)), "temp dir removed").to.equal(false);
        });
    });
});
