/**
 * A monthly cost estimate from the resources the program registers: each resource that bills by the hour or by
 * stored GB or per month (alarms, dashboards) is priced from the dated table in `prices.ts`; usage-billed ones (Lambda,
 * its URL, logs, SNS) are listed at
 * ~0; a price the table lacks is reported as missing, never guessed.
 */
import type { RecordedResource } from "../program/evaluateProgram";
import { autoScalingOf, maximumShape } from "../../config/autoScaling";
import { ENGINES, Engine } from "../../config/catalog";
import { HOURS_PER_MONTH, INSTANCE_CONNECT_ENDPOINT_HOUR, Price, REGION_PRICES } from "./prices";

/** Root volume size when the program sets none: the Amazon Linux AMIs' default (8 GiB). */
export const ASSUMED_ROOT_VOLUME_GIB = 8;

/** Something that costs money every month whether or not it is used, or per use. */
export type BillableItem =
    | {
          readonly kind: "cacheNodes";
          readonly resource: string;
          readonly nodeType: string;
          readonly engine: string;
          readonly count: number;
      }
    | { readonly kind: "instance"; readonly resource: string; readonly instanceType: string }
    | {
          readonly kind: "volume";
          readonly resource: string;
          readonly volumeType: string;
          readonly gib: number;
          readonly sizeAssumed: boolean;
      }
    | {
          readonly kind: "interfaceEndpoint";
          readonly resource: string;
          readonly service: string;
          readonly zones: number;
      }
    | { readonly kind: "instanceConnectEndpoint"; readonly resource: string }
    | { readonly kind: "alarms"; readonly resource: string; readonly count: number }
    /** Alarms on a Metrics Insights query over the group's nodes: each analyses one metric per node. */
    | { readonly kind: "queryAlarms"; readonly resource: string; readonly count: number; readonly metricsEach: number }
    | { readonly kind: "dashboard"; readonly resource: string }
    | { readonly kind: "kmsKey"; readonly resource: string; readonly rotation: boolean }
    | { readonly kind: "usageBased"; readonly resource: string; readonly what: string };

/** What the resources bill for, and what the estimate leaves out. */
export interface BillableInventory {
    readonly items: readonly BillableItem[];
    /** Short type names of the resources with no charge of their own (security groups, IAM, subnet group, VPC...). */
    readonly free: readonly string[];
    /** Charges the estimate cannot size (backups, data processed, a NAT gateway it does not price). */
    readonly notes: readonly string[];
    /** Resource types the estimate does not know: the total is incomplete while any exist. */
    readonly unknownTypes: readonly string[];
}

/** Where the SNS figures in the note come from; per use, so they are named, not priced. */
const SNS_PRICING = "Amazon SNS pricing, aws.amazon.com/sns/pricing";

/** Resource types that have no charge of their own. */
const FREE_TYPES = new Set([
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/instanceProfile:InstanceProfile",
    "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:elasticache/user:User",
    "aws:elasticache/userGroup:UserGroup",
    "random:index/randomPassword:RandomPassword",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sns/topicSubscription:TopicSubscription",
    // "There is no additional charge for Application Auto Scaling": the nodes it adds are priced at the maximum shape.
    "aws:appautoscaling/target:Target",
    "aws:appautoscaling/policy:Policy",
]);

