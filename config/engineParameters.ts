/**
 * Engine parameters (config key `parameters`): what a custom parameter group of the engine version's family holds.
 * Parsing and checking are pure, so validation reports them with every other problem before anything is created.
 */
import { ENGINE_VERSIONS, Engine } from "./catalog";

/**
 * `maxmemory-policy`'s values in ElastiCache parameter groups; the default groups use `volatile-lru`.
 * Sources: AWS Knowledge Center, "Why am I getting an OOM command not allowed error…"
 * (https://aws.amazon.com/premiumsupport/knowledge-center/oom-command-not-allowed-redis/): "The default value is
 * volatile-lru", and noeviction, allkeys-lru, volatile-lru, allkeys-random, volatile-random, volatile-ttl; the LFU pair
 * (allkeys-lfu, volatile-lfu) exists since Redis 4.0 ("Redis OSS 4.0.10 parameter changes", ElastiCache guide).
 */
export const MAXMEMORY_POLICIES = [
    "volatile-lru",
    "allkeys-lru",
    "volatile-lfu",
    "allkeys-lfu",
    "volatile-random",
    "allkeys-random",
    "volatile-ttl",
    "noeviction",
] as const;

/**
 * `notify-keyspace-events`' flags (Redis keyspace notifications: K E g $ l s h z x e t m d A n; empty turns them off).
 * ElastiCache takes the same string ("Redis OSS 2.8.6 added parameters", ElastiCache guide).
 */
const KEYSPACE_EVENT_FLAGS = /^[KEg$lshzxetmdAn]*$/;

/** The parameter that makes a group a cluster-mode one; a cluster-mode-enabled replication group refuses any other. */
export const CLUSTER_ENABLED = "cluster-enabled";

/** The values the program checks, by parameter; any other parameter is passed as given, with a warning. */
const KNOWN_PARAMETERS: Readonly<Record<string, (value: string) => string | undefined>> = {
    "maxmemory-policy": (value) =>
        (MAXMEMORY_POLICIES as readonly string[]).includes(value)
            ? undefined
            : `allowed ${MAXMEMORY_POLICIES.join(", ")}`,
    "notify-keyspace-events": (value) =>
        KEYSPACE_EVENT_FLAGS.test(value) ? undefined : "allowed a string of the flags K E g $ l s h z x e t m d A n",
    [CLUSTER_ENABLED]: (value) =>
        value === "yes"
            ? undefined
            : "allowed only yes: the program runs cluster mode enabled, which needs cluster-enabled yes (leave it out: the program sets it)",
};

/**
 * The parameter group family of an engine version (`redis6.x`, `redis7`, `valkey7`, `valkey8`), read from the default
 * group ElastiCache names after it (config/catalog.ts, `default.<family>.cluster.on`).
 */
export function parameterGroupFamily(engine: Engine, engineVersion: string): string | undefined {
    const group = ENGINE_VERSIONS[engine][engineVersion];
    return group?.replace(/^default\./, "").replace(/\.cluster\.on$/, "");
}

/** A family as a name part: parameter group names take letters, digits and hyphens only (`redis6.x` → `redis6-x`). */
export function familyNamePart(family: string): string {
    return family.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
}

/**
 * Parses `parameters`: a map as Pulumi hands structured config (a JSON string), a JSON object text as given with
 * `--config parameters='{…}'`, or an object (a YAML map read from a stack file). Values may be strings, numbers or
 * booleans (ElastiCache takes every value as text); names are a parameter's lower-case name.
 */
export function parseParameters(value: unknown): { parameters?: Record<string, string>; problem?: string } {
    let parsed: unknown = value;
    if (typeof value === "string") {
        try {
            parsed = JSON.parse(value);
        } catch {
            return {
                problem: `${JSON.stringify(value)} is not a JSON object; allowed e.g. {"maxmemory-policy":"allkeys-lru"}`,
            };
        }
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        return { problem: `${JSON.stringify(value)} is not a map; allowed e.g. {"maxmemory-policy":"allkeys-lru"}` };
    }
    const parameters: Record<string, string> = {};
    for (const [name, raw] of Object.entries(parsed as Record<string, unknown>)) {
        if (!/^[a-z][a-z0-9-]*$/.test(name)) {
            return {
                problem: `${JSON.stringify(name)} is not a parameter name; allowed lower-case letters, digits and hyphens`,
            };
        }
        if (!["string", "number", "boolean"].includes(typeof raw)) {
            return { problem: `${name}: ${JSON.stringify(raw)} is not a value; allowed a string, number or boolean` };
        }
        parameters[name] = String(raw);
    }
    return { parameters };
}

/** Problems (refusals) and warnings (parameters passed unchecked) about parsed parameters, each naming `parameters`. */
export function checkParameters(parameters: Readonly<Record<string, string>>): {
    problems: string[];
    warnings: string[];
} {
    const problems: string[] = [];
    const unchecked: string[] = [];
    for (const [name, value] of Object.entries(parameters)) {
        const check = KNOWN_PARAMETERS[name];
        if (!check) {
            unchecked.push(`${name}=${value}`);
            continue;
        }
        const allowed = check(value);
        if (allowed) problems.push(`parameters: ${name} ${JSON.stringify(value)} is not allowed; ${allowed}`);
    }
    const warnings =
        unchecked.length > 0
            ? [
                  `parameters: ${unchecked.join(", ")} passed to the parameter group unchecked (the program knows the values ` +
                      `of ${Object.keys(KNOWN_PARAMETERS).join(", ")}); a name or value ElastiCache does not take for the family fails at pulumi up`,
              ]
            : [];
    return { problems, warnings };
}
