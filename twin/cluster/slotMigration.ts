/**
 * Online slot migration between the primaries of a running local cluster, with the commands
 * `redis-cli --cluster reshard` / `rebalance` send (redis-cli.c, clusterManagerMoveSlot): the target marks the slot
 * IMPORTING, the source MIGRATING, the source's keys move in batches (CLUSTER GETKEYSINSLOT, then MIGRATE … KEYS,
 * authenticated as the admin user, over TLS when the cluster bus is TLS), then every primary is told the new owner
 * (CLUSTER SETSLOT … NODE, the target first). Clients keep being served meanwhile: a key already moved is answered
 * with ASK, a slot already moved with MOVED.
 */
import Redis from "ioredis";
import { adminClient, type AdminTarget } from "./redisAdmin";

/** One slot to move from one shard to another. */
export interface SlotMove {
    readonly slot: number;
    readonly from: number;
    readonly to: number;
}

/**
 * The moves that leave exactly the shards in `keep` serving every slot, each as many as an even split gives it
 * (shard i of n gets ⌊(i+1)·16384/n⌋ − ⌊i·16384/n⌋, the split a cluster starts with), moving as few slots as possible: a shard keeps
 * what it serves up to its share; slots of shards not kept and each kept shard's surplus go, lowest slots first (as
 * redis-cli's rebalance takes them), to the shards below their share, in shard order. `owners[slot]` is the shard
 * serving it now.
 */
export function evenSplitMoves(owners: readonly (number | undefined)[], keep: readonly number[]): SlotMove[] {
    const shards = [...keep].sort((a, b) => a - b);
    if (shards.length === 0) throw new Error("evenSplitMoves: no shard to keep");
    const unowned = owners.findIndex((owner) => owner === undefined);
    if (unowned !== -1) throw new Error(`evenSplitMoves: slot ${unowned} has no owner; fix coverage first`);
    const total = owners.length;
    const share = new Map(
        shards.map((shard, i) => [
            shard,
            Math.floor(((i + 1) * total) / shards.length) - Math.floor((i * total) / shards.length),
        ]),
    );
    const held = new Map<number, number[]>();
    owners.forEach((owner, slot) => {
        const slots = held.get(owner!) ?? [];
        slots.push(slot);
        held.set(owner!, slots);
    });
    const giving: { slot: number; from: number }[] = [];
    for (const [shard, slots] of [...held.entries()].sort((a, b) => a[0] - b[0])) {
        const keepCount = share.get(shard) ?? 0;
        if (slots.length > keepCount)
            giving.push(...slots.slice(0, slots.length - keepCount).map((slot) => ({ slot, from: shard })));
    }
    const moves: SlotMove[] = [];
    for (const shard of shards) {
        const need = share.get(shard)! - (held.get(shard)?.length ?? 0);
        for (let i = 0; i < need; i++) moves.push({ ...giving.shift()!, to: shard });
    }
    return moves;
}

/** Keys per GETKEYSINSLOT / MIGRATE batch, and slots handled together; redis-cli's default pipeline is 10 keys. */
const KEYS_PER_BATCH = 100;
const MIGRATE_TIMEOUT_MS = 5000;
/** A bound on GETKEYSINSLOT rounds per slot batch: keys cannot be created in a MIGRATING slot, so few are needed. */
const MAX_KEY_ROUNDS = 1000;

/**
 * Moves `slots` from the source's primary to the destination's, online, all slots of the batch at once in each
 * step (pipelined, so a batch costs a few round trips instead of a few per slot). Resolves with the number of keys
 * moved. The caller opens and closes the connections (see {@link withConnections}).
 */
export async function migrateSlots(
    slots: readonly number[],
    ends: { source: Redis; destination: Redis; others: readonly Redis[] },
    ids: { source: string; destination: string },
    destination: AdminTarget,
): Promise<number> {
    await pipelined(
        ends.destination,
        slots.map((slot) => ["CLUSTER", "SETSLOT", slot, "IMPORTING", ids.source]),
    );
    await pipelined(
        ends.source,
        slots.map((slot) => ["CLUSTER", "SETSLOT", slot, "MIGRATING", ids.destination]),
    );
    const auth =
        destination.username !== undefined && destination.password !== undefined
            ? ["AUTH2", destination.username, destination.password]
            : destination.password !== undefined
              ? ["AUTH", destination.password]
              : [];
    let moved = 0;
    let pending = [...slots];
    for (let round = 0; pending.length > 0; round++) {
        if (round >= MAX_KEY_ROUNDS) throw new Error(`slots ${pending.slice(0, 5).join(",")}… still hold keys`);
        const keyLists = (await pipelined(
            ends.source,
            pending.map((slot) => ["CLUSTER", "GETKEYSINSLOT", slot, KEYS_PER_BATCH]),
        )) as string[][];
        const withKeys = keyLists.map((keys, i) => ({ slot: pending[i], keys })).filter(({ keys }) => keys.length > 0);
        // One MIGRATE per slot (its keys must share a slot), all of the round's in one pipeline: a round trip per
        // round instead of one per slot, which is most of a reshape's time and CPU when every slot holds a key.
        await pipelined(
            ends.source,
            withKeys.map(({ keys }) => [
                "MIGRATE",
                destination.host,
                destination.port,
                "",
                0,
                MIGRATE_TIMEOUT_MS,
                ...auth,
                "KEYS",
                ...keys,
            ]),
        );
        moved += withKeys.reduce((sum, { keys }) => sum + keys.length, 0);
        pending = withKeys.map(({ slot }) => slot);
    }
    // The destination first, so that it serves the slots before the source starts answering MOVED (redis-cli does
    // the same since Redis 7.0: the other way round, a client could bounce between two nodes that both disown them).
    const setNode = slots.map((slot) => ["CLUSTER", "SETSLOT", slot, "NODE", ids.destination]);
    await pipelined(ends.destination, setNode);
    // The destination's claim spreads by gossip too; a source that hears of it before its own SETSLOT and has no slot
    // left has already turned into a replica of the destination (Redis 7's cluster-allow-replica-migration) and
    // refuses SETSLOT, as may another primary drained the same way earlier: the owner is settled either way.
    await pipelined(ends.source, setNode, NOT_A_PRIMARY);
    await Promise.all(ends.others.map((other) => pipelined(other, setNode, NOT_A_PRIMARY)));
    return moved;
}

const NOT_A_PRIMARY = /use SETSLOT only with masters/;

/** Sends `commands` in one pipeline and returns their replies, throwing the first error (other than `ignored`). */
async function pipelined(client: Redis, commands: (string | number)[][], ignored?: RegExp): Promise<unknown[]> {
    const pipeline = client.pipeline();
    for (const [command, ...args] of commands) pipeline.call(String(command), ...args);
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error !== null && !(ignored && ignored.test(error.message)));
    if (failed) throw failed[0]!;
    return replies.map(([, reply]) => reply);
}

/** Opens one authenticated connection per target (bounded timeouts, no reconnects), runs `use`, closes them all. */
export async function withConnections<T>(
    targets: readonly AdminTarget[],
    use: (clients: Redis[]) => Promise<T>,
    commandTimeoutMs = 10000,
): Promise<T> {
    const clients = targets.map((target) =>
        adminClient(target, { connectTimeoutMs: 3000, commandTimeoutMs, name: "cluster-reshape" }),
    );
    try {
        await Promise.all(clients.map((client) => client.connect()));
        return await use(clients);
    } finally {
        for (const client of clients) client.disconnect();
    }
}
