/**
 * What a stack would cost another way, beside what it costs: each access way to the client host (`clientAccess`) and
 * the same shape on the other engine (redis ↔ valkey), each with what it saves in dollars per month and why.
 */
import type { ClientAccess, Engine } from "../../config/catalog";
import { CostEstimate, CostLine } from "./costEstimate";
import { breakdown, footnote, totalCaveat, usd } from "./costReport";

/** One way the stack could be configured, priced. */
export interface Alternative {
    /** The settings that differ from the stack's, as `pulumi config set` would write them. */
    readonly settings: string;
    readonly estimate: CostEstimate;
}

/** The priced alternatives of one stack. */
export interface Alternatives {
    readonly stack: string;
    /** The stack as configured. */
    readonly estimate: CostEstimate;
    /** The stack's engine and, when it has a client host, its access way. */
    readonly engine: Engine;
    readonly clientAccess?: ClientAccess;
    /** Each access way with a client host (for a stack without one: what adding one would cost). */
    readonly accessWays: Readonly<Record<ClientAccess, CostEstimate>>;
    /** The same shape on the other engine. */
    readonly otherEngine: Alternative;
}

/** "saves $4.67 per month" or "costs $21.90 more per month" or "the same". */
export function saving(from: number, to: number): string {
    const difference = Math.round((from - to) * 100) / 100;
    if (difference === 0) return "costs the same";
    return difference > 0 ? `saves ${usd(difference)} per month` : `costs ${usd(-difference)} more per month`;
}

/** What `to` bills that `from` does not, and the reverse, in one phrase. */
function difference(from: CostEstimate, to: CostEstimate): string {
    const key = (line: CostLine) => `${line.resource}|${line.what}`;
    const priced = (estimate: CostEstimate) => estimate.lines.filter((line) => line.monthlyUsd !== undefined);
    const added = priced(to).filter((line) => !priced(from).some((other) => key(other) === key(line)));
    const dropped = priced(from).filter((line) => !priced(to).some((other) => key(other) === key(line)));
    return [
        ...(added.length > 0 ? [`with ${breakdown(added)}`] : []),
        ...(dropped.length > 0 ? [`without ${breakdown(dropped)}`] : []),
    ].join("; ");
}

/** The unit prices the alternatives use and the stack's estimate does not, each with its source and check date. */
function pricesAdded(estimate: CostEstimate, others: readonly CostEstimate[]): string[] {
    const own = new Set(
        estimate.lines.flatMap((line) => (line.price ? [`${line.price.usd} ${footnote(line.price)}`] : [])),
    );
    const added = new Map<string, string>();
    for (const line of others.flatMap((other) => other.lines)) {
        if (!line.price || line.monthlyUsd === undefined) continue;
        const key = `${line.price.usd} ${footnote(line.price)}`;
        if (own.has(key) || added.has(key)) continue;
        const unit = line.quantity.replace(/^[\d.]+ /, "");
        added.set(
            key,
            `$${+line.price.usd.toFixed(5)} per ${unit}, ${line.what}${line.price.confirmed ? "" : " (unconfirmed)"} — ${footnote(line.price)}`,
        );
    }
    return [...added.values()].map((text) => `  price used above: ${text}`);
}

/** The alternatives block `npm run plan` prints after the stack's own estimate. */
export function renderAlternatives(alternatives: Alternatives): string[] {
    const { estimate, accessWays, otherEngine } = alternatives;
    const rows: [string, CostEstimate, string][] = [];
    for (const [way, wayEstimate] of Object.entries(accessWays) as [ClientAccess, CostEstimate][]) {
        const settings = alternatives.clientAccess ? `clientAccess: ${way}` : `clientHost: true, clientAccess: ${way}`;
        const own = way === alternatives.clientAccess;
        rows.push([
            settings,
            wayEstimate,
            own
                ? "the stack as configured"
                : `${saving(estimate.totalUsd, wayEstimate.totalUsd)}, ${difference(estimate, wayEstimate)}`,
        ]);
    }
    rows.push([
        `${otherEngine.settings} (same shape)`,
        otherEngine.estimate,
        `${saving(estimate.totalUsd, otherEngine.estimate.totalUsd)}, ${difference(estimate, otherEngine.estimate)}`,
    ]);
    const width = Math.max(...rows.map(([settings]) => settings.length));
    const lines = [
        `Alternatives for stack ${alternatives.stack}, same region and prices (what each saves against the stack's ${usd(estimate.totalUsd)} per month):`,
        ...rows.map(
            ([settings, priced, note]) =>
                `  ${settings.padEnd(width)}  ${usd(priced.totalUsd)} per month${totalCaveat(priced)} — ${note}`,
        ),
    ];
    lines.push(
        ...pricesAdded(
            estimate,
            rows.map(([, priced]) => priced),
        ),
    );
    const [ssm, instanceConnect] = [accessWays.ssm.totalUsd, accessWays["instance-connect"].totalUsd];
    lines.push(
        `  Between the access ways: instance-connect ${saving(ssm, instanceConnect)} against ssm` +
            (alternatives.clientAccess ? "." : " (for a client host this stack does not have)."),
    );
    return lines;
}
