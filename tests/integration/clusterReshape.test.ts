/**
 * A 3-shard TLS cluster carrying the program's Redis users changes shape while the serialized handler serves a steady
 * SET+GET load: a shard added and one removed (slots migrating online), replicas added and removed, every node replaced.
 * Behaviour only: no call fails, no key is lost, every slot is served, every key sits on the shard the server names.
 */
import { expect } from "chai";
import { HANDLER_ENVIRONMENT } from "../../functions/environment";
import { ArchiveProcess } from "../../twin/archive/archiveProcess";
import { LambdaArchive, writeLambdaArchive } from "../../twin/archive/lambdaArchive";
import { localHandlerEnvironment } from "../../twin/archive/localHandlerEnvironment";
import { ContainerPool } from "../../twin/bench/containerPool";
import { CallRecord, SteadyLoad } from "../../twin/bench/steadyLoad";
import {
    hashSlot,
    LocalRedisCluster,
    RedisClusterNode,
    SLOT_COUNT,
    startRedisCluster,
} from "../../twin/cluster/redisCluster";
import { applyRedisUsers, LOCAL_ADMIN_USER, withDurableWrites } from "../../twin/cluster/redisUsers";
import { addReplicas, addShards, removeReplicas, removeShards, rollingReplace } from "../../twin/cluster/reshape";
import { withConnections } from "../../twin/cluster/slotMigration";
import { getEvent } from "../../twin/functionUrl/events";

/** Keys written before any change, spread over every slot range; each must read back after every change. */
const KNOWN_KEYS = Array.from({ length: 400 }, (_, i) => `known:${i}`);
const LOAD_PER_SECOND = 20;

