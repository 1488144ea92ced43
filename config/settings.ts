import type { AlarmThresholds } from "./alarms";
import type { AuthMode } from "./catalog";
import type { DeclaredValues, ThresholdConfigKey } from "./keys";

/**
 * Everything a stack can configure, validated and with defaults applied: each key's value as its declaration in
 * config/keys/ gives it (the TSDoc is there), and what the rules relating keys derive. Values that decide how many
 * resources exist are plain numbers and booleans, so the program's shape is known before anything is registered.
 */
export interface StackSettings extends Omit<
    DeclaredValues,
    ThresholdConfigKey | "authMode" | "subnetIds" | "parameters" | "finalSnapshot"
> {
    /** How clients authenticate; `none` only when `transitEncryption` is false (ElastiCache takes users and tokens only with TLS). */
    readonly authMode: AuthMode | "none";
    /** An existing network's subnets (with `vpcId`); undefined when the program creates its own VPC. */
    readonly subnetIds?: readonly string[];
    /** Engine parameters for a parameter group the program creates; undefined without the key. */
    readonly parameters?: Readonly<Record<string, string>>;
    /** A final snapshot when the replication group is deleted: the key's value, or `protect` when it is not set. */
    readonly finalSnapshot: boolean;
    /** Prefix length of each AZ's isolated subnet, derived from `vpcCidr` and `availabilityZoneCount`. */
    readonly subnetPrefixLength: number;
    /** The alarm thresholds' keys, gathered for the monitoring component. */
    readonly alarmThresholds: AlarmThresholds;
}

/** Raw configuration values by key, as Pulumi (strings) or a YAML file (strings, numbers, booleans) gives them. */
export type RawConfig = Readonly<Record<string, unknown>>;

/** The result of validation: settings when there was no problem, and every problem and warning found. */
export interface SettingsResult {
    readonly settings?: StackSettings;
    /** Each names the key, the value given and what is allowed. */
    readonly problems: readonly string[];
    /** Valid but worth saying (cost, exposure, quotas). */
    readonly warnings: readonly string[];
}

/** Thrown when a stack's configuration has problems; lists all of them. */
export class ConfigurationError extends Error {
    constructor(readonly problems: readonly string[]) {
        super(
            `Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
                problems.map((problem) => `  - ${problem}`).join("\n"),
        );
        this.name = "ConfigurationError";
    }
}