/** Lists what each registered cloud resource bills for. Components bill nothing themselves. */
export function billableInventory(resources: readonly RecordedResource[]): BillableInventory {
    const items: BillableItem[] = [];
    const free: string[] = [];
    const notes: string[] = [];
    const unknownTypes = new Set<string>();
    let alarms = 0;
    let queryAlarms = 0;
    let nodes = 0;
    for (const resource of resources.filter((candidate) => candidate.custom || candidate.type === "awsx:ec2:Vpc")) {
        const inputs = resource.inputs;
        const shortType = resource.type.split(":").pop() ?? resource.type;
        switch (resource.type) {
            case "aws:elasticache/replicationGroup:ReplicationGroup": {
                const shards = Number(inputs.numNodeGroups);
                const replicas = Number(inputs.replicasPerNodeGroup);
                items.push({
                    kind: "cacheNodes",
                    resource: resource.name,
                    nodeType: String(inputs.nodeType),
                    engine: String(inputs.engine),
                    count: shards * (replicas + 1),
                });
                nodes += shards * (replicas + 1);
                if (Number(inputs.snapshotRetentionLimit ?? 0) > 0) {
                    notes.push(
                        `${resource.name}: backups (${inputs.snapshotRetentionLimit} days kept) bill per GiB-month of backup storage; not estimated`,
                    );
                }
                break;
            }
            case "aws:ec2/instance:Instance": {
                const root = inputs.rootBlockDevice ?? {};
                items.push({ kind: "instance", resource: resource.name, instanceType: String(inputs.instanceType) });
                items.push({
                    kind: "volume",
                    resource: resource.name,
                    volumeType: String(root.volumeType ?? "gp2"),
                    gib: Number(root.volumeSize ?? ASSUMED_ROOT_VOLUME_GIB),
                    sizeAssumed: root.volumeSize === undefined,
                });
                break;
            }
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                if (inputs.vpcEndpointType === "Interface") {
                    const service =
                        String(inputs.serviceName ?? "")
                            .split(".")
                            .pop() ?? "";
                    items.push({
                        kind: "interfaceEndpoint",
                        resource: resource.name,
                        service,
                        zones: (inputs.subnetIds ?? []).length,
                    });
                } else {
                    free.push(`${inputs.vpcEndpointType} ${shortType}`);
                }
                break;
            case "aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint":
                // Listed with its $0 price and source, so a comparison of access ways shows it rather than omits it.
                items.push({ kind: "instanceConnectEndpoint", resource: resource.name });
                break;
            case "aws:lambda/function:Function":
                items.push({ kind: "usageBased", resource: resource.name, what: "Lambda requests and GB-seconds" });
                break;
            case "aws:lambda/functionUrl:FunctionUrl":
                items.push({
                    kind: "usageBased",
                    resource: resource.name,
                    what: "Function URL (billed as Lambda requests)",
                });
                break;
            case "aws:cloudwatch/metricAlarm:MetricAlarm":
                // Counted here, priced as one line below: a line per alarm would bury the estimate.
                if (inputs.metricQueries !== undefined) queryAlarms += 1;
                else alarms += 1;
                if (Number(inputs.period ?? 60) < 60)
                    notes.push(
                        `${resource.name}: a high-resolution alarm bills more than a standard one; priced as standard`,
                    );
                break;
            case "aws:cloudwatch/dashboard:Dashboard":
                items.push({ kind: "dashboard", resource: resource.name });
                break;
            case "aws:kms/key:Key": {
                const rotation = inputs.enableKeyRotation === true;
                items.push({ kind: "kmsKey", resource: resource.name, rotation });
                notes.push(
                    `${resource.name}: KMS requests beyond the free tier's 20,000 a month` +
                        (rotation
                            ? ", and up to $1 a month per rotated key version (AWS's 2024 reduction of rotation charges: the cap not confirmed)"
                            : "") +
                        `; not estimated`,
                );
                break;
            }
            case "aws:sns/topic:Topic":
                items.push({
                    kind: "usageBased",
                    resource: resource.name,
                    what: "SNS publishes and e-mail deliveries",
                });
                notes.push(
                    `${resource.name}: SNS beyond its free tier, $0.50 per million publishes and $2.00 per 100,000 e-mails (unconfirmed; ${SNS_PRICING})`,
                );
                break;
            case "aws:cloudwatch/logGroup:LogGroup":
                items.push({
                    kind: "usageBased",
                    resource: resource.name,
                    what: "CloudWatch Logs ingestion and storage",
                });
                break;
            case "awsx:ec2:Vpc":
                free.push("Vpc (VPC, subnets, route tables, internet gateway)");
                if ((inputs.natGateways?.strategy ?? "") !== "None") {
                    notes.push(
                        `${resource.name}: NAT gateways (strategy ${inputs.natGateways?.strategy ?? "default"}) bill hourly; not estimated`,
                    );
                }
                break;
            default:
                if (FREE_TYPES.has(resource.type)) free.push(shortType);
                else unknownTypes.add(resource.type);
        }
    }
    if (alarms > 0) items.push({ kind: "alarms", resource: `${alarms} MetricAlarm`, count: alarms });
    if (queryAlarms > 0) {
        items.push({
            kind: "queryAlarms",
            resource: `${queryAlarms} MetricAlarm (Metrics Insights)`,
            count: queryAlarms,
            metricsEach: nodes,
        });
        notes.push(
            `${queryAlarms} Metrics Insights alarms count against the account's default quota of 200 such alarms per region`,
        );
    }
    return { items, free, notes, unknownTypes: [...unknownTypes].sort() };
}

