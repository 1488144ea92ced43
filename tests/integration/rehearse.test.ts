/**
 * Rehearsals carried out for real on a 3-shard × 1-replica TLS cluster with the program's users, under steady load
 * of the serialized handler: behaviour only (no timings). Most go through the engine with a prepared archive; one
 * runs the command to check Ctrl-C mid-change stops everything it started.
 */
import { expect } from "chai";
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LambdaArchive, writeLambdaArchive } from "../../twin/archive/lambdaArchive";
import { pidExists } from "../../twin/process/processes";
import { loadStack } from "../../twin/program/stackSettings";
import { RehearsalResult, runRehearsal } from "../../twin/rehearse/runRehearsal";
import { planScalerStep } from "../../twin/rehearse/scalerStep";
import type { ReshapeStep } from "../../twin/rehearse/steps";

const ROOT = path.resolve(__dirname, "..", "..");
const BEFORE = { numNodeGroups: "3", replicaCount: "1" };
/** The same shape with a scaler on both counts (on a node type auto scaling supports): the steps below are its own. */
const SCALED = { ...BEFORE, nodeType: "cache.r7g.large", maxNumNodeGroups: "4", maxReplicaCount: "2" };
const quiet = { setPhase: () => undefined, setDetail: () => undefined };

describe("npm run rehearse: changes carried out under load", function () {
    let archive: LambdaArchive;
    before(async function () {
        archive = await writeLambdaArchive({ stack: "dev", config: BEFORE });
    });
    after(() => archive?.remove());

    const rehearse = (steps: ReshapeStep[]): Promise<RehearsalResult> =>
        runRehearsal({
            before: loadStack("dev", BEFORE),
            steps,
            expected: { shards: 3, replicasPerShard: 1 },
            archiveBefore: archive,
            load: { ratePerSecond: 30, containers: 3, windowMs: 1000 },
            // A key in every 4th slot: each batch of slots that moves still carries keys, at a quarter of the work.
            knownKeyEveryNthSlot: 4,
            progress: quiet,
        });

    const expectNothingLost = (result: RehearsalResult): void => {
        expect(result.calls.during.calls, "calls made while the change ran").to.be.greaterThan(0);
        expect(result.calls.failures, "failed calls").to.deep.equal([]);
        expect(result.calls.lostAcknowledgedWrites, "acknowledged writes lost").to.equal(0);
        expect(result.knownKeys).to.deep.equal({ written: 4096, readBack: 4096, lost: 0 });
        expect(result.shape.slotsCovered).to.equal(16384);
        expect(result.shape.keysElsewhere, "known keys not on the shard the server names").to.equal(0);
        expect(result.shape.problems).to.deep.equal([]);
        expect(result.functionProblems).to.deep.equal([]);
    };

    // The steps are the auto scaler's own (`--scale-out`, `--scale-in`, as planScalerStep chooses them): a shard out
    // and back in, then a replica per shard out and back in. Each pair ends in the shape it started from (3 × 1), so
    // all four run in one rehearsal: one start, one pair of windows and one read-back, every figure checked after all.
    const scaler = {
        shardsOut: planScalerStep({ stack: "dev", config: SCALED, direction: "out" }),
        shardsIn: planScalerStep({ stack: "dev", config: SCALED, direction: "in" }),
        replicasOut: planScalerStep({ stack: "dev", config: SCALED, direction: "out", dimension: "replicas" }),
        replicasIn: planScalerStep({ stack: "dev", config: SCALED, direction: "in", dimension: "replicas" }),
    };
    let reshaped: Promise<RehearsalResult> | undefined;
    const scaledOutAndIn = () => (reshaped ??= rehearse(Object.values(scaler).map((plan) => plan.step)));

    it("takes the scaler's steps one count at a time, each starting where the previous one ended", function () {
        expect(Object.values(scaler).map((plan) => [plan.step, plan.count])).to.deep.equal([
            [
                { kind: "add shards", count: 1 },
                { before: 3, after: 4 },
            ],
            [
                { kind: "remove shards", count: 1 },
                { before: 4, after: 3 },
            ],
            [
                { kind: "add replicas", perShard: 1 },
                { before: 1, after: 2 },
            ],
            [
                { kind: "remove replicas", perShard: 1 },
                { before: 2, after: 1 },
            ],
        ]);
        expect(scaler.shardsOut.expected).to.deep.equal({ shards: 4, replicasPerShard: 1 });
        expect(scaler.replicasOut.expected).to.deep.equal({ shards: 3, replicasPerShard: 2 });
    });

    it("scales shards out and in under load: no failed call, no key lost, every slot served, every key where the server says", async function () {
        const result = await scaledOutAndIn();
        expectNothingLost(result);
        expect(result.shape.shards).to.equal(3);
        expect(result.steps.map((timing) => timing.step).slice(0, 2)).to.deep.equal([
            "add 1 shard(s), rebalance slots online",
            "move the slots of 1 shard(s) away, remove their nodes",
        ]);
    });

    it("scales replicas out and in, one per shard: the same", async function () {
        const result = await scaledOutAndIn();
        expectNothingLost(result);
        expect(result.shape.replicasPerShard).to.deep.equal([1, 1, 1]);
    });

    it("replaces the cluster: the calls go on against the new one, every key written before is reported lost", async function () {
        const result = await rehearse([{ kind: "replace cluster", because: "port 6379 → 6380" }]);
        expect(result.knownKeys).to.deep.equal({ written: 4096, readBack: 0, lost: 4096 });
        expect(result.calls.after.calls).to.be.greaterThan(0);
        expect(result.calls.after.failed, "calls after the function moved to the new cluster").to.equal(0);
        expect(result.shape.slotsCovered).to.equal(16384);
        expect(result.shape.shards).to.equal(3);
    });
});

