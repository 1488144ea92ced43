/**
 * The node types ElastiCache offers for Valkey and Redis OSS, per region, as data: validation refuses a type that is
 * not here (naming `nodeType`, the region and the nearest offered types) before anything is created, and
 * `npm run plan` prices each offered type where twin/plan/prices.ts knows a price.
 *
 * Sources (checked 2026-12-06):
 * - The current-generation list: "CacheNode", Amazon ElastiCache API Reference
 *   (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheNode.html): M7g, M6g, M5, M4, T4g
 *   ("cache.t4g.micro, cache.t4g.small, cache.t4g.medium" — there is no cache.t4g.nano), T3, R7g, R6g, R6gd, R5, R4,
 *   C7gn. T2 is left out: "Amazon ElastiCache is transitioning T2 instances to previous generation status. You will no
 *   longer be able to create new ElastiCache clusters using T2 instances" ("Supported node types", ElastiCache guide).
 * - Regions with fewer types: "Supported node types" (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html):
 *   Asia Pacific (Thailand) and Mexico (Central) offer m7g/r7g large to 16xlarge and t3/t4g micro to medium only.
 * The same page's table "Supported node types by AWS Region" could not be read as text where this was written: every
 * other region is given the whole current-generation list, so a type a region lacks (an older family in a newer
 * region) passes here and is refused by AWS at `pulumi up`. Refresh from that table or from
 * `aws elasticache describe-reserved-cache-nodes-offerings --region <region>`.
 */
export const NODE_TYPES_CHECKED = "2026-12-06";

/** Sizes in ascending order: the distance between two sizes of a family is the distance in this list. */
const SIZES = [
    "nano",
    "micro",
    "small",
    "medium",
    "large",
    "xlarge",
    "2xlarge",
    "4xlarge",
    "8xlarge",
    "10xlarge",
    "12xlarge",
    "16xlarge",
    "24xlarge",
] as const;

const family = (name: string, sizes: readonly string[]): string[] => sizes.map((size) => `cache.${name}.${size}`);
const GRAVITON_SIZES = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"];
const BURSTABLE_SIZES = ["micro", "small", "medium"];

/** Every current-generation node type for Valkey and Redis OSS (cluster mode enabled takes every one of them). */
export const CURRENT_NODE_TYPES: readonly string[] = [
    ...family("t4g", BURSTABLE_SIZES),
    ...family("t3", BURSTABLE_SIZES),
    ...family("m7g", GRAVITON_SIZES),
    ...family("m6g", GRAVITON_SIZES),
    ...family("m5", ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"]),
    ...family("m4", ["large", "xlarge", "2xlarge", "4xlarge", "10xlarge"]),
    ...family("r7g", GRAVITON_SIZES),
    ...family("r6g", GRAVITON_SIZES),
    ...family("r6gd", ["xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"]),
    ...family("r5", ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"]),
    ...family("r4", ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "16xlarge"]),
    ...family("c7gn", GRAVITON_SIZES),
];

/** Regions that offer fewer than {@link CURRENT_NODE_TYPES} (see the sources above). */
const REGION_NODE_TYPES: Readonly<Record<string, readonly string[]>> = {
    "ap-southeast-7": [
        ...family("m7g", GRAVITON_SIZES),
        ...family("r7g", GRAVITON_SIZES),
        ...family("t3", BURSTABLE_SIZES),
        ...family("t4g", BURSTABLE_SIZES),
    ],
    "mx-central-1": [
        ...family("m7g", GRAVITON_SIZES),
        ...family("r7g", GRAVITON_SIZES),
        ...family("t3", BURSTABLE_SIZES),
        ...family("t4g", BURSTABLE_SIZES),
    ],
};

/**
 * Families whose nodes keep part of the data on SSD: ElastiCache creates them only with data tiering on
 * (`dataTieringEnabled`, ForceNew), which this program does not set, so it refuses them.
 */
export const DATA_TIERING_FAMILIES: readonly string[] = ["r6gd"];

/** The node types offered in a region (every current-generation type where the region is not known to offer fewer). */
export function offeredNodeTypes(region: string | undefined): readonly string[] {
    return (region !== undefined ? REGION_NODE_TYPES[region] : undefined) ?? CURRENT_NODE_TYPES;
}

/** `cache.t4g.micro` → `{ family: "t4g", size: "micro" }`; undefined when not of that shape. */
export function parseNodeType(nodeType: string): { family: string; size: string } | undefined {
    const match = /^cache\.([a-z0-9-]+)\.([a-z0-9]+)$/.exec(nodeType);
    return match ? { family: match[1], size: match[2] } : undefined;
}

const sizeRank = (size: string): number => {
    const rank = (SIZES as readonly string[]).indexOf(size);
    return rank < 0 ? SIZES.length : rank;
};

/**
 * Up to `count` offered types nearest the one asked for: the same family by size distance (cache.t4g.nano →
 * cache.t4g.micro, cache.t4g.small, …); else the same size in other families; else the smallest types offered.
 */
export function nearestNodeTypes(nodeType: string, offered: readonly string[], count = 3): string[] {
    const asked = parseNodeType(nodeType);
    const parsed = offered.map((type) => ({ type, ...parseNodeType(type)! }));
    if (asked) {
        const sameFamily = parsed.filter((candidate) => candidate.family === asked.family);
        if (sameFamily.length > 0) {
            return sameFamily
                .map((candidate) => ({
                    ...candidate,
                    distance: Math.abs(sizeRank(candidate.size) - sizeRank(asked.size)),
                }))
                .sort((a, b) => a.distance - b.distance || sizeRank(a.size) - sizeRank(b.size))
                .slice(0, count)
                .map((candidate) => candidate.type);
        }
        const sameSize = parsed.filter((candidate) => candidate.size === asked.size);
        if (sameSize.length > 0) return sameSize.slice(0, count).map((candidate) => candidate.type);
    }
    return [...parsed]
        .sort((a, b) => sizeRank(a.size) - sizeRank(b.size))
        .slice(0, count)
        .map((candidate) => candidate.type);
}

/** A problem with `nodeType` in `region`, or undefined when ElastiCache offers it there and this program can use it. */
export function nodeTypeProblem(nodeType: string, region: string | undefined): string | undefined {
    const offered = offeredNodeTypes(region);
    const where = region !== undefined ? `region ${region}` : "any region";
    if (!offered.includes(nodeType)) {
        return (
            `nodeType: ${JSON.stringify(nodeType)} is not offered by ElastiCache in ${where} (node types checked ` +
            `${NODE_TYPES_CHECKED}); nearest offered: ${nearestNodeTypes(nodeType, offered).join(", ")}`
        );
    }
    const parsed = parseNodeType(nodeType);
    if (parsed && DATA_TIERING_FAMILIES.includes(parsed.family)) {
        const alternatives = nearestNodeTypes(`cache.r7g.${parsed.size}`, offered);
        return (
            `nodeType: ${nodeType} keeps data on SSD and needs data tiering, which this program does not turn on ` +
            `(dataTieringEnabled is fixed at creation); nearest offered without it: ${alternatives.join(", ")}`
        );
    }
    return undefined;
}
