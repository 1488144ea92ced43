/**
 * Finds the commands the serialized handler sends by running it: its Redis user starts with nothing (`-@all`), each
 * round runs a fresh container (a new archive process) through calls on every shard, a reconnection and a slot
 * migration (an ASK redirection), reading ACL LOG on every node after each call, and grants what was denied, until a
 * round is denied nothing. A round stops at its first denied call: the calls after it would only run on a failure.
 * How the function's access string in config/redisUsers.ts was found; tests/integration/accessControl.test.ts repeats
 * the search and compares.
 */
import { HANDLER_ENVIRONMENT } from "../../functions/environment";
import { ArchiveProcess } from "../../twin/archive/archiveProcess";
import { getEvent } from "../../twin/functionUrl/events";
import { LambdaArchive } from "../../twin/archive/lambdaArchive";
import { localHandlerEnvironment } from "../../twin/archive/localHandlerEnvironment";
import { hashSlot, LocalRedisCluster } from "../../twin/cluster/redisCluster";
import { withAdminConnection } from "../../twin/cluster/redisAdmin";
import { aclSetUserArgs, ProgramRedisUser } from "../../twin/cluster/redisUsers";

export interface Discovery {
    /** Commands (and `command|subcommand`) granted, in the order they were first denied. */
    readonly commands: string[];
    /** What each round was denied; the last round's list is empty. */
    readonly rounds: string[][];
    /** Denials for something other than a command (a key, a channel); should stay empty with `~*`. */
    readonly otherDenials: string[];
}

const MAX_ROUNDS = 10;

/** ACL LOG entries as flat [field, value, …] arrays, from RESP2 or RESP3. */
function entriesOf(reply: unknown): Array<Record<string, string>> {
    return (reply as unknown[]).map((entry) => {
        if (!Array.isArray(entry))
            return Object.fromEntries(Object.entries(entry as object).map(([k, v]) => [k, String(v)]));
        const fields: Record<string, string> = {};
        for (let index = 0; index < entry.length; index += 2) fields[String(entry[index])] = String(entry[index + 1]);
        return fields;
    });
}

export async function discoverHandlerCommands(
    cluster: LocalRedisCluster,
    archive: LambdaArchive,
    functionUser: ProgramRedisUser,
    options: { readonly durableWrites: boolean },
): Promise<Discovery> {
    const commands: string[] = [];
    const rounds: string[][] = [];
    const otherDenials: string[] = [];
    for (let round = 1; round <= MAX_ROUNDS; round++) {
        const user = {
            ...functionUser,
            accessString: ["on ~* -@all", ...commands.map((command) => `+${command}`)].join(" "),
        };
        await Promise.all(
            cluster.nodes.map((node) =>
                withAdminConnection(cluster.adminTarget(node), async (client) => {
                    const [command, ...args] = aclSetUserArgs(user);
                    await client.call(String(command), args);
                    await client.call("ACL", ["LOG", "RESET"]);
                }),
            ),
        );
        const fn = await ArchiveProcess.start({
            archiveDir: archive.dir,
            env: localHandlerEnvironment(archive, cluster, {
                [HANDLER_ENVIRONMENT.durableWrites]: String(options.durableWrites),
            }),
        });
        try {
            for (const step of roundSteps(cluster, fn, round)) {
                await step();
                // A denied round ends at the step that was denied: what comes after would run on a failed call, and
                // runs again, on a working one, once the denied commands are granted. Only a round that denies
                // nothing runs every step, and that round ends the search.
                if ((await readDenials(cluster, functionUser)).commands.length > 0) break;
            }
        } finally {
            await fn.stop();
        }
        const { commands: denied, others } = await readDenials(cluster, functionUser);
        otherDenials.push(...others);
        rounds.push(denied);
        if (denied.length === 0) return { commands, rounds, otherDenials };
        commands.push(...denied);
    }
    throw new Error(`still denied after ${MAX_ROUNDS} rounds: ${rounds.map((r) => r.join(" ")).join(" | ")}`);
}

/** One round's calls, in order: every shard, every shard again after a reconnection, then a key whose slot migrates. */
function roundSteps(cluster: LocalRedisCluster, fn: ArchiveProcess, round: number): Array<() => Promise<unknown>> {
    const everyShard = (prefix: string) =>
        Array.from(
            { length: cluster.shards },
            (_, shard) => () => fn.invoke(getEvent(cluster.keyForShard(shard, prefix), "v")),
        );
    return [
        ...everyShard("acl"),
        // The reconnection path: every connection closed server-side, then calls again.
        ...everyShard("again").map((call, index) =>
            index === 0 ? () => cluster.killClientConnections().then(call) : call,
        ),
        // The resharding path: a key of a slot migrating to another shard, which the source no longer holds (ASK).
        () =>
            duringMigration(cluster, cluster.keyForShard(0, `asking-${round}`), (key) => fn.invoke(getEvent(key, "v"))),
    ];
}

/** What ACL LOG (every node, since the round's reset) holds against `functionUser`: commands, then anything else. */
async function readDenials(
    cluster: LocalRedisCluster,
    functionUser: ProgramRedisUser,
): Promise<{ commands: string[]; others: string[] }> {
    const logs = await Promise.all(cluster.nodes.map((node) => cluster.command(node, ["ACL", "LOG"])));
    const commands: string[] = [];
    const others: string[] = [];
    for (const entry of logs.flatMap(entriesOf)) {
        if (entry.username !== functionUser.userName) continue;
        if (entry.reason !== "command") others.push(`${entry.reason} ${entry.object}`);
        else if (!commands.includes(entry.object)) commands.push(entry.object);
    }
    return { commands, others };
}

/**
 * Runs `use` while `key`'s slot is MIGRATING from its shard's primary to another's (IMPORTING there), as during online
 * resharding, then puts the slot back as it was: the key `use` wrote lands on the importing node, and is deleted there.
 */
async function duringMigration(
    cluster: LocalRedisCluster,
    key: string,
    use: (key: string) => Promise<unknown>,
): Promise<void> {
    const slot = hashSlot(key);
    const source = await cluster.currentPrimaryOf(cluster.shardOfSlot(slot));
    const destination = await cluster.currentPrimaryOf((cluster.shardOfSlot(slot) + 1) % cluster.shards);
    await cluster.command(destination, ["CLUSTER", "SETSLOT", slot, "IMPORTING", source.id]);
    await cluster.command(source, ["CLUSTER", "SETSLOT", slot, "MIGRATING", destination.id]);
    try {
        await use(key);
    } finally {
        await withAdminConnection(cluster.adminTarget(destination), async (client) => {
            await client.pipeline().call("ASKING").del(key).exec();
        });
        await cluster.command(source, ["CLUSTER", "SETSLOT", slot, "STABLE"]);
        await cluster.command(destination, ["CLUSTER", "SETSLOT", slot, "STABLE"]);
    }
}
