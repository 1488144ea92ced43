/**
 * The changes the safe-change guide judges: each key's representative change, then the further ones (a stack created
 * without snapshots, leaving `spread`, dropping to 0 replicas, a deferred change…), all declared with their key in
 * config/keys/. A key cannot be declared without its change.
 */
import { CONFIG_KEYS, ConfigKey, declarationOf, isConfigKey } from "../../config/keys";
import type { KeyChange } from "../../config/keys/declaration";

export interface ConfigChange extends KeyChange {
    /** The key the change is about (the guide's row). */
    readonly key: ConfigKey;
}

/** Each key's representative change. */
export const KEY_CHANGES: Readonly<Record<ConfigKey, KeyChange>> = Object.fromEntries(
    CONFIG_KEYS.map((key) => [key, declarationOf(key).change]),
) as Record<ConfigKey, KeyChange>;

/** Changes beyond one per key that the guide must answer, in the declarations' order. */
export const FURTHER_CHANGES: readonly ConfigChange[] = CONFIG_KEYS.flatMap((key) =>
    (declarationOf(key).furtherChanges ?? []).map(({ row, ...change }) => {
        const rowKey = row ?? key;
        if (!isConfigKey(rowKey)) throw new Error(`${key}: a further change is filed under ${rowKey}, not a key`);
        return { key: rowKey, ...change };
    }),
);

export function changesForEveryKey(): ConfigChange[] {
    return [...CONFIG_KEYS.map((key) => ({ key, ...KEY_CHANGES[key] })), ...FURTHER_CHANGES];
}
