/**
 * The small, dated price table behind `npm run plan`'s cost estimate: on-demand list prices in USD for the few things
 * this program bills for, in a few regions. It is an estimate aid, not a quote — refresh it from the pages named in
 * `source` when AWS changes prices, and update each figure's `checked` date.
 *
 * How the figures were checked: the AWS pricing pages render their tables in the browser, so they could not be read as
 * text here. A price is `confirmed` when the same figure appears in AWS Price List API data quoted in public sources (or,
 * for a $0 charge, on AWS's own page); the others are the best figures known, marked unconfirmed, and the plan prints
 * them so.
 * CloudWatch (checked 2026-11-30): $0.10 per standard-resolution alarm appears in several public sources for us-east-1;
 * $3 per dashboard is AWS's long-standing list price but was not seen quoted, so it is marked unconfirmed; other regions
 * are assumed to match us-east-1 (unconfirmed).
 */
import type { Engine } from "../../config/catalog";

/** When most of the table was checked (ISO). */
const TABLE_CHECKED = "2026-11-27";
/** When the Valkey node prices and the Instance Connect Endpoint's were checked (ISO). */
const ACCESS_AND_ENGINE_CHECKED = "2026-11-30";
/** When the CloudWatch alarm and dashboard prices were checked (ISO). */
const MONITORING_CHECKED = "2026-11-30";
/** When the KMS key price was checked (ISO). */
const KMS_CHECKED = "2026-12-06";

/** Hours in the month the estimate assumes (AWS's own calculators use 730). */
export const HOURS_PER_MONTH = 730;

/** One unit price, where it comes from and when it was checked. */
export interface Price {
    readonly usd: number;
    /** The AWS pricing page the figure belongs to. */
    readonly source: string;
    /** The date (ISO) the figure was looked for at its source. */
    readonly checked: string;
    /** False when the figure could not be confirmed on its `checked` date; the plan says so next to it. */
    readonly confirmed: boolean;
    /** How the figure was obtained when it was not read off its source, e.g. derived from another price. */
    readonly derivation?: string;
}

/** Everything priced in one region. */
export interface RegionPrices {
    /** The region's name on the pricing pages. */
    readonly name: string;
    /** ElastiCache on-demand node-hour by engine (Redis OSS, Valkey), then node type. */
    readonly cacheNodeHour: Readonly<Record<Engine, Readonly<Record<string, Price>>>>;
    /** EC2 on-demand instance-hour, Linux, by instance type. */
    readonly instanceHour: Readonly<Record<string, Price>>;
    /** EBS storage per GB-month, by volume type. */
    readonly volumeGbMonth: Readonly<Record<string, Price>>;
    /** An interface VPC endpoint, per endpoint per AZ per hour. */
    readonly interfaceEndpointAzHour: Price;
    /** Data processed by interface endpoints, per GB (first PB). Not in the total: it depends on traffic. */
    readonly interfaceEndpointGb: Price;
    /** A standard-resolution (period of 60 s or more) CloudWatch metric alarm, per alarm per month. */
    readonly alarmMonth: Price;
    /**
     * A CloudWatch alarm on a Metrics Insights query, per metric it analyses per month (one per node here). Assumed
     * the standard alarm's $0.10 per metric: the pricing page's figure for query alarms was not seen; such alarms are
     * outside the free tier ("10 Alarm metrics (only applicable to Standard resolution alarms that list metrics
     * directly and don't use a Metrics Insights query)").
     */
    readonly queryAlarmMetricMonth: Price;
    /** A custom CloudWatch dashboard, per dashboard per month. */
    readonly dashboardMonth: Price;
    /** A customer-managed KMS key, per key per month (requests and rotated key material not included). */
    readonly kmsKeyMonth: Price;
}

