/**
 * Every node type ElastiCache offers in a region (config/nodeTypes.ts) with its node-hour price where the price table
 * (prices.ts) has one, and the monthly cost of the stack's node count on it; the types without a price are named.
 */
import type { Engine } from "../../config/catalog";
import { NODE_TYPES_CHECKED, offeredNodeTypes } from "../../config/nodeTypes";
import { HOURS_PER_MONTH, REGION_PRICES } from "./prices";

export interface NodeTypePricing {
    readonly priced: readonly { nodeType: string; usdPerHour: number; confirmed: boolean }[];
    readonly unpriced: readonly string[];
}

export function priceOfferedNodeTypes(region: string, engine: Engine): NodeTypePricing {
    const prices = REGION_PRICES[region]?.cacheNodeHour[engine] ?? {};
    const priced = [];
    const unpriced = [];
    for (const nodeType of offeredNodeTypes(region)) {
        const price = prices[nodeType];
        if (price) priced.push({ nodeType, usdPerHour: price.usd, confirmed: price.confirmed });
        else unpriced.push(nodeType);
    }
    return { priced, unpriced };
}

/** The plan's section: one line per priced type, then the unpriced ones in one list. */
export function renderNodeTypePrices(region: string, engine: Engine, nodes: number, current: string): string[] {
    const { priced, unpriced } = priceOfferedNodeTypes(region, engine);
    const lines = [
        `Node types ElastiCache offers in ${region} (${priced.length + unpriced.length}, list checked ${NODE_TYPES_CHECKED}), ` +
            `${engine}, ${nodes} node(s) × ${HOURS_PER_MONTH} h:`,
    ];
    for (const type of priced) {
        const monthly = (type.usdPerHour * nodes * HOURS_PER_MONTH).toFixed(2);
        lines.push(
            `  ${type.nodeType.padEnd(20)} $${type.usdPerHour}/node-h → $${monthly}/month` +
                `${type.confirmed ? "" : " (unconfirmed price)"}${type.nodeType === current ? "  ← this stack" : ""}`,
        );
    }
    lines.push(`  unpriced (no figure in twin/plan/prices.ts): ${unpriced.length > 0 ? unpriced.join(", ") : "none"}`);
    return lines;
}
