/**
 * Least privilege on a real 3-shard TLS cluster carrying the program's users (authMode rbac): the default user off,
 * the function's user allowed exactly what the serialized handler sends (found again here by running it), the
 * operators' user broad, and nobody in without credentials.
 */
import { expect } from "chai";
import Redis from "ioredis";
import * as tls from "tls";
import { DURABLE_WRITE_COMMANDS, FUNCTION_COMMANDS } from "../../config/redisUsers";
import { CONNECTION_NAME } from "../../functions/redisClusterOptions";
import { discoverHandlerCommands } from "../support/aclDiscovery";
import { ArchiveProcess } from "../../twin/archive/archiveProcess";
import { getEvent } from "../../twin/functionUrl/events";
import { LambdaArchive, writeLambdaArchive } from "../../twin/archive/lambdaArchive";
import { localHandlerEnvironment } from "../../twin/archive/localHandlerEnvironment";
import { LocalRedisCluster, RedisClusterNode, startRedisCluster } from "../../twin/cluster/redisCluster";
import { applyRedisUsers, ProgramRedisUser } from "../../twin/cluster/redisUsers";

/** Commands the issue names: each would let a stolen function password destroy, read or stop the cluster. */
const FORBIDDEN: Array<[string, string[]]> = [
    ["FLUSHALL", ["FLUSHALL"]],
    ["CONFIG GET", ["CONFIG", "GET", "maxmemory"]],
    ["KEYS", ["KEYS", "*"]],
    ["DEBUG", ["DEBUG", "SLEEP", "0"]],
    ["ACL LIST", ["ACL", "LIST"]],
    ["EVAL", ["EVAL", "return redis.call('FLUSHALL')", "0"]],
    ["SHUTDOWN", ["SHUTDOWN", "NOSAVE"]],
];

