/**
 * Finds the commands the serialized handler sends by running it: its Redis user starts with nothing (`-@all`), each
 * round runs a fresh container (a new archive process) through calls on every shard, a reconnection and a slot
 * migration (an ASK redirection), reads ACL LOG
 * on every node, and grants what was denied, until a round is denied nothing. How the function's access string in
 * config/redisUsers.ts was found; tests/integration/accessControl.test.ts repeats the search and compares.
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
        for (const node of cluster.nodes) {
            await cluster.command(node, aclSetUserArgs(user));
            await cluster.command(node, ["ACL", "LOG", "RESET"]);
        }
        const fn = await ArchiveProcess.start({
            archiveDir: archive.dir,
            env: localHandlerEnvironment(archive, cluster, {
                [HANDLER_ENVIRONMENT.durableWrites]: String(options.durableWrites),
            }),
        });
        try {
            for (let shard = 0; shard < cluster.shards; shard++)
                await fn.invoke(getEvent(cluster.keyForShard(shard, "acl"), "v"));
            // The reconnection path: every connection closed server-side, then calls again.
            await cluster.killClientConnections();
            for (let shard = 0; shard < cluster.shards; shard++)
                await fn.invoke(getEvent(cluster.keyForShard(shard, "again"), "v"));
            // The resharding path: a key of a slot migrating to another shard, which the source no longer holds (ASK).
            await duringMigration(cluster, cluster.keyForShard(0, `asking-${round}`), (key) =>
                fn.invoke(getEvent(key, "v")),
            );
        } finally {
            await fn.stop();
        }
        const denied: string[] = [];
        for (const node of cluster.nodes) {
            for (const entry of entriesOf(await cluster.command(node, ["ACL", "LOG"]))) {
                if (entry.username !== functionUser.userName) continue;
                if (entry.reason === "command") {
                    if (!denied.includes(entry.object)) denied.push(entry.object);
                } else {
                    otherDenials.push(`${entry.reason} ${entry.object}`);
                }
            }
        }
        rounds.push(denied);
        if (denied.length === 0) return { commands, rounds, otherDenials };
        commands.push(...denied);
    }
    throw new Error(`still denied after ${MAX_ROUNDS} rounds: ${rounds.map((r) => r.join(" ")).join(" | ")}`);
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
