/**
 * What the tutorial's CloudFormation stacks bill for, with their default parameters,
 * so a plan can be compared with it in the same region and at the same prices.
 */
import { ASSUMED_ROOT_VOLUME_GIB, BillableInventory } from "./costEstimate";

/** One line saying what the tutorial is, for the comparison's heading. */
export const TUTORIAL_DESCRIPTION =
    "the tutorial: 1 shard × 1 replica = 2 × cache.t4g.micro, a t4g.nano client host, 3 interface endpoints (ssm, ec2messages, ssmmessages) in 1 AZ";

/**
 * dva-03-004-elasticache.yaml: NumNodeGroups 1, ReplicaCount 1, cache.t4g.micro, redis 6.2;
 * dva-03-004-ec2.yaml: t4g.nano from the amzn2 arm64 gp2 AMI (8 GiB gp2 root volume);
 * dva-03-004-endpoint.yaml: three interface endpoints in the instance's subnet, an S3 gateway endpoint (free);
 * dva-03-004-lambda.yaml: a Lambda with a Function URL (usage-based).
 */
export const TUTORIAL_INVENTORY: BillableInventory = {
    items: [
        {
            kind: "cacheNodes",
            resource: "tutorial ReplicationGroup",
            nodeType: "cache.t4g.micro",
            engine: "redis",
            count: 2,
        },
        { kind: "instance", resource: "tutorial Instance", instanceType: "t4g.nano" },
        {
            kind: "volume",
            resource: "tutorial Instance",
            volumeType: "gp2",
            gib: ASSUMED_ROOT_VOLUME_GIB,
            sizeAssumed: true,
        },
        ...["ssm", "ec2messages", "ssmmessages"].map((service) => ({
            kind: "interfaceEndpoint" as const,
            resource: `tutorial ${service} endpoint`,
            service,
            zones: 1,
        })),
        { kind: "usageBased", resource: "tutorial Lambda", what: "Lambda requests and GB-seconds" },
    ],
    free: ["VPC", "subnets", "route table", "security groups", "S3 gateway endpoint", "IAM roles", "Lambda layer"],
    notes: [],
    unknownTypes: [],
};