/**
 * The same inventory at another shape of the cluster (the scaler's maximum): the nodes and what the node alarms
 * analyse follow; the number of resources does not.
 */
export function atShape(inventory: BillableInventory, shards: number, replicasPerShard: number): BillableInventory {
    const nodes = shards * (replicasPerShard + 1);
    return {
        ...inventory,
        items: inventory.items.map((item) =>
            item.kind === "cacheNodes"
                ? { ...item, count: nodes }
                : item.kind === "queryAlarms"
                  ? { ...item, metricsEach: nodes }
                  : item,
        ),
    };
}

/**
 * The stack priced at the scaler's largest shape (`maxNumNodeGroups`, `maxReplicaCount`): what the program registers is
 * the minimum, and the scaler may grow it up to this without another `up`. Without auto scaling, the shape as set.
 */
export function estimateAtMaximum(
    inventory: BillableInventory,
    settings: Parameters<typeof autoScalingOf>[0],
    region: string,
): { shards: number; replicasPerShard: number; estimate: CostEstimate } {
    const largest = maximumShape(settings, autoScalingOf(settings));
    return { ...largest, estimate: estimateCost(atShape(inventory, largest.shards, largest.replicasPerShard), region) };
}

/** The same inventory with every cache node on `engine`: the same shape priced on the other engine. */
export function withEngine(inventory: BillableInventory, engine: Engine): BillableInventory {
    return {
        ...inventory,
        items: inventory.items.map((item) => (item.kind === "cacheNodes" ? { ...item, engine } : item)),
    };
}

/** One line of the estimate. */
export interface CostLine {
    readonly resource: string;
    readonly what: string;
    /** How much of the unit a month holds, e.g. "1460 node-h". */
    readonly quantity: string;
    readonly price?: Price;
    /** Undefined when usage-based (~0) or when the price is missing. */
    readonly monthlyUsd?: number;
    /** Why there is no figure: a missing price. */
    readonly missing?: string;
}

export interface CostEstimate {
    readonly region: string;
    /** The region's name on the pricing pages; undefined when the table does not cover the region. */
    readonly regionName?: string;
    readonly lines: readonly CostLine[];
    /** Sum of the priced lines, USD per month. */
    readonly totalUsd: number;
    /** Every line priced and every resource type known: the total is not an underestimate by omission. */
    readonly complete: boolean;
    /** Lines priced from figures not confirmed on the table's date. */
    readonly unconfirmedLines: number;
    readonly inventory: BillableInventory;
}

