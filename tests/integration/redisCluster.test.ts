import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import Redis, { RedisOptions } from "ioredis";
import { promisify } from "util";
import { parseInfo } from "../../twin/cluster/clusterNodesParser";
import { pidExists } from "../../twin/process/processes";
import { hashSlot, LocalRedisCluster, RedisClusterNode, startRedisCluster } from "../../twin/cluster/redisCluster";

const run = promisify(execFile);

async function info(
    cluster: LocalRedisCluster,
    node: RedisClusterNode,
    args: string[],
): Promise<Record<string, string>> {
    return parseInfo(String(await cluster.command(node, args)));
}

function expectAllGone(cluster: LocalRedisCluster): void {
    for (const node of cluster.nodes) expect(pidExists(node.pid), `pid ${node.pid} (${node.host})`).to.equal(false);
    expect(fs.existsSync(cluster.dir), cluster.dir).to.equal(false);
}

/** Connects with one standalone client and PINGs; returns "PONG" or "refused: " and every error seen. */
async function pingWith(options: RedisOptions): Promise<string> {
    const client = new Redis({
        ...options,
        lazyConnect: true,
        retryStrategy: () => null,
        connectTimeout: 2000,
        commandTimeout: 2000,
    });
    // The server's refusal (NOAUTH, WRONGPASS) arrives as an 'error' event; connect() itself only says "closed".
    const errors: string[] = [];
    client.on("error", (error: Error) => errors.push(error.message));
    try {
        await client.connect();
        return String(await client.ping());
    } catch (error) {
        return `refused: ${(error as Error).message} ${errors.join(" ")}`;
    } finally {
        client.disconnect();
    }
}

/** In a fresh Node process (NODE_EXTRA_CA_CERTS is read at startup): whether each TLS endpoint is trusted. */
async function trustedByFreshNode(endpoints: string[], extraCaCerts: string): Promise<string[]> {
    const script = `
        const tls = require("tls");
        const check = (endpoint) => new Promise((resolve) => {
            const [host, port] = endpoint.split(":");
            const socket = tls.connect({ host, port: Number(port) }, () => { resolve("trusted"); socket.end(); });
            socket.on("error", (error) => resolve(error.code));
        });
        (async () => { for (const endpoint of process.argv.slice(1)) console.log(await check(endpoint)); })();`;
    const { stdout } = await run(process.execPath, ["-e", script, ...endpoints], {
        env: { ...process.env, NODE_EXTRA_CA_CERTS: extraCaCerts },
        timeout: 20000,
    });
    return stdout.trim().split("\n");
}

