/**
 * The alarm thresholds a stack can set, their defaults and their limits, each with its reason. The defaults are
 * relative to the node's own capacity (percentages of a core, of `maxmemory`; a fraction of ElastiCache's fixed
 * connection limit), so one set fits the burstable cache.t4g.micro of dev and the cache.r7g.large of prod alike.
 */

/** Thresholds of the alarms on every cache node and on the function, after validation and defaults. */
export interface AlarmThresholds {
    /** `EngineCPUUtilization` (%, the Redis engine thread's share of one core), held for 5 minutes. */
    readonly engineCpuPercent: number;
    /** `DatabaseMemoryUsagePercentage` (% of `maxmemory`), held for 5 minutes. */
    readonly memoryPercent: number;
    /** `Evictions` summed over 5 minutes. */
    readonly evictions: number;
    /** `ReplicationLag` (seconds), held for 5 minutes; only replicas publish it. */
    readonly replicationLagSeconds: number;
    /** `CurrConnections` on one node, held for 5 minutes. */
    readonly connections: number;
    /** The function's `Errors` summed over 5 minutes (failed invocations: crashes and timeouts, not 503 answers). */
    readonly functionErrors: number;
    /** The function's p99 `Duration` over 5 minutes, as a percentage of its timeout. */
    readonly functionDurationPercent: number;
}

/**
 * ElastiCache's `maxclients`: 65,000 concurrent connections per node, fixed by the service (not modifiable in a
 * parameter group). Source: "Large number of connections (Valkey and Redis OSS)", ElastiCache developer guide,
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/BestPractices.Clients.Redis.Connections.html
 */
export const ELASTICACHE_MAX_CLIENTS = 65_000;

/**
 * The defaults, declared the same in Pulumi.yaml (whose descriptions repeat the reasons):
 * - CPU 90%: AWS's guidance for `EngineCPUUtilization` is to act at about 90% of the engine thread's core; beyond it
 *   commands queue behind the single thread and latency climbs.
 * - memory 80%: of `maxmemory` (which already excludes the 25% reserved memory); past it the node is one burst away
 *   from evictions or OOM errors on writes, and a scale-up or reshard takes minutes to hours.
 * - evictions 1: this cluster stores what the function writes, not a disposable cache, so one evicted key is lost data.
 * - replication lag 10 s: a healthy replica trails by milliseconds; 10 s held for 5 minutes means it cannot keep up,
 *   and a failover now would lose those seconds of writes (and `durableWrites` calls time out).
 * - connections 52,000: 80% of the fixed 65,000 `maxclients`, whatever the node type; new connections are refused at
 *   the limit.
 * - function errors 1: the handler answers Redis failures itself (503), so any Lambda error is a crash or a timeout.
 * - function duration 80%: p99 at 8 s of a 10 s timeout means calls are about to be killed rather than answered.
 */
export const DEFAULT_ALARM_THRESHOLDS: AlarmThresholds = {
    engineCpuPercent: 90,
    memoryPercent: 80,
    evictions: 1,
    replicationLagSeconds: 10,
    connections: 52_000,
    functionErrors: 1,
    functionDurationPercent: 80,
};

/** The configuration key of each threshold. */
export const ALARM_THRESHOLD_KEYS = {
    engineCpuPercent: "alarmEngineCpuPercent",
    memoryPercent: "alarmMemoryPercent",
    evictions: "alarmEvictions",
    replicationLagSeconds: "alarmReplicationLagSeconds",
    connections: "alarmConnections",
    functionErrors: "alarmFunctionErrors",
    functionDurationPercent: "alarmFunctionDurationPercent",
} as const satisfies Readonly<Record<keyof AlarmThresholds, string>>;

/** What each threshold may be: [min, max, unit as the error message says it]. */
export const ALARM_THRESHOLD_LIMITS: Readonly<Record<keyof AlarmThresholds, readonly [number, number, string]>> = {
    engineCpuPercent: [1, 100, "percent"],
    memoryPercent: [1, 100, "percent"],
    evictions: [1, 1_000_000_000, "evictions in 5 minutes"],
    replicationLagSeconds: [1, 3600, "seconds"],
    connections: [
        1,
        ELASTICACHE_MAX_CLIENTS,
        `connections (ElastiCache's fixed maxclients is ${ELASTICACHE_MAX_CLIENTS})`,
    ],
    functionErrors: [1, 1_000_000, "errors in 5 minutes"],
    // Below 10% of a 10 s timeout (1 s) the alarm would fire on an ordinary cold start.
    functionDurationPercent: [10, 100, "percent of the function's timeout"],
};