describe("npm run rehearse: the command", function () {
    const script = (args: string[], env: NodeJS.ProcessEnv = {}) =>
        spawn(process.execPath, ["-r", path.join(ROOT, "twin", "register.cjs"), "scripts/rehearse.ts", ...args], {
            cwd: ROOT,
            env: { ...process.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
    const finished = (child: ReturnType<typeof script>) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
            let stdout = "";
            let stderr = "";
            child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
            child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
            const timer = setTimeout(() => child.kill("SIGKILL"), 110_000);
            child.once("exit", (code) => {
                clearTimeout(timer);
                resolve({ code, stdout, stderr });
            });
        });

    // Each refusal's wording is unit-tested (rehearseRefusals.test.ts); here, that the command exits 1 with one line.
    it("refuses an unknown key and a no-op with one line naming the key, exit 1, nothing printed on stdout", async function () {
        const cases = [
            ["shards=2", "shards"],
            ["numNodeGroups=1", "numNodeGroups"],
        ];
        // Side by side: each is a process of its own that starts nothing.
        const results = await Promise.all(cases.map(([config]) => finished(script(["--config", config]))));
        for (const [index, [config, key]] of cases.entries()) {
            const result = results[index];
            expect(result.code, config).to.equal(1);
            expect(result.stderr.trim().split("\n"), config).to.have.length(1);
            expect(result.stderr, config).to.match(new RegExp(`^${key}`));
            expect(result.stdout, config).to.equal("");
        }
    });

    it("stops every redis-server and process it started on Ctrl-C mid-change, exit 130", async function () {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rehearse-sigint-"));
        try {
            const child = script(["--config", "numNodeGroups=2"], { TMPDIR: tmp });
            const done = finished(child);
            let output = "";
            const seen = new Set<number>();
            await new Promise<void>((resolve, reject) => {
                const timer = setTimeout(() => reject(new Error(`the change never started:\n${output}`)), 100_000);
                child.stdout!.on("data", (chunk: string) => {
                    output += chunk;
                    if (output.includes("new primary joined")) {
                        clearTimeout(timer);
                        resolve();
                    }
                });
            });
            for (const pid of redisServersUnder(tmp)) seen.add(pid);
            expect(seen.size, "the rehearsal's own redis-server processes mid-change").to.be.greaterThan(2);
            child.kill("SIGINT");
            const result = await done;
            expect(result.code, result.stdout + result.stderr).to.equal(130);
            for (const pid of seen) expect(pidExists(pid), `redis-server pid ${pid}`).to.equal(false);
            expect(redisServersUnder(tmp)).to.deep.equal([]);
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});

/** redis-server processes whose working directory is under `dir` (each node runs in its cluster's temp dir). */
function redisServersUnder(dir: string): number[] {
    return fs
        .readdirSync("/proc")
        .filter((entry) => /^\d+$/.test(entry))
        .filter((pid) => {
            try {
                return (
                    fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "redis-server" &&
                    fs.readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)
                );
            } catch {
                return false;
            }
        })
        .map(Number);
}
