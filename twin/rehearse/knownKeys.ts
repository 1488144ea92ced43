/**
 * The key set written before a change and read back after it: one key in every one of the 16384 hash slots, so every
 * slot that moves carries data, and a lost slot shows as a lost key.
 */
import type { Cluster } from "ioredis";
import { hashSlot, SLOT_COUNT } from "../cluster/redisCluster";

/**
 * One key per hash slot (`<prefix>:<n>`, the first n that lands in each slot), in slot order; with `everyNthSlot`,
 * one in slots 0, N, 2N… only (a test's lighter set: every batch of slots that moves still carries keys).
 */
export function keyPerSlot(prefix: string, everyNthSlot = 1): string[] {
    if (!Number.isInteger(everyNthSlot) || everyNthSlot < 1) throw new Error(`everyNthSlot ${everyNthSlot}`);
    const wanted = Math.ceil(SLOT_COUNT / everyNthSlot);
    const keys: (string | undefined)[] = new Array(SLOT_COUNT);
    let found = 0;
    // About 170,000 tries for 16384 slots (coupon collector); bounded all the same.
    for (let n = 0; found < wanted && n < 2_000_000; n++) {
        const key = `${prefix}:${n}`;
        const slot = hashSlot(key);
        if (slot % everyNthSlot === 0 && keys[slot] === undefined) {
            keys[slot] = key;
            found++;
        }
    }
    if (found < wanted) throw new Error(`found keys for ${found} of ${wanted} slots only`);
    return keys.filter((key): key is string => key !== undefined);
}

/** The value stored under a known key: derived from the key, so a read-back needs no table. */
export function knownValue(key: string): string {
    return `known-${key}`;
}

const BATCH = 512;

/** Writes every key; the client pipelines each batch. */
export async function writeKnownKeys(client: Cluster, keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += BATCH) {
        await Promise.all(keys.slice(i, i + BATCH).map((key) => client.set(key, knownValue(key))));
    }
}

/** The keys that no longer hold their value (missing or changed). */
export async function lostKnownKeys(client: Cluster, keys: readonly string[]): Promise<string[]> {
    const lost: string[] = [];
    for (let i = 0; i < keys.length; i += BATCH) {
        const batch = keys.slice(i, i + BATCH);
        const values = await Promise.all(batch.map((key) => client.get(key)));
        batch.forEach((key, index) => {
            if (values[index] !== knownValue(key)) lost.push(key);
        });
    }
    return lost;
}
