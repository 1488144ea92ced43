/**
 * The small, dated price table behind `npm run plan`'s cost estimate: on-demand list prices in USD for the few things
 * this program bills for, in a few regions. It is an estimate aid, not a quote — refresh it from the pages named in
 * `source` when AWS changes prices, and bump `PRICES_CHECKED`.
 *
 * How the figures were checked (2026-11-27): the AWS pricing pages render their tables in the browser, so they could
 * not be read as text here. A price is `confirmed` when the same figure appears in AWS Price List API data quoted in
 * several public sources; the others are the best figures known, marked unconfirmed, and the plan prints them so.
 * CloudWatch (added 2026-11-30): $0.10 per standard-resolution alarm appears in several public sources for us-east-1;
 * $3 per dashboard is AWS's long-standing list price but was not seen quoted, so it is marked unconfirmed; other regions
 * are assumed to match us-east-1 (unconfirmed).
 */

/** Date the table was last checked (ISO). */
export const PRICES_CHECKED = "2026-11-27";

/** Hours in the month the estimate assumes (AWS's own calculators use 730). */
export const HOURS_PER_MONTH = 730;

/** One unit price and where it comes from. */
export interface Price {
    readonly usd: number;
    /** The AWS pricing page the figure belongs to. */
    readonly source: string;
    /** False when the figure could not be confirmed on {@link PRICES_CHECKED}; the plan says so next to it. */
    readonly confirmed: boolean;
}

/** Everything priced in one region. */
export interface RegionPrices {
    /** The region's name on the pricing pages. */
    readonly name: string;
    /** ElastiCache on-demand node-hour, Redis OSS engine, by node type. */
    readonly cacheNodeHour: Readonly<Record<string, Price>>;
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
    /** A custom CloudWatch dashboard, per dashboard per month. */
    readonly dashboardMonth: Price;
}

export const SOURCES = {
    elastiCache: "Amazon ElastiCache pricing, On-Demand Nodes (aws.amazon.com/elasticache/pricing)",
    ec2: "Amazon EC2 On-Demand Pricing, Linux (aws.amazon.com/ec2/pricing/on-demand)",
    ebs: "Amazon EBS pricing (aws.amazon.com/ebs/pricing)",
    privateLink: "AWS PrivateLink pricing, Interface Endpoint (aws.amazon.com/privatelink/pricing)",
    cloudWatch: "Amazon CloudWatch pricing, Paid tier: Alarms and Dashboards (aws.amazon.com/cloudwatch/pricing)",
} as const;

/**
 * Valkey nodes cost 20% less than Redis OSS nodes of the same type in every region; the table lists Redis OSS prices
 * and derives Valkey's, so one figure per node type needs refreshing.
 */
export const VALKEY_PRICE_FACTOR = 0.8;

const confirmed = (usd: number, source: string): Price => ({ usd, source, confirmed: true });
const unconfirmed = (usd: number, source: string): Price => ({ usd, source, confirmed: false });

export const REGION_PRICES: Readonly<Record<string, RegionPrices>> = {
    "us-east-1": {
        name: "US East (N. Virginia)",
        cacheNodeHour: {
            "cache.t4g.micro": confirmed(0.016, SOURCES.elastiCache),
            "cache.t4g.small": confirmed(0.032, SOURCES.elastiCache),
            "cache.m7g.large": confirmed(0.158, SOURCES.elastiCache),
            "cache.r7g.large": confirmed(0.219, SOURCES.elastiCache),
        },
        instanceHour: { "t4g.nano": confirmed(0.0042, SOURCES.ec2) },
        volumeGbMonth: { gp3: confirmed(0.08, SOURCES.ebs), gp2: confirmed(0.1, SOURCES.ebs) },
        interfaceEndpointAzHour: confirmed(0.01, SOURCES.privateLink),
        interfaceEndpointGb: confirmed(0.01, SOURCES.privateLink),
        alarmMonth: confirmed(0.1, SOURCES.cloudWatch),
        dashboardMonth: unconfirmed(3, SOURCES.cloudWatch),
    },
    "eu-west-1": {
        name: "Europe (Ireland)",
        cacheNodeHour: {
            "cache.t4g.micro": unconfirmed(0.017, SOURCES.elastiCache),
            "cache.t4g.small": unconfirmed(0.034, SOURCES.elastiCache),
            "cache.m7g.large": unconfirmed(0.176, SOURCES.elastiCache),
            "cache.r7g.large": unconfirmed(0.243, SOURCES.elastiCache),
        },
        instanceHour: { "t4g.nano": unconfirmed(0.0046, SOURCES.ec2) },
        volumeGbMonth: { gp3: unconfirmed(0.088, SOURCES.ebs), gp2: unconfirmed(0.11, SOURCES.ebs) },
        interfaceEndpointAzHour: unconfirmed(0.011, SOURCES.privateLink),
        interfaceEndpointGb: confirmed(0.01, SOURCES.privateLink),
        alarmMonth: unconfirmed(0.1, SOURCES.cloudWatch),
        dashboardMonth: unconfirmed(3, SOURCES.cloudWatch),
    },
    "ap-northeast-1": {
        name: "Asia Pacific (Tokyo)",
        cacheNodeHour: {
            "cache.t4g.micro": unconfirmed(0.025, SOURCES.elastiCache),
            "cache.t4g.small": unconfirmed(0.049, SOURCES.elastiCache),
            "cache.m7g.large": unconfirmed(0.19, SOURCES.elastiCache),
            "cache.r7g.large": confirmed(0.263, SOURCES.elastiCache),
        },
        instanceHour: { "t4g.nano": unconfirmed(0.0054, SOURCES.ec2) },
        volumeGbMonth: { gp3: unconfirmed(0.096, SOURCES.ebs), gp2: unconfirmed(0.12, SOURCES.ebs) },
        interfaceEndpointAzHour: unconfirmed(0.014, SOURCES.privateLink),
        interfaceEndpointGb: confirmed(0.01, SOURCES.privateLink),
        alarmMonth: unconfirmed(0.1, SOURCES.cloudWatch),
        dashboardMonth: unconfirmed(3, SOURCES.cloudWatch),
    },
};