describe("access control: the program's Redis users on a real 3-shard TLS cluster", function () {
    this.timeout(120_000);
    let cluster: LocalRedisCluster;
    let archive: LambdaArchive;
    let durableArchive: LambdaArchive;
    let functionUser: ProgramRedisUser;
    let operatorUser: ProgramRedisUser;
    const started: ArchiveProcess[] = [];

    before(async function () {
        // The cluster starts while the program is evaluated (evaluations share the mocks: one at a time).
        const starting = startRedisCluster({
            shards: 3,
            replicasPerShard: 1,
            tls: true,
            adminUser: "local-admin",
            password: "access-admin-0123456789",
        });
        starting.catch(() => undefined);
        archive = await writeLambdaArchive({ stack: "dev" });
        durableArchive = await writeLambdaArchive({ stack: "dev", config: { durableWrites: "true" } });
        cluster = await starting;
        functionUser = archive.redisUsers.find((user) => user.userId === "redis-dev-function")!;
        operatorUser = archive.redisUsers.find((user) => user.userId === "redis-dev-operator")!;
        await applyRedisUsers(cluster, archive.redisUsers);
    });

    after(async function () {
        await Promise.allSettled(started.map((fn) => fn.stop()));
        await cluster?.stop();
        archive?.remove();
        durableArchive?.remove();
    });

    /** One connection to one node, authenticated as `username` (or not at all), closed after `use`. */
    async function asUser<T>(
        node: RedisClusterNode,
        credentials: { username?: string; password?: string },
        use: (client: Redis) => Promise<T>,
    ): Promise<T> {
        const client = new Redis({
            host: node.host,
            port: node.port,
            tls: { ca: cluster.tls!.ca },
            ...credentials,
            lazyConnect: true,
            // The ready check's INFO would fail for the function's user (and without AUTH) and close the connection.
            enableReadyCheck: false,
            maxRetriesPerRequest: 0,
            retryStrategy: () => null,
        });
        client.on("error", () => undefined);
        try {
            await client.connect().catch(() => undefined);
            return await use(client);
        } finally {
            client.disconnect();
        }
    }

    /**
     * Sends RESP commands on a bare TLS connection, with no client library in between (so nothing authenticates
     * behind our back), and resolves with the first line of each reply.
     */
    function rawReplies(node: RedisClusterNode, commands: string[][]): Promise<string[]> {
        return new Promise((resolve, reject) => {
            const socket = tls.connect({
                host: node.host,
                port: node.port,
                ca: cluster.tls!.ca,
                servername: "localhost",
            });
            const lines: string[] = [];
            let buffered = "";
            const timer = setTimeout(
                () => finish(new Error(`no full answer from ${node.host}: ${JSON.stringify(lines)}`)),
                5000,
            );
            const finish = (error?: Error) => {
                clearTimeout(timer);
                socket.destroy();
                if (error) reject(error);
                else resolve(lines);
            };
            socket.on("error", finish);
            socket.on("secureConnect", () => {
                const encode = (args: string[]) =>
                    `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join("")}`;
                socket.write(commands.map(encode).join(""));
            });
            socket.setEncoding("utf8");
            socket.on("data", (chunk: string) => {
                buffered += chunk;
                let end: number;
                while ((end = buffered.indexOf("\r\n")) !== -1) {
                    lines.push(buffered.slice(0, end));
                    buffered = buffered.slice(end + 2);
                }
                if (lines.length >= commands.length) finish();
            });
        });
    }

    function refusal(promise: Promise<unknown>): Promise<string> {
        return promise.then(
            (reply) => `answered ${JSON.stringify(reply)}`,
            (error: Error) => error.message,
        );
    }

    it("the serialized handler answers under its own user on every shard", async function () {
        const fn = await ArchiveProcess.start({
            archiveDir: archive.dir,
            env: localHandlerEnvironment(archive, cluster),
        });
        started.push(fn);
        for (let shard = 0; shard < 3; shard++) {
            const call = await fn.invoke(getEvent(cluster.keyForShard(shard, "own-user"), `shard ${shard}`));
            expect(call.result.statusCode, call.result.body).to.equal(200);
        }
        for (const primary of await cluster.primaries()) {
            const clients = String(await cluster.command(primary, ["CLIENT", "LIST"])).split("\n");
            const handlerClients = clients.filter((line) => line.includes(` name=${CONNECTION_NAME} `));
            expect(handlerClients, primary.host).to.have.length(1);
            expect(handlerClients[0]).to.include(` user=${functionUser.userName} `);
        }
    });

    it("the function's ACL is exactly what running the handler needs (found from ACL LOG), WAIT only with durable writes", async function () {
        const plain = await discoverHandlerCommands(cluster, archive, functionUser, { durableWrites: false });
        const durable = await discoverHandlerCommands(cluster, durableArchive, functionUser, { durableWrites: true });
        await applyRedisUsers(cluster, archive.redisUsers);
        console.log(
            `        ↳ denied per round: ${plain.rounds.map((round) => `[${round.join(" ")}]`).join(" ")}; durable adds [${durable.commands.filter((c) => !plain.commands.includes(c)).join(" ")}]`,
        );
        expect([...plain.commands].sort()).to.deep.equal([...FUNCTION_COMMANDS].sort());
        // Durable writes send ASKING too: the handler follows the ASK ioredis leaves in the SET/WAIT/GET pipeline.
        expect([...durable.commands].sort()).to.deep.equal([...FUNCTION_COMMANDS, ...DURABLE_WRITE_COMMANDS].sort());
        expect(plain.otherDenials, "no key or channel was denied").to.deep.equal([]);
    });

    it("with the function's credentials, FLUSHALL, CONFIG GET, KEYS, DEBUG, ACL LIST, EVAL and SHUTDOWN are refused (NOPERM) on every node", async function () {
        const credentials = { username: functionUser.userName, password: functionUser.passwords[0] };
        for (const node of cluster.nodes) {
            await asUser(node, credentials, async (client) => {
                expect(
                    String(await client.call("CLUSTER", ["INFO"])),
                    `${node.host} accepts the function's user`,
                ).to.match(/cluster_state:ok/);
                for (const [name, [command, ...args]] of FORBIDDEN) {
                    expect(await refusal(client.call(command, args)), `${name} on ${node.host}`).to.match(/^NOPERM/);
                }
            });
        }
        // Nothing happened: every node still runs and the keys written above are still there.
        for (const node of cluster.nodes) expect(cluster.nodeState(node)).to.equal("running");
        const key = cluster.keyForShard(0, "own-user");
        expect(await cluster.command(await cluster.nodeForKey(key), ["GET", key])).to.equal("shard 0");
    });

    it("refuses an unauthenticated connection, the default user, and the function's user with another password", async function () {
        for (const node of cluster.nodes) {
            const replies = await rawReplies(node, [
                ["GET", "k"],
                ["AUTH", "anything-at-all-0123"],
                ["AUTH", "default", "anything-at-all-0123"],
                ["AUTH", functionUser.userName, operatorUser.passwords[0]],
                ["CLUSTER", "INFO"],
            ]);
            expect(replies.slice(0, 4), node.host).to.deep.equal([
                "-NOAUTH Authentication required.",
                "-WRONGPASS invalid username-password pair or user is disabled.",
                "-WRONGPASS invalid username-password pair or user is disabled.",
                "-WRONGPASS invalid username-password pair or user is disabled.",
            ]);
            expect(replies[4], "still not authenticated after the failed attempts").to.match(/^-NOAUTH/);
        }
    });

    it("lets the operators' own user do what the function may not", async function () {
        const [node] = await cluster.primaries();
        await asUser(node, { username: operatorUser.userName, password: operatorUser.passwords[0] }, async (client) => {
            expect(await client.call("CONFIG", ["GET", "maxmemory"])).to.be.an("array");
            expect(await client.call("KEYS", ["own-user*"])).to.be.an("array");
            expect(await client.call("DEBUG", ["SLEEP", "0"])).to.equal("OK");
        });
        expect(operatorUser.passwords[0]).to.not.equal(functionUser.passwords[0]);
    });
});
