/** Where the nodes are: the VPC's address block, how many AZs, and how shards are placed in them. */
import { SHARD_PLACEMENTS } from "../catalog";
import { choice, integer, refused, text } from "./declaration";

/** AZs the program lays subnets out for; the region may offer fewer (a rule in config/validate.ts). */
export const MIN_AVAILABILITY_ZONES = 2;
const MAX_AVAILABILITY_ZONES = 6;

export const NETWORK_KEYS = {
    availabilityZoneCount: integer({
        default: 2,
        min: MIN_AVAILABILITY_ZONES,
        max: MAX_AVAILABILITY_ZONES,
        unit: "availability zones",
        description: "AZs with an isolated subnet, 2-6 and no more than the region has; the region's first N AZs.",
        change: {
            label: (s): string => `${s.availabilityZoneCount} → ${s.availabilityZoneCount + 1}`,
            to: (s): Record<string, string> => ({ availabilityZoneCount: String(s.availabilityZoneCount + 1) }),
            note: "awsx lays the subnets out again (new prefix length and CIDRs), which replaces the subnets the nodes are in; ElastiCache cannot leave them. Plan it as a new stack and a data migration.",
        },
        rehearsal: refused("the local cluster has no availability zones or subnets"),
    }),
    /** How nodes are placed in AZs; see `SHARD_PLACEMENTS`. */
    shardPlacement: choice({
        allowed: SHARD_PLACEMENTS,
        default: "auto",
        description:
            "auto: ElastiCache places nodes and shard/replica changes reshard online; spread: each shard's primary and replicas in different AZs with explicit slots, fixed at creation (an unchanged re-run keeps the cluster, but changing shard or replica counts later replaces it).",
        warning: (placement) =>
            placement === "spread"
                ? "shardPlacement: spread fixes the node placement: a later numNodeGroups or replicaCount change replaces the " +
                  "cluster (data loss); auto reshards in place"
                : undefined,
        change: {
            label: (s): string => `${s.shardPlacement} → ${s.shardPlacement === "auto" ? "spread" : "auto"}`,
            to: (s): Record<string, string> => ({ shardPlacement: s.shardPlacement === "auto" ? "spread" : "auto" }),
            note: "auto → spread sends AZs ElastiCache did not choose (unless by chance): replacement. spread → auto is no change (row below).",
        },
        furtherChanges: [
            {
                label: () => "spread → auto",
                from: () => ({ shardPlacement: "spread" }),
                to: () => ({ shardPlacement: "auto" }),
                note: "nodeGroupConfigurations is Optional+Computed: leaving it out keeps the state. The way off `spread` before a count change.",
            },
        ],
        rehearsal: refused("the local cluster has no availability zones to place shards in"),
    }),
    /** The VPC's IPv4 block; checked (and its subnets sized) by the CIDR rule in config/validate.ts. */
    vpcCidr: text({
        default: "10.0.0.0/16",
        description: "The VPC's IPv4 block, /16 to /24.",
        change: {
            label: () => "→ 10.1.0.0/16",
            to: () => ({ vpcCidr: "10.1.0.0/16" }),
            note: "The VPC (cidr_block ForceNew), its subnets and security groups are replaced. The subnet group's subnetIds are updatable, but a running cluster cannot move to another VPC: plan it as a new stack.",
        },
        rehearsal: refused("the local cluster has no VPC"),
    }),
};
