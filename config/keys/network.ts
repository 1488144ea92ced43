/** Where the nodes are: the VPC's address block, how many AZs, and how shards are placed in them. */
import { SHARD_PLACEMENTS } from "../catalog";
import { choice, derived, integer, refused, text } from "./declaration";

/** The network the guide's rows switch to: a VPC of the user's own and three of its subnets (answered by the mocks). */
const GIVEN_VPC = "vpc-0a1b2c3d4e5f60718";
const GIVEN_SUBNETS = ["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713"];
const givenNetwork = (subnets: readonly string[]): Record<string, string> => ({
    vpcId: GIVEN_VPC,
    subnetIds: JSON.stringify(subnets),
});

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
    /** An existing VPC to deploy into instead of creating one; with `subnetIds` (both or neither). */
    vpcId: text({
        default: "",
        description:
            "An existing VPC (vpc-...) to deploy into, with subnetIds; empty: the program creates its own VPC. No VPC, subnets or VPC endpoints are created then; docs/deploying.md section 2.2 says what the network must provide.",
        change: {
            label: () => "own VPC → an existing one (vpcId, subnetIds)",
            to: () => givenNetwork(GIVEN_SUBNETS.slice(0, 2)),
            note: "The program's VPC, subnets and endpoints are deleted; the subnet group is named after the VPC it belongs to, so the cluster is replaced (a cluster cannot move to another VPC). Back from a given network to the program's own is the same. Plan it as a new stack and a data migration ([§10](#10-switching-between-the-programs-network-and-an-existing-one)).",
        },
        rehearsal: refused("the local cluster has no VPC"),
    }),
    /** The subnets of `vpcId` for the cache, the function and the client host; read by a rule in config/validate.ts. */
    subnetIds: derived({
        default: "",
        description:
            'Subnets of vpcId (2-20, in at least 2 AZs when replicaCount is 1 or more; the AZs are read from the subnets), as JSON array text (or comma-separated), e.g. ["subnet-0a1b2c3d","subnet-4e5f6a7b"].',
        change: {
            label: () => "a third subnet of the same VPC",
            from: () => givenNetwork(GIVEN_SUBNETS.slice(0, 2)),
            to: () => givenNetwork(GIVEN_SUBNETS),
            note: "The subnet group's subnets are updated (ModifyCacheSubnetGroup); the function's VPC configuration is updated. Removing a subnet that nodes use is refused by AWS until they move (on paper).",
        },
        rehearsal: refused("the local cluster has no subnets"),
    }),
};