export const SOURCES = {
    elastiCache: "Amazon ElastiCache pricing, On-Demand Nodes, Redis OSS (aws.amazon.com/elasticache/pricing)",
    elastiCacheValkey: "Amazon ElastiCache pricing, On-Demand Nodes, Valkey (aws.amazon.com/elasticache/pricing)",
    ec2: "Amazon EC2 On-Demand Pricing, Linux (aws.amazon.com/ec2/pricing/on-demand)",
    ebs: "Amazon EBS pricing (aws.amazon.com/ebs/pricing)",
    privateLink: "AWS PrivateLink pricing, Interface Endpoint (aws.amazon.com/privatelink/pricing)",
    instanceConnect:
        'Amazon EC2 User Guide, "Connect to your instances using EC2 Instance Connect Endpoint", Pricing: "There is no ' +
        'additional cost for using EC2 Instance Connect Endpoints" (docs.aws.amazon.com/AWSEC2/latest/UserGuide/' +
        "connect-with-ec2-instance-connect-endpoint.html)",
    cloudWatch: "Amazon CloudWatch pricing, Paid tier: Alarms and Dashboards (aws.amazon.com/cloudwatch/pricing)",
    kms: 'AWS Key Management Service pricing: "Each AWS KMS key that you create in KMS costs $1/month" (aws.amazon.com/kms/pricing)',
} as const;

/**
 * A KMS key: $1 a month in every region, on AWS's page. Automatic rotation may add up to $1 a month per rotated key
 * version (AWS reduced rotation charges in 2024; the cap now billed was not confirmed), and requests beyond the free
 * tier's 20,000 a month bill per request: neither is in the figure, the plan says so.
 */
const KMS_KEY_MONTH: Price = {
    usd: 1,
    source: SOURCES.kms,
    checked: KMS_CHECKED,
    confirmed: true,
};

/**
 * Valkey nodes against Redis OSS nodes of the same type: AWS says "up to 20% lower cost per node" (ElastiCache FAQ,
 * "Why should I use ElastiCache for Valkey?"). Where a Valkey figure was found in Price List data it is written out
 * below, and it is exactly this factor times the Redis OSS figure; every other Valkey figure is derived with it and
 * marked unconfirmed.
 */
export const VALKEY_PRICE_FACTOR = 0.8;

/**
 * An EC2 Instance Connect Endpoint has no hourly charge (data crossing AZs is billed, which the program avoids by
 * putting the endpoint in the host's subnet). The same in every region.
 */
export const INSTANCE_CONNECT_ENDPOINT_HOUR: Price = {
    usd: 0,
    source: SOURCES.instanceConnect,
    checked: ACCESS_AND_ENGINE_CHECKED,
    confirmed: true,
};

const confirmed = (usd: number, source: string, checked = TABLE_CHECKED): Price => ({
    usd,
    source,
    checked,
    confirmed: true,
});
const unconfirmed = (usd: number, source: string, checked = TABLE_CHECKED): Price => ({
    usd,
    source,
    checked,
    confirmed: false,
});

/**
 * Both engines' node-hours for a region: Redis OSS as listed; Valkey as found in Price List data where it was, else
 * Redis OSS × {@link VALKEY_PRICE_FACTOR}, unconfirmed (a derived figure is not a confirmed one).
 */
function nodeHours(
    redis: Record<string, Price>,
    valkeyFound: Record<string, Price> = {},
): RegionPrices["cacheNodeHour"] {
    const valkey = Object.fromEntries(
        Object.entries(redis).map(([nodeType, price]) => [
            nodeType,
            valkeyFound[nodeType] ?? {
                ...unconfirmed(
                    Math.round(price.usd * VALKEY_PRICE_FACTOR * 1e6) / 1e6,
                    SOURCES.elastiCacheValkey,
                    ACCESS_AND_ENGINE_CHECKED,
                ),
                derivation: `Redis OSS $${price.usd} × ${VALKEY_PRICE_FACTOR}`,
            },
        ]),
    );
    return { redis, valkey };
}

