/**
 * Every key the program reads from the `redis-cluster` namespace, declared once, in Pulumi.yaml's and README's order.
 * A new key is one entry in one of these groups; what follows from it (the settings type, defaults, validation of the
 * value alone, Pulumi.yaml's `config:` block, README's table, the safe-change guide's row, the rehearsal's decision) is
 * derived. Rules that relate keys stay in config/validate.ts.
 */
import { ACCESS_KEYS } from "./access";
import { CLIENT_KEYS } from "./clients";
import { CLUSTER_KEYS } from "./cluster";
import type { KeyDeclaration, ValueOf } from "./declaration";
import { MONITORING_KEYS } from "./monitoring";
import { NETWORK_KEYS } from "./network";
import { SCALING_KEYS } from "./scaling";
import { UPKEEP_KEYS } from "./upkeep";

export const KEYS = {
    ...CLUSTER_KEYS,
    ...SCALING_KEYS,
    ...NETWORK_KEYS,
    ...ACCESS_KEYS,
    ...CLIENT_KEYS,
    ...UPKEEP_KEYS,
    ...MONITORING_KEYS,
};

export type ConfigKey = keyof typeof KEYS;
export const CONFIG_KEYS = Object.keys(KEYS) as ConfigKey[];

/** Each key's validated value, as the declarations give it (before the rules that relate keys). */
export type DeclaredValues = { readonly [K in ConfigKey]: ValueOf<(typeof KEYS)[K]> };

/** The keys gathered into `StackSettings.alarmThresholds`. */
export type ThresholdConfigKey = {
    [K in ConfigKey]: (typeof KEYS)[K] extends { readonly threshold: string } ? K : never;
}[ConfigKey];

/** Pulumi.yaml's defaults, as declared ("" where the value is derived or optional). */
export const DEFAULTS = Object.fromEntries(CONFIG_KEYS.map((key) => [key, KEYS[key].default])) as {
    readonly [K in ConfigKey]: (typeof KEYS)[K]["default"];
};

export function isConfigKey(key: string): key is ConfigKey {
    return Object.prototype.hasOwnProperty.call(KEYS, key);
}

/** A key's declaration, seen through the fields every kind has (the value's own type is `DeclaredValues`). */
export function declarationOf(key: ConfigKey): KeyDeclaration {
    return KEYS[key] as KeyDeclaration;
}