describe("local Redis Cluster harness", function () {
    describe("1 shard x 1 replica, plain", function () {
        let cluster: LocalRedisCluster;
        const steps: string[] = [];

        before(async function () {
            cluster = await startRedisCluster({
                shards: 1,
                replicasPerShard: 1,
                onProgress: (step) => steps.push(step),
            });
        });
        after(async function () {
            await cluster?.stop();
        });

        it("reports its startup steps", function () {
            expect(steps[0]).to.match(/^2 redis-server processes answering/);
            expect(steps[steps.length - 1]).to.match(/^cluster healthy: 1x1 plain/);
        });

        it("puts each node on its own loopback address, all on one port, as ElastiCache does", async function () {
            expect(cluster.nodes.map((node) => node.host)).to.deep.equal(["127.0.0.1", "127.0.0.2"]);
            expect(new Set(cluster.nodes.map((node) => node.port))).to.deep.equal(new Set([cluster.port]));
            expect(cluster.configurationEndpoint).to.deep.equal({ host: "127.0.0.1", port: cluster.port });
            const text = String(await cluster.command(cluster.nodes[1], ["CLUSTER", "NODES"]));
            for (const node of cluster.nodes) expect(text).to.contain(`${node.id} ${node.host}:${cluster.port}@`);
        });

        it("serves every slot from the primary, with the replica linked to it", async function () {
            const [primary, replica] = cluster.nodes;
            for (const node of cluster.nodes) {
                const clusterInfo = await info(cluster, node, ["CLUSTER", "INFO"]);
                expect(clusterInfo.cluster_state).to.equal("ok");
                expect(clusterInfo.cluster_slots_ok).to.equal("16384");
                expect(clusterInfo.cluster_known_nodes).to.equal("2");
            }
            const replication = await info(cluster, replica, ["INFO", "replication"]);
            expect(replication.role).to.equal("slave");
            expect(replication.master_host).to.equal(primary.host);
            expect(replication.master_link_status).to.equal("up");
            const topology = await cluster.topology();
            expect(
                topology.map((status) => [status.node.host, status.role, status.shard, status.primary?.host]),
            ).to.deep.equal([
                ["127.0.0.1", "primary", 0, undefined],
                ["127.0.0.2", "replica", 0, "127.0.0.1"],
            ]);
        });

        it("computes hash slots as the server does, hash tags included", async function () {
            for (const key of ["hogehoge", "", "{user1000}.following", "foo{}", "a{b}c{d}", "ключ"]) {
                const serverSlot = Number(await cluster.command(cluster.nodes[0], ["CLUSTER", "KEYSLOT", key]));
                expect(hashSlot(key), key).to.equal(serverSlot);
            }
        });

        it("knows where cluster-key-slot 1.1.1 (ioredis's, and ours) differs: an empty {} followed by another }", async function () {
            // The server hashes the whole key when the first {...} is empty; the library skips the empty tag and hashes
            // "{bar" instead. ioredis routes such a key to the wrong node and follows MOVED; the handler's log line shows
            // the library's slot. If this fails, the library was fixed: drop this test and the note in functions/README.md.
            const key = "foo{}{bar}";
            const serverSlot = Number(await cluster.command(cluster.nodes[0], ["CLUSTER", "KEYSLOT", key]));
            expect(hashSlot(key)).to.not.equal(serverSlot);
            expect(hashSlot(key)).to.equal(hashSlot("{bar"));
        });

        it("replicates writes made through a cluster client", async function () {
            const client = cluster.newClusterClient();
            try {
                await client.set("hogehoge", "fugafuga");
                expect(await client.get("hogehoge")).to.equal("fugafuga");
            } finally {
                await client.quit();
            }
            expect(await cluster.command(cluster.nodes[0], ["WAIT", 1, 2000])).to.equal(1);
            expect(await cluster.command(cluster.nodes[1], ["DBSIZE"])).to.equal(1);
        });

        it("promotes the replica after kill -9 although one shard has no failover quorum", async function () {
            const [primary, replica] = cluster.nodes;
            expect(cluster.kill(primary, "SIGKILL")).to.equal(true);
            const promoted = await cluster.waitForFailover(primary, { timeoutMs: 20000 });
            expect(promoted.host).to.equal(replica.host);
            expect((await cluster.primaries()).map((node) => node.host)).to.deep.equal([replica.host]);
            expect(cluster.nodeState(primary)).to.equal("exited");
        });
    });

    describe("3 shards x 1 replica, TLS + AUTH", function () {
        const password = "local-Token_with!&#$^<>-chars-0123456789";
        let cluster: LocalRedisCluster;

        before(async function () {
            cluster = await startRedisCluster({ shards: 3, replicasPerShard: 1, tls: true, password });
        });
        after(async function () {
            await cluster?.stop();
        });

        it("answers a cluster client on every shard, each key on its shard's primary", async function () {
            const client = cluster.newClusterClient();
            try {
                const primaries = await cluster.primaries();
                expect(primaries.map((node) => node.host)).to.deep.equal(["127.0.0.1", "127.0.0.3", "127.0.0.5"]);
                for (let shard = 0; shard < cluster.shards; shard++) {
                    const key = cluster.keyForShard(shard);
                    await client.set(key, `value-${shard}`);
                    expect(await client.get(key)).to.equal(`value-${shard}`);
                    expect((await cluster.nodeForKey(key)).host).to.equal(primaries[shard].host);
                    expect(await cluster.command(primaries[shard], ["EXISTS", key])).to.equal(1);
                }
            } finally {
                await client.quit();
            }
        });

        it("works with a client configured by hand: host names kept, CA and token given", async function () {
            const client = new Redis.Cluster([cluster.configurationEndpoint], {
                dnsLookup: (address, callback) => callback(null, address),
                redisOptions: { tls: { ca: cluster.tls!.ca }, password },
            });
            try {
                const keys = [0, 1, 2].map((shard) => cluster.keyForShard(shard, "by-hand"));
                for (const key of keys) await client.set(key, key.toUpperCase());
                const values = await Promise.all(keys.map((key) => client.get(key)));
                expect(values).to.deep.equal(keys.map((key) => key.toUpperCase()));
            } finally {
                await client.quit();
            }
        });

        it("refuses plain-text connections and connections without the right token", async function () {
            const { host, port } = cluster.configurationEndpoint;
            const tls = { ca: cluster.tls!.ca };
            expect(await pingWith({ host, port, tls, password })).to.equal("PONG");
            expect(await pingWith({ host, port, tls })).to.match(/^refused: .*NOAUTH/);
            expect(await pingWith({ host, port, tls, password: "wrong-token-0123456789" })).to.match(
                /^refused: .*WRONGPASS/,
            );
            expect(await pingWith({ host, port, password })).to.match(/^refused/);
        });

        it("has a CA that NODE_EXTRA_CA_CERTS can trust, for every node address", async function () {
            const endpoints = cluster.nodes.map((node) => `${node.host}:${node.port}`);
            expect(await trustedByFreshNode(endpoints, cluster.tls!.caPath)).to.deep.equal(
                endpoints.map(() => "trusted"),
            );
            const [untrusted] = await trustedByFreshNode(endpoints.slice(0, 1), "");
            expect(untrusted).to.not.equal("trusted");
        });

        it("closes every client connection on request, and clients reconnect", async function () {
            const client = cluster.newClusterClient();
            try {
                const keys = [0, 1, 2].map((shard) => cluster.keyForShard(shard, "reconnect"));
                for (const key of keys) await client.set(key, key);
                expect(await cluster.killClientConnections()).to.be.at.least(cluster.shards);
                expect(await Promise.all(keys.map((key) => client.get(key)))).to.deep.equal(keys);
            } finally {
                client.disconnect();
            }
        });

        it("bounds commands to a SIGSTOPped node instead of hanging, and resumes it on SIGCONT", async function () {
            const replica = cluster.nodes[1];
            cluster.kill(replica, "SIGSTOP");
            expect(cluster.nodeState(replica)).to.equal("stopped");
            let outcome = "answered";
            try {
                await cluster.command(replica, ["PING"], 500);
            } catch (error) {
                outcome = (error as Error).message;
            }
            expect(outcome).to.match(/no answer from 127\.0\.0\.2.*500 ms/);
            cluster.kill(replica, "SIGCONT");
            expect(await cluster.command(replica, ["PING"])).to.equal("PONG");
            await cluster.waitUntilHealthy({ timeoutMs: 20000 });
        });

        it("promotes a replica after kill -9 of a primary, keeping the shard's data", async function () {
            const oldPrimary = (await cluster.primaries())[1];
            const key = cluster.keyForShard(1, "survivor");
            await cluster.command(oldPrimary, ["SET", key, "kept"]);
            expect(await cluster.command(oldPrimary, ["WAIT", 1, 2000])).to.equal(1);
            cluster.kill(oldPrimary, "SIGKILL");
            const newPrimary = await cluster.waitForFailover(oldPrimary, { timeoutMs: 30000 });
            expect(newPrimary.id).to.not.equal(oldPrimary.id);
            expect(newPrimary.initialRole).to.equal("replica");
            expect(newPrimary.shard).to.equal(1);
            const primaries = (await cluster.primaries()).map((node) => node.host);
            expect(primaries).to.deep.equal(["127.0.0.1", newPrimary.host, "127.0.0.5"]);
            expect((await cluster.nodeForKey(key)).id).to.equal(newPrimary.id);
            const client = cluster.newClusterClient();
            try {
                expect(await client.get(key)).to.equal("kept");
            } finally {
                await client.quit();
            }
        });

        it("stop() kills every process, even a SIGSTOPped one, and removes the temp dir", async function () {
            cluster.kill(cluster.nodes[4], "SIGSTOP");
            await cluster.stop();
            expectAllGone(cluster);
            await cluster.stop();
        });
    });

    describe("other shapes", function () {
        const shapes = [
            { shards: 1, replicasPerShard: 0, tls: false },
            { shards: 2, replicasPerShard: 1, tls: false },
            { shards: 3, replicasPerShard: 2, tls: true, password: "another-token-0123456789" },
        ];
        // The shapes start together; each test checks and stops its own.
        const starting = new Map<(typeof shapes)[number], Promise<LocalRedisCluster>>();
        before(function () {
            for (const shape of shapes) {
                const cluster = startRedisCluster(shape);
                cluster.catch(() => undefined);
                starting.set(shape, cluster);
            }
        });

        after(async function () {
            // A test that failed before its stop() leaves its cluster here; stopping twice is harmless.
            const clusters = await Promise.allSettled(starting.values());
            for (const cluster of clusters) if (cluster.status === "fulfilled") await cluster.value.stop();
        });

        for (const shape of shapes) {
            const name = `${shape.shards}x${shape.replicasPerShard}${shape.tls ? " TLS+AUTH" : ""}`;
            it(`forms ${name} with one primary and ${shape.replicasPerShard} replica(s) per shard`, async function () {
                const cluster = await starting.get(shape)!;
                try {
                    const topology = await cluster.topology();
                    expect(topology).to.have.length(shape.shards * (shape.replicasPerShard + 1));
                    for (let shard = 0; shard < shape.shards; shard++) {
                        const roles = topology.filter((status) => status.shard === shard).map((status) => status.role);
                        const expected = ["primary", ...Array(shape.replicasPerShard).fill("replica")];
                        expect(roles, `shard ${shard}`).to.deep.equal(expected);
                    }
                    const client = cluster.newClusterClient();
                    try {
                        const primaries = await cluster.primaries();
                        for (let shard = 0; shard < shape.shards; shard++) {
                            const key = cluster.keyForShard(shard, "shape");
                            await client.set(key, "v");
                            const count = await cluster.command(primaries[shard], [
                                "CLUSTER",
                                "COUNTKEYSINSLOT",
                                hashSlot(key),
                            ]);
                            expect(count, key).to.equal(1);
                        }
                    } finally {
                        await client.quit();
                    }
                } finally {
                    await cluster.stop();
                }
                expectAllGone(cluster);
            });
        }

        it("rejects impossible shapes before starting anything, naming every problem", async function () {
            let message = "";
            try {
                await startRedisCluster({ shards: 0, replicasPerShard: -1, port: 60000 });
            } catch (error) {
                message = (error as Error).message;
            }
            expect(message).to.contain("shards must be an integer 1-254, got 0");
            expect(message).to.contain("replicasPerShard must be an integer >= 0, got -1");
            expect(message).to.contain("port must be an integer 1-55535");
        });
    });
});
