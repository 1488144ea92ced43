/**
 * What a local Redis Cluster can show, key by key: each key's declaration (config/keys/) decides. `shown`: the change
 * is carried out on the running cluster; otherwise the reason it cannot be.
 */
import { CONFIG_KEYS, ConfigKey, declarationOf, isConfigKey } from "../../config/keys";
import type { Rehearsal } from "../../config/keys/declaration";

export type Rehearsable = Rehearsal;

export const REHEARSABLE: Readonly<Record<ConfigKey, Rehearsable>> = Object.fromEntries(
    CONFIG_KEYS.map((key) => [key, declarationOf(key).rehearsal]),
) as Record<ConfigKey, Rehearsable>;

/** The first refusal among `keys`, as the one line to print; undefined when every key can be shown. */
export function refusalOf(keys: readonly string[]): string | undefined {
    for (const key of keys) {
        const decision = isConfigKey(key) ? REHEARSABLE[key] : undefined;
        if (decision !== undefined && decision !== "shown")
            return `${key}: cannot be rehearsed locally: ${decision.refused}`;
    }
    return undefined;
}
