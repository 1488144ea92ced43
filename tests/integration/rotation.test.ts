/**
 * Rotating the Redis users' passwords through config (docs/changing.md §6), on a
 * real 3-shard TLS cluster under steady load: each step is the program evaluated with that step's config, its users
 * applied to every node as ElastiCache would apply them, and the function moved the way Lambda moves it (new
 * containers with the new environment take the calls, the old ones drain). No call may fail.
 */
import { expect } from "chai";
import { HANDLER_ENVIRONMENT } from "../../functions/environment";
import { ArchiveProcess } from "../../twin/archive/archiveProcess";
import { getEvent } from "../../twin/functionUrl/events";
import { LambdaArchive, writeLambdaArchive } from "../../twin/archive/lambdaArchive";
import { localHandlerEnvironment } from "../../twin/archive/localHandlerEnvironment";
import { LocalRedisCluster, startRedisCluster } from "../../twin/cluster/redisCluster";
import { applyRedisUsers, LOCAL_ADMIN_USER } from "../../twin/cluster/redisUsers";

const STEPS = [
    { passwordVersion: "1", passwordRotation: "none" },
    { passwordVersion: "1", passwordRotation: "add-next" },
    { passwordVersion: "1", passwordRotation: "use-next" },
    { passwordVersion: "2", passwordRotation: "none" },
] as const;
const CALL_INTERVAL_MS = 20;
/** Load keeps running this long after each step, so every step is crossed by many calls. */
const SETTLE_MS = 1500;

describe("password rotation under steady load (0 failed calls)", function () {
    this.timeout(180_000);
    let cluster: LocalRedisCluster;
    const archives: LambdaArchive[] = [];
    const started: ArchiveProcess[] = [];

    before(async function () {
        const starting = startRedisCluster({
            shards: 3,
            replicasPerShard: 1,
            tls: true,
            adminUser: LOCAL_ADMIN_USER,
            password: "rotation-admin-0123456789",
        });
        starting.catch(() => undefined);
        for (const config of STEPS) archives.push(await writeLambdaArchive({ stack: "dev", config: { ...config } }));
        cluster = await starting;
    });

    after(async function () {
        await Promise.allSettled(started.map((fn) => fn.stop()));
        await cluster?.stop();
        for (const archive of archives) archive.remove();
    });

    async function startContainer(archive: LambdaArchive): Promise<ArchiveProcess> {
        const fn = await ArchiveProcess.start({
            archiveDir: archive.dir,
            env: localHandlerEnvironment(archive, cluster),
        });
        started.push(fn);
        return fn;
    }

    it("adds the next password, moves the function, drops the old one, and no call fails", async function () {
        const passwordOf = (archive: LambdaArchive) => archive.environment[HANDLER_ENVIRONMENT.password];
        const [before, added, moved, dropped] = archives;
        expect(passwordOf(added)).to.equal(passwordOf(before));
        expect(passwordOf(moved)).to.not.equal(passwordOf(before));
        expect(passwordOf(dropped)).to.equal(passwordOf(moved));

        await applyRedisUsers(cluster, before.redisUsers);
        // Lambda routes each call to a container; here the live ones take turns.
        let containers = [await startContainer(before), await startContainer(before)];
        const outcomes: Array<{ status: number; step: number; body: string }> = [];
        let step = 0;
        let running = true;
        const load = (async () => {
            for (let n = 0; running; n++) {
                const fn = containers[n % containers.length];
                const key = cluster.keyForShard(n % 3, `rotation-${n}`);
                const call = await fn.invoke(getEvent(key, `v${n}`));
                outcomes.push({ status: call.result.statusCode, step, body: call.result.body });
                await new Promise((resolve) => setTimeout(resolve, CALL_INTERVAL_MS));
            }
        })();
        const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        try {
            await settle();
            step = 1; // add-next: every node accepts both passwords; the function still uses the current one.
            await applyRedisUsers(cluster, added.redisUsers);
            await settle();
            step = 2; // use-next: the function's configuration changes; new containers take the calls, old ones drain.
            const next = [await startContainer(moved), await startContainer(moved)];
            const old = containers;
            containers = next;
            await settle();
            await Promise.all(old.map((fn) => fn.stop()));
            step = 3; // passwordVersion 2, none: the old password is gone from every node.
            await applyRedisUsers(cluster, dropped.redisUsers);
            await settle();
            // New connections (after every connection is closed server-side) authenticate with the new password.
            await cluster.killClientConnections();
            await settle();
        } finally {
            running = false;
            await load;
        }

        const failed = outcomes.filter((outcome) => outcome.status !== 200);
        const perStep = [0, 1, 2, 3].map((index) => outcomes.filter((outcome) => outcome.step === index).length);
        console.log(`        ↳ ${outcomes.length} calls (per step ${perStep.join(", ")}), ${failed.length} failed`);
        expect(failed, JSON.stringify(failed.slice(0, 3))).to.deep.equal([]);
        for (const count of perStep) expect(count, "every step is crossed by calls").to.be.at.least(10);

        // The drop is real: a container still configured with the old password is now refused.
        const stale = await startContainer(before);
        const refused = await stale.invoke(getEvent(cluster.keyForShard(0, "stale"), "v"));
        expect(refused.result.statusCode).to.equal(503);
        expect(JSON.parse(refused.result.body)).to.deep.equal({ error: "Redis refused the credentials" });
    });
});