/** Prices `inventory` with the table's figures for `region`. */
export function estimateCost(inventory: BillableInventory, region: string): CostEstimate {
    const prices = REGION_PRICES[region];
    const known = Object.keys(REGION_PRICES).join(", ");
    // Usage-based items last: the lines that make the total come first.
    const items = [
        ...inventory.items.filter((item) => item.kind !== "usageBased"),
        ...inventory.items.filter((item) => item.kind === "usageBased"),
    ];
    const lines = items.map((item): CostLine => {
        const priced = (
            what: string,
            amount: number,
            unit: string,
            price: Price | undefined,
            missing: string,
        ): CostLine => {
            const quantity = `${round(amount)} ${unit}`;
            if (!prices)
                return {
                    resource: item.resource,
                    what,
                    quantity,
                    missing: `no prices for region ${region} in the table (it has ${known})`,
                };
            if (!price)
                return {
                    resource: item.resource,
                    what,
                    quantity,
                    missing: `no price for ${missing} in ${region} in the table`,
                };
            return { resource: item.resource, what, quantity, price, monthlyUsd: amount * price.usd };
        };
        switch (item.kind) {
            case "cacheNodes": {
                const engine = (ENGINES as readonly string[]).includes(item.engine)
                    ? (item.engine as Engine)
                    : undefined;
                const price = engine ? prices?.cacheNodeHour[engine][item.nodeType] : undefined;
                const what = `${item.count} × ${item.nodeType} node (${item.engine})`;
                return priced(what, item.count * HOURS_PER_MONTH, "node-h", price, `${item.nodeType} (${item.engine})`);
            }
            case "instance":
                return priced(
                    `${item.instanceType} instance`,
                    HOURS_PER_MONTH,
                    "h",
                    prices?.instanceHour[item.instanceType],
                    item.instanceType,
                );
            case "volume": {
                const size = item.sizeAssumed ? `${item.gib} GiB (AMI default, assumed)` : `${item.gib} GiB`;
                return priced(
                    `${size} ${item.volumeType} root volume`,
                    item.gib,
                    "GB-month",
                    prices?.volumeGbMonth[item.volumeType],
                    `${item.volumeType} volumes`,
                );
            }
            case "interfaceEndpoint":
                return priced(
                    `interface endpoint ${item.service}, ${item.zones} AZ`,
                    item.zones * HOURS_PER_MONTH,
                    "AZ-h",
                    prices?.interfaceEndpointAzHour,
                    "interface endpoints",
                );
            case "instanceConnectEndpoint":
                return priced(
                    "EC2 Instance Connect Endpoint",
                    HOURS_PER_MONTH,
                    "h",
                    INSTANCE_CONNECT_ENDPOINT_HOUR,
                    "Instance Connect Endpoints",
                );
            case "alarms":
                return priced(
                    `${item.count} × standard-resolution metric alarm`,
                    item.count,
                    "alarm-months",
                    prices?.alarmMonth,
                    "CloudWatch alarms",
                );
            case "queryAlarms":
                return priced(
                    `${item.count} × Metrics Insights alarm over ${item.metricsEach} nodes`,
                    item.count * item.metricsEach,
                    "metric-months",
                    prices?.queryAlarmMetricMonth,
                    "Metrics Insights alarms",
                );
            case "dashboard":
                return priced(
                    "CloudWatch dashboard",
                    1,
                    "dashboard-month",
                    prices?.dashboardMonth,
                    "CloudWatch dashboards",
                );
            case "kmsKey":
                return priced(
                    `KMS key${item.rotation ? ", rotated yearly" : ""}`,
                    1,
                    "key-month",
                    prices?.kmsKeyMonth,
                    "KMS keys",
                );
            case "usageBased":
                return { resource: item.resource, what: `${item.what}: usage-based, assumed ~0`, quantity: "~0" };
        }
    });
    const missing = lines.some((line) => line.missing !== undefined);
    return {
        region,
        regionName: prices?.name,
        lines,
        totalUsd: lines.reduce((sum, line) => sum + (line.monthlyUsd ?? 0), 0),
        complete: !missing && inventory.unknownTypes.length === 0,
        unconfirmedLines: lines.filter((line) => line.price && !line.price.confirmed).length,
        inventory,
    };
}

function round(value: number): number {
    return Math.round(value * 100) / 100;
}
