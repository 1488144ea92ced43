/** Renders cost estimates as the plain-text tables `npm run plan` prints. */
import { CostEstimate, CostLine } from "./costEstimate";
import { Price, REGION_PRICES } from "./prices";

export function usd(amount: number): string {
    return `$${amount.toFixed(2)}`;
}

/** A footnote: the page a price comes from and the date it was checked there. */
export function footnote(price: Price): string {
    return `${price.source}, checked ${price.checked}${price.derivation ? ` (derived: ${price.derivation})` : ""}`;
}

function unitPrice(line: CostLine, footnotes: string[]): string {
    if (!line.price) return "";
    const index = footnotes.indexOf(footnote(line.price)) + 1;
    return `× $${+line.price.usd.toFixed(5)} [${index}]${line.price.confirmed ? "" : " (unconfirmed)"}`;
}

/** The estimate of one stack: a line per billable resource, the total, what is left out, and each price's source. */
export function renderEstimate(estimate: CostEstimate, title: string): string[] {
    const sources = [...new Set(estimate.lines.flatMap((line) => (line.price ? [footnote(line.price)] : [])))];
    const rows = estimate.lines.map((line) => [
        line.resource,
        line.what,
        line.missing
            ? `${line.quantity} × ?`
            : line.monthlyUsd === undefined
              ? ""
              : `${line.quantity} ${unitPrice(line, sources)}`,
        line.missing ? `no price: ${line.missing}` : line.monthlyUsd === undefined ? "~$0" : usd(line.monthlyUsd),
    ]);
    const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column].length)));
    const region = estimate.regionName
        ? `${estimate.region}, ${estimate.regionName}`
        : `${estimate.region} (not in the price table)`;
    const lines = [
        `${title} — ESTIMATE, on-demand list prices in USD, ${region}; each price's source and check date below`,
        ...rows.map(
            (row) =>
                `  ${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2].padEnd(widths[2])}  ${row[3]}`,
        ),
    ];
    const free = estimate.inventory.free;
    if (free.length > 0) lines.push(`  no charge of their own: ${free.length} more (${countEach(free)})`);
    for (const type of estimate.inventory.unknownTypes)
        lines.push(`  not priced: resources of type ${type} (unknown to the estimate)`);
    lines.push(`  Total: ${usd(estimate.totalUsd)} per month${totalCaveat(estimate)}`);
    const endpointData = REGION_PRICES[estimate.region]?.interfaceEndpointGb;
    const leftOut = [
        ...(estimate.lines.some((line) => line.what.startsWith("interface endpoint")) && endpointData
            ? [`data processed by the interface endpoints ($${endpointData.usd}/GB)`]
            : []),
        "data transfer between AZs",
        "free tier",
    ];
    lines.push(`  Not included: ${leftOut.join(", ")}.`);
    for (const note of estimate.inventory.notes) lines.push(`  Not included: ${note}.`);
    sources.forEach((source, index) => lines.push(`  [${index + 1}] ${source}`));
    return lines;
}

/**
 * What monitoring adds to the total (the alarms and the dashboard; SNS is usage-based), so `monitoring: false` can be
 * weighed; empty when the stack has none.
 */
export function renderMonitoringShare(estimate: CostEstimate): string[] {
    const lines = estimate.lines.filter((line) =>
        /metric alarm|Metrics Insights alarm|CloudWatch dashboard/.test(line.what),
    );
    if (lines.length === 0) return [];
    const total = lines.reduce((sum, line) => sum + (line.monthlyUsd ?? 0), 0);
    return [
        `  of which monitoring: ${usd(total)} per month = ${breakdown(lines)} (monitoring: false removes them, and the topic)`,
    ];
}

/** "2 × Role, SubnetGroup" from ["Role", "SubnetGroup", "Role"], in first-seen order. */
function countEach(names: readonly string[]): string {
    const counts = new Map<string, number>();
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    return [...counts].map(([name, count]) => (count === 1 ? name : `${count} × ${name}`)).join(", ");
}

/** "$23.36 2 × cache.t4g.micro node, ..." — the priced lines in one line. */
export function breakdown(lines: readonly CostLine[]): string {
    return lines
        .flatMap((line) => (line.monthlyUsd === undefined ? [] : [`${line.what} ${usd(line.monthlyUsd)}`]))
        .join(", ");
}

export function totalCaveat(estimate: CostEstimate): string {
    const caveats = [
        ...(estimate.complete ? [] : ["INCOMPLETE: some resources have no price in the table, their cost is missing"]),
        ...(estimate.unconfirmedLines > 0 ? [`${estimate.unconfirmedLines} line(s) from unconfirmed prices`] : []),
    ];
    return caveats.length > 0 ? ` (${caveats.join("; ")})` : "";
}

/** How the stack compares with the tutorial, and what the `clientHost` switch is worth. */
export function renderComparison(options: {
    readonly stack: string;
    readonly estimate: CostEstimate;
    readonly tutorial: CostEstimate;
    readonly tutorialDescription: string;
    /** The stack's `clientHost` setting. */
    readonly clientHost: boolean;
    /** The same stack evaluated with `clientHost` flipped. */
    readonly flipped: CostEstimate;
}): string[] {
    const { estimate, tutorial, flipped } = options;
    const difference = estimate.totalUsd - tutorial.totalUsd;
    const hostCost = Math.abs(estimate.totalUsd - flipped.totalUsd);
    const withHost = options.clientHost ? estimate : flipped;
    const withoutHost = options.clientHost ? flipped : estimate;
    const removed = withHost.lines.filter(
        (line) =>
            line.monthlyUsd !== undefined &&
            !withoutHost.lines.some((other) => other.resource === line.resource && other.what === line.what),
    );
    const lines = [
        `Compared with the tutorial, same region and prices — ${options.tutorialDescription}:`,
        `  the tutorial:          ${usd(tutorial.totalUsd)} per month${totalCaveat(tutorial)} = ${breakdown(tutorial.lines)}`,
        `  stack ${options.stack}:`.padEnd(25) +
            `${usd(estimate.totalUsd)} per month (${difference >= 0 ? "+" : "-"}${usd(Math.abs(difference))} vs the tutorial)`,
    ];
    const what = `the client host and what only it needs: ${breakdown(removed)}`;
    if (options.clientHost) {
        lines.push(
            `  clientHost: false saves ${usd(hostCost)} per month (${usd(withoutHost.totalUsd)} instead): ${what}`,
        );
    } else {
        lines.push(
            `  clientHost: false already saves ${usd(hostCost)} per month; clientHost: true would cost ${usd(withHost.totalUsd)} (${what})`,
        );
    }
    return lines;
}