describe("reshaping a live 3-shard TLS cluster under the handler's load", function () {
    this.timeout(120_000);
    let cluster: LocalRedisCluster;
    let archive: LambdaArchive;
    let pool: ContainerPool;
    const summary: string[] = [];

    before(async function () {
        const starting = startRedisCluster({
            shards: 3,
            replicasPerShard: 1,
            tls: true,
            adminUser: LOCAL_ADMIN_USER,
            password: "reshape-admin-0123456789",
        });
        starting.catch(() => undefined);
        archive = await writeLambdaArchive({ stack: "dev" });
        cluster = await starting;
        await applyRedisUsers(cluster, archive.redisUsers);
        pool = await ContainerPool.create(
            () => ArchiveProcess.start({ archiveDir: archive.dir, env: localHandlerEnvironment(archive, cluster) }),
            { containers: 2 },
        );
        const writer = cluster.newClusterClient();
        try {
            await Promise.all(KNOWN_KEYS.map((key) => writer.set(key, `value of ${key}`)));
        } finally {
            writer.disconnect();
        }
    });

    after(async function () {
        await pool?.stop();
        await cluster?.stop();
        archive?.remove();
        if (summary.length > 0) console.log(`        ↳ ${summary.join("; ")}`);
    });

    /** Runs `change` under steady load and returns every call made meanwhile. */
    async function underLoad(label: string, change: () => Promise<void>): Promise<CallRecord[]> {
        const load = new SteadyLoad(pool, {
            ratePerSecond: LOAD_PER_SECOND,
            keyPrefix: `load-${label}`,
            shardOfSlot: (slot) => cluster.shardOfSlot(slot),
        });
        const started = Date.now();
        load.start();
        let records: CallRecord[];
        try {
            await change();
        } finally {
            records = await load.stop();
        }
        const failed = records.filter((record) => record.status !== 200 || !record.acknowledged);
        summary.push(`${label}: ${records.length} calls, ${failed.length} failed, ${Date.now() - started} ms`);
        return records;
    }

    function failures(records: readonly CallRecord[]): string[] {
        return records
            .filter((record) => record.status !== 200 || !record.acknowledged)
            .map((record) => `${record.key}: ${record.status} ${record.outcome} ${record.errorCode ?? ""}`);
    }

    /** Keys (known ones and the load's acknowledged writes) that do not read back with the value written. */
    async function lostKeys(records: readonly CallRecord[]): Promise<string[]> {
        const expected = new Map<string, string>(KNOWN_KEYS.map((key) => [key, `value of ${key}`]));
        for (const record of records) if (record.acknowledged) expected.set(record.key, record.value);
        const keys = [...expected.keys()];
        // A client of its own, seeded with the configuration endpoint as it is now: an idle client from before a
        // rolling replacement knows only nodes that have left.
        const reader = cluster.newClusterClient();
        try {
            const values = await Promise.all(keys.map((key) => reader.get(key)));
            return keys.filter((key, i) => values[i] !== expected.get(key));
        } finally {
            reader.disconnect();
        }
    }

    /**
     * Every slot served by a healthy primary, and every primary holding keys only in slots it owns: for each, the
     * server's COUNTKEYSINSLOT over its slots adds up to its DBSIZE, and each key the test wrote is on its slot's owner.
     */
    async function expectKeysWhereServerSays(records: readonly CallRecord[]): Promise<void> {
        const ownership = await cluster.slotOwners();
        expect(ownership.problems).to.deep.equal([]);
        expect(ownership.covered).to.equal(SLOT_COUNT);
        const primaries = [...new Set(ownership.owners)].filter((node): node is RedisClusterNode => node !== undefined);
        await withConnections(
            primaries.map((node) => cluster.adminTarget(node)),
            async (clients) => {
                for (const [i, primary] of primaries.entries()) {
                    const owned = ownership.owners.flatMap((owner, slot) => (owner === primary ? [slot] : []));
                    const counts = clients[i].pipeline();
                    for (const slot of owned) counts.call("CLUSTER", "COUNTKEYSINSLOT", slot);
                    const inOwnedSlots = ((await counts.exec()) ?? []).reduce((sum, [, n]) => sum + Number(n), 0);
                    expect(inOwnedSlots, `${primary.host}: keys in the slots it owns = its DBSIZE`).to.equal(
                        Number(await clients[i].dbsize()),
                    );
                }
                const keys = [...KNOWN_KEYS, ...records.filter((r) => r.acknowledged).map((r) => r.key)];
                const misplaced: string[] = [];
                for (const key of keys.slice(0, 200)) {
                    const slot = Number(await clients[0].call("CLUSTER", "KEYSLOT", key));
                    expect(slot, `CLUSTER KEYSLOT ${key}`).to.equal(hashSlot(key));
                    const owner = primaries.indexOf(ownership.owners[slot]!);
                    if (Number(await clients[owner].exists(key)) !== 1) misplaced.push(key);
                }
                expect(misplaced, "keys not on the primary that owns their slot").to.deep.equal([]);
            },
        );
    }

    /**
     * Runs `use` on a key of shard 0 whose slot is MIGRATING to shard 1 (IMPORTING there) and which the source does not
     * hold, so the source answers ASK; then deletes what was written on the destination and puts the slot back.
     */
    async function duringMigration(label: string, use: (key: string) => Promise<void>): Promise<void> {
        const key = cluster.keyForShard(0, label);
        const slot = hashSlot(key);
        const [source, destination] = [await cluster.currentPrimaryOf(0), await cluster.currentPrimaryOf(1)];
        await cluster.command(destination, ["CLUSTER", "SETSLOT", slot, "IMPORTING", source.id]);
        await cluster.command(source, ["CLUSTER", "SETSLOT", slot, "MIGRATING", destination.id]);
        try {
            await use(key);
        } finally {
            // Back to stable: the key the handler wrote is removed from the destination (ASKING lets the admin reach
            // it there), so the slot holds nothing either side.
            await withConnections([cluster.adminTarget(destination)], async ([client]) => {
                await client.pipeline().call("ASKING").del(key).exec();
            });
            await cluster.command(source, ["CLUSTER", "SETSLOT", slot, "STABLE"]);
            await cluster.command(destination, ["CLUSTER", "SETSLOT", slot, "STABLE"]);
        }
    }

    it("follows ASK into a slot being imported: a key the source no longer has is written where it moves", async function () {
        await duringMigration("asking", async (key) => {
            const container = pool.acquire();
            let answer;
            try {
                answer = (await container.container.invoke(getEvent(key, "moved-value"))).result;
            } finally {
                pool.release(container);
            }
            expect(answer.statusCode, answer.body).to.equal(200);
            expect(JSON.parse(answer.body).value).to.equal("moved-value");
        });
    });

    it("with durable writes, follows ASK too: the write lands on the importing node, a replica acknowledges it there", async function () {
        // The function's user as the program declares it with durable writes (WAIT allowed), for this test only.
        await applyRedisUsers(cluster, withDurableWrites(archive.redisUsers));
        const durable = await ArchiveProcess.start({
            archiveDir: archive.dir,
            env: localHandlerEnvironment(archive, cluster, { [HANDLER_ENVIRONMENT.durableWrites]: "true" }),
        });
        try {
            await duringMigration("asking-durable", async (key) => {
                const answer = (await durable.invoke(getEvent(key, "durable-value"))).result;
                expect(answer.statusCode, answer.body).to.equal(200);
                const body = JSON.parse(answer.body);
                expect(body.value).to.equal("durable-value");
                expect(body.replicas_acknowledged).to.be.at.least(1);
                // The importing node's replica holds it: the WAIT that counted it ran on the connection of the SET.
                const destination = await cluster.currentPrimaryOf(1);
                const replica = (await cluster.topology()).find((status) => status.primary === destination)!.node;
                const keysThere = await cluster.command(replica, ["CLUSTER", "COUNTKEYSINSLOT", hashSlot(key)]);
                expect(Number(keysThere), `keys of the slot on ${replica.host}`).to.equal(1);
            });
        } finally {
            await durable.stop();
            await applyRedisUsers(cluster, archive.redisUsers);
        }
    });

    it("adds a shard and removes one under load: no failed call, no lost key, every slot served, keys where the server says", async function () {
        const records = await underLoad("shard +1 then -1", async () => {
            await addShards(cluster, 1);
            expect(cluster.shards).to.equal(4);
            expect((await cluster.slotOwners()).complete).to.equal(true);
            await removeShards(cluster, 1);
        });
        expect(failures(records)).to.deep.equal([]);
        expect(records.length).to.be.greaterThan(0);
        expect(await lostKeys(records)).to.deep.equal([]);
        expect(cluster.shards).to.equal(3);
        expect(new Set((await cluster.topology()).map((status) => status.shard))).to.deep.equal(new Set([0, 1, 2]));
        await expectKeysWhereServerSays(records);
    });

    it("adds a replica to every shard and removes one under load: the shape follows, replicas synced, nothing lost", async function () {
        // An engine parameter set before the change (the stack's `parameters`) is on the nodes that join, too.
        const set = await cluster.setConfig("maxmemory-policy", "allkeys-lru");
        expect(set.map((outcome) => outcome.status)).to.deep.equal(cluster.nodes.map(() => "fulfilled"));
        const records = await underLoad("replicas +1 then -1", async () => {
            await addReplicas(cluster, 1);
            await expectShape(3, 2);
            for (const node of cluster.nodes) {
                expect(await cluster.command(node, ["CONFIG", "GET", "maxmemory-policy"])).to.deep.equal([
                    "maxmemory-policy",
                    "allkeys-lru",
                ]);
            }
            await removeReplicas(cluster, 1);
        });
        await expectShape(3, 1);
        expect(failures(records)).to.deep.equal([]);
        expect(await lostKeys(records)).to.deep.equal([]);
    });

    it("replaces every node shard by shard under load: same shape, new node ids, no lost key", async function () {
        const before = new Set(cluster.nodes.map((node) => node.id));
        const records = await underLoad("rolling replace", () => rollingReplace(cluster));
        await expectShape(3, 1);
        expect(cluster.nodes.filter((node) => before.has(node.id)).map((node) => node.host)).to.deep.equal([]);
        expect(failures(records)).to.deep.equal([]);
        expect(await lostKeys(records)).to.deep.equal([]);
        await expectKeysWhereServerSays(records);
    });

    /** `shards` primaries, each with `replicas` replicas whose link is up, as every node and the harness see it. */
    async function expectShape(shards: number, replicas: number): Promise<void> {
        await cluster.waitUntilHealthy();
        const topology = await cluster.topology();
        for (let shard = 0; shard < shards; shard++) {
            const members = topology.filter((status) => status.shard === shard);
            expect(
                members.filter((status) => status.role === "primary"),
                `shard ${shard} primaries`,
            ).to.have.length(1);
            expect(
                members.filter((status) => status.role === "replica"),
                `shard ${shard} replicas`,
            ).to.have.length(replicas);
        }
        expect(topology).to.have.length(shards * (replicas + 1));
        expect([cluster.shards, cluster.replicasPerShard]).to.deep.equal([shards, replicas]);
        for (const node of cluster.nodes) {
            const replication = String(await cluster.command(node, ["INFO", "replication"]));
            if (replication.includes("role:slave")) expect(replication, node.host).to.include("master_link_status:up");
        }
    }
});
