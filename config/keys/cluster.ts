/** The replication group's shape and engine: how many nodes of which type, running what, on which port. */
import { ENGINES, MAX_REPLICAS_PER_SHARD, MAX_SHARDS } from "../catalog";
import { choice, derived, integer, refused, text } from "./declaration";

export const CLUSTER_KEYS = {
    /** Shards (node groups). Each owns a share of the 16384 hash slots. */
    numNodeGroups: integer({
        default: 1,
        min: 1,
        max: MAX_SHARDS,
        unit: "shards",
        description:
            "Shards (node groups), 1-500. numNodeGroups x (replicaCount + 1) must be at most 500 nodes (a warning above the default quota of 90).",
        change: {
            label: (s): string => `${s.numNodeGroups} → ${s.numNodeGroups + 1}`,
            to: (s): Record<string, string> => ({ numNodeGroups: String(s.numNodeGroups + 1) }),
            note: "Online resharding (ModifyReplicationGroupShardConfiguration); the cluster serves throughout. Scale in only with free memory on the remaining shards ≥ 1.5× what the removed shards hold ([best practices](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/best-practices-online-resharding.html)). With `shardPlacement: spread`: replacement.",
        },
        rehearsal: "shown",
    }),
    /** Replicas per shard; 0 means no failover target and no multi-AZ. */
    replicaCount: integer({
        default: 1,
        min: 0,
        max: MAX_REPLICAS_PER_SHARD,
        unit: "replicas per shard",
        description: "Replicas per shard, 0-5. With 1 or more the cluster is multi-AZ.",
        change: {
            label: (s): string => `${s.replicaCount} → ${s.replicaCount + 1}`,
            to: (s): Record<string, string> => ({ replicaCount: String(s.replicaCount + 1) }),
            note: "IncreaseReplicaCount / DecreaseReplicaCount, applied immediately. With `shardPlacement: spread`: replacement.",
        },
        furtherChanges: [
            {
                label: (s): string => `${s.replicaCount} → 0`,
                to: () => ({ replicaCount: "0" }),
                note: "AWS's DecreaseReplicaCount allows 0 replicas for cluster mode enabled, Multi-AZ or not ([API reference](https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DecreaseReplicaCount.html)); the provider sends it first, then Multi-AZ off in the standard modification. With 0 replicas a failed node loses its shard's data.",
            },
        ],
        rehearsal: "shown",
    }),
    /** ElastiCache node type, e.g. `cache.t4g.micro`. */
    nodeType: text({
        default: "cache.t4g.micro",
        pattern: /^cache\.[a-z][a-z0-9-]*\.[a-z0-9]+$/,
        allowedText: "a cache.<family>.<size> node type such as cache.t4g.micro or cache.r7g.large",
        description: "ElastiCache node type, cache.<family>.<size>.",
        change: {
            label: () => "→ cache.m7g.large",
            to: () => ({ nodeType: "cache.m7g.large" }),
            note: "Online vertical scaling. A data-tiering type (r6gd) would need `dataTieringEnabled`, which is ForceNew.",
        },
        rehearsal: "shown",
    }),
    engine: choice({
        allowed: ENGINES,
        default: "redis",
        description: "redis (Redis OSS) or valkey.",
        change: {
            label: () => "redis → valkey (with engineVersion 8.1)",
            to: () => ({ engine: "valkey", engineVersion: "8.1" }),
            note: "The provider sends Engine=valkey only with an engineVersion change; valkey → redis is a replacement. With `authMode` rbac or iam the users and their group are untouched: they stay of engine redis, which a Valkey cluster accepts ([RBAC](https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Clusters.RBAC.html)), so the switch is one ModifyReplicationGroup. See [§5](#5-switching-to-valkey).",
        },
        rehearsal: refused("the local cluster runs Debian's redis-server only; it cannot stand in for a Valkey node"),
    }),
    /** Checked against `engine` in config/validate.ts; "" derives it from the engine. */
    engineVersion: derived({
        default: "",
        description:
            "Engine version: redis 5.0.6, 6.0, 6.2, 7.0, 7.1; valkey 7.2, 8.0, 8.1. Empty derives it from the engine: redis 6.2 (the tutorial's), valkey 8.1. 5.x and 6.x are warned (paid ElastiCache Extended Support); why the default stays 6.2: docs/changing.md section 3.",
        change: {
            label: (s): string => `${s.engineVersion} → 7.1`,
            to: () => ({ engineVersion: "7.1" }),
            note: "The program derives the matching parameter group. A downgrade is a replacement. See [§3](#3-engine-upgrade-62--7x).",
        },
        furtherChanges: [
            {
                label: () => "7.1 → 7.0 (a downgrade)",
                from: () => ({ engineVersion: "7.1" }),
                to: () => ({ engineVersion: "7.0" }),
                note: "There is no downgrade: snapshot first, restore into the new cluster.",
            },
        ],
        rehearsal: "shown",
    }),
    /** A parameter group with `cluster-enabled yes`; checked against the engine and version in config/validate.ts. */
    parameterGroupName: derived({
        default: "",
        description:
            "A parameter group with cluster mode on. Empty derives it from engine and version (default.redis6.x.cluster.on for 6.x, default.redis7.cluster.on for 7.x, default.valkey7.cluster.on, default.valkey8.cluster.on); a default. group must be the version's .cluster.on one, a custom group is taken as given (with a warning).",
        change: {
            label: () => "→ a custom group",
            to: () => ({ parameterGroupName: "redis-cluster-custom" }),
            note: "Must stay a cluster-mode group of the version's family; some parameters take effect only after a reboot.",
        },
        rehearsal: refused("the local cluster has no parameter groups (ElastiCache applies them to its own nodes)"),
    }),
    /** Engine parameters of a parameter group the program creates; read by a rule in config/validate.ts. */
    parameters: derived({
        default: "",
        description:
            'Engine parameters as JSON object text, e.g. {"maxmemory-policy":"allkeys-lru"}: the program creates a parameter group of the engine version\'s family with cluster-enabled yes. maxmemory-policy and notify-keyspace-events are checked, others passed with a warning; not with parameterGroupName.',
        change: {
            label: () => '→ {"maxmemory-policy":"allkeys-lru"}',
            to: () => ({ parameters: JSON.stringify({ "maxmemory-policy": "allkeys-lru" }) }),
            note: "A parameter group is created and the cluster moved to it (ModifyReplicationGroup CacheParameterGroupName); a later value change is sent to the group (ModifyCacheParameterGroup), and ElastiCache applies it to every node. See [§8](#8-engine-parameters).",
        },
        furtherChanges: [
            {
                row: "engineVersion",
                label: () => "6.2 → 7.1 with parameters",
                from: () => ({ parameters: JSON.stringify({ "maxmemory-policy": "allkeys-lru" }) }),
                to: () => ({ parameters: JSON.stringify({ "maxmemory-policy": "allkeys-lru" }), engineVersion: "7.1" }),
                note: "The group's name carries its family (redis6.x → redis7): the new group is created first, the cluster moves to it with the upgrade, the old group is deleted after.",
            },
        ],
        rehearsal: refused(
            "npm start applies the parameters to every local node at start (CONFIG SET), but a change of them on a running cluster is not carried out",
        ),
    }),
    port: integer({
        default: 6379,
        min: 1024,
        max: 65535,
        unit: "",
        description: "Port of every node, 1024-65535.",
        change: {
            label: (s): string => `${s.port} → ${s.port + 1}`,
            to: (s): Record<string, string> => ({ port: String(s.port + 1) }),
            note: "Data lost; the endpoint changes. Prod: the update fails instead (`protect`).",
        },
        // A port change replaces the cluster, which is shown; so is a new empty cluster for any replacement verdict.
        rehearsal: "shown",
    }),
};