export const REGION_PRICES: Readonly<Record<string, RegionPrices>> = {
    "us-east-1": {
        name: "US East (N. Virginia)",
        cacheNodeHour: nodeHours(
            {
                "cache.t4g.micro": confirmed(0.016, SOURCES.elastiCache),
                "cache.t4g.small": confirmed(0.032, SOURCES.elastiCache),
                "cache.m7g.large": confirmed(0.158, SOURCES.elastiCache),
                "cache.r7g.large": confirmed(0.219, SOURCES.elastiCache),
            },
            {
                // Price List API data for cacheEngine Valkey, US East (N. Virginia), on-demand: annual cost 1534.75 =
                // $0.1752 × 8760 h, in Netflix-Skunkworks/service-capacity-modeling
                // service_capacity_modeling/hardware/profiles/pricing/aws/3yr-reserved_elasticache-on-demand.json (commit
                // dfd59981afd6fef4ff35c9e7797a5eccab3899e7), generated by its tools/fetch_pricing from the Price List API.
                "cache.r7g.large": confirmed(0.1752, SOURCES.elastiCacheValkey, ACCESS_AND_ENGINE_CHECKED),
                // cache.t4g.micro stays derived ($0.0128): it matches a third party's us-east-2 list price ($9.34 for 730 h)
                // but no Price List quote for us-east-1 was found.
            },
        ),
        instanceHour: { "t4g.nano": confirmed(0.0042, SOURCES.ec2) },
        volumeGbMonth: { gp3: confirmed(0.08, SOURCES.ebs), gp2: confirmed(0.1, SOURCES.ebs) },
        interfaceEndpointAzHour: confirmed(0.01, SOURCES.privateLink),
        interfaceEndpointGb: confirmed(0.01, SOURCES.privateLink),
        alarmMonth: confirmed(0.1, SOURCES.cloudWatch, MONITORING_CHECKED),
        queryAlarmMetricMonth: unconfirmed(0.1, SOURCES.cloudWatch, MONITORING_CHECKED),
        dashboardMonth: unconfirmed(3, SOURCES.cloudWatch, MONITORING_CHECKED),
        kmsKeyMonth: KMS_KEY_MONTH,
    },
    "eu-west-1": {
        name: "Europe (Ireland)",
        cacheNodeHour: nodeHours({
            "cache.t4g.micro": unconfirmed(0.017, SOURCES.elastiCache),
            "cache.t4g.small": unconfirmed(0.034, SOURCES.elastiCache),
            "cache.m7g.large": unconfirmed(0.176, SOURCES.elastiCache),
            "cache.r7g.large": unconfirmed(0.243, SOURCES.elastiCache),
        }),
        instanceHour: { "t4g.nano": unconfirmed(0.0046, SOURCES.ec2) },
        volumeGbMonth: { gp3: unconfirmed(0.088, SOURCES.ebs), gp2: unconfirmed(0.11, SOURCES.ebs) },
        interfaceEndpointAzHour: unconfirmed(0.011, SOURCES.privateLink),
        interfaceEndpointGb: confirmed(0.01, SOURCES.privateLink),
        alarmMonth: unconfirmed(0.1, SOURCES.cloudWatch, MONITORING_CHECKED),
        queryAlarmMetricMonth: unconfirmed(0.1, SOURCES.cloudWatch, MONITORING_CHECKED),
        dashboardMonth: unconfirmed(3, SOURCES.cloudWatch, MONITORING_CHECKED),
        kmsKeyMonth: KMS_KEY_MONTH,
    },
    "ap-northeast-1": {
        name: "Asia Pacific (Tokyo)",
        cacheNodeHour: nodeHours({
            "cache.t4g.micro": unconfirmed(0.025, SOURCES.elastiCache),
            "cache.t4g.small": unconfirmed(0.049, SOURCES.elastiCache),
            "cache.m7g.large": unconfirmed(0.19, SOURCES.elastiCache),
            "cache.r7g.large": confirmed(0.263, SOURCES.elastiCache),
        }),
        instanceHour: { "t4g.nano": unconfirmed(0.0054, SOURCES.ec2) },
        volumeGbMonth: { gp3: unconfirmed(0.096, SOURCES.ebs), gp2: unconfirmed(0.12, SOURCES.ebs) },
        interfaceEndpointAzHour: unconfirmed(0.014, SOURCES.privateLink),
        interfaceEndpointGb: confirmed(0.01, SOURCES.privateLink),
        alarmMonth: unconfirmed(0.1, SOURCES.cloudWatch, MONITORING_CHECKED),
        queryAlarmMetricMonth: unconfirmed(0.1, SOURCES.cloudWatch, MONITORING_CHECKED),
        dashboardMonth: unconfirmed(3, SOURCES.cloudWatch, MONITORING_CHECKED),
        kmsKeyMonth: KMS_KEY_MONTH,
    },
};
