/**
 * README's monthly cost of each shipped stack, generated from the estimate `npm run plan` prints (the real program
 * evaluated under mocks, priced from `twin/plan/prices.ts`), so the front page's figure cannot drift from the plan.
 * `npm run docs` writes it between its markers; `npm run docs -- --check` and a unit test fail when it differs.
 */
import * as fs from "fs";
import { evaluateProgramOnce } from "../program/evaluationCache";
import { loadStack } from "../program/stackSettings";
import { billableInventory, CostEstimate, estimateAtMaximum, estimateCost } from "../plan/costEstimate";
import { totalCaveat } from "../plan/costReport";
import { withGeneratedSection } from "./generatedSection";
import { README } from "./readmeTables";

/** The stacks the repository ships, in the order the front page shows them. */
export const COST_STACKS = ["dev", "prod"] as const;

/** The auto scaling example the front page prices: prod's shards scaled up to this many by AWS. */
export const SCALING_EXAMPLE = { stack: "prod", config: { maxNumNodeGroups: "5" } } as const;

export const COST_MARKERS = {
    begin: "<!-- BEGIN GENERATED monthly cost: npm run docs (from npm run plan's estimate) -->",
    end: "<!-- END GENERATED monthly cost -->",
};

export interface StackCost {
    readonly stack: string;
    /** What the stack runs, in the words a reader compares stacks by. */
    readonly shape: string;
    readonly estimate: CostEstimate;
    /** With auto scaling: the same stack at the scaler's maximum shape (the estimate is its minimum). */
    readonly maximum?: { readonly shape: string; readonly estimate: CostEstimate };
    /** How the stack's own configuration was changed for the row, as `key: value`. */
    readonly overrides?: string;
}

/** Evaluates each stack as shipped (no overrides) and prices it for the stack's own region. */
export async function stackCosts(stacks: readonly string[] = COST_STACKS): Promise<StackCost[]> {
    const costs: StackCost[] = [];
    for (const stack of stacks) {
        const { settings, region } = loadStack(stack);
        const run = await evaluateProgramOnce({ stack });
        costs.push({
            stack,
            shape:
                `${shapeText(settings.numNodeGroups, settings.replicaCount)}, ` +
                `${settings.nodeType}${settings.clientHost ? ", client host" : ""}`,
            estimate: estimateCost(billableInventory(run.resources), region),
        });
    }
    return costs;
}

/**
 * The auto scaling example (SCALING_EXAMPLE): what the program registers, its minimum, and the same at the scaler's
 * maximum, priced as `npm run plan` prices both.
 */
export async function scalingCost(): Promise<StackCost> {
    const { stack, config } = SCALING_EXAMPLE;
    const { settings, region } = loadStack(stack, config);
    const inventory = billableInventory((await evaluateProgramOnce({ stack, config })).resources);
    const largest = estimateAtMaximum(inventory, settings, region);
    return {
        stack,
        shape: `${shapeText(settings.numNodeGroups, settings.replicaCount)}, ${settings.nodeType}`,
        estimate: estimateCost(inventory, region),
        maximum: { shape: shapeText(largest.shards, largest.replicasPerShard), estimate: largest.estimate },
        overrides: Object.entries(config)
            .map(([key, value]) => `${key}: ${value}`)
            .join(", "),
    };
}

/** "3 shards × 2 replicas". */
function shapeText(shards: number, replicasPerShard: number): string {
    return `${counted(shards, "shard")} × ${counted(replicasPerShard, "replica")}`;
}

function counted(count: number, noun: string): string {
    return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** "$1,446.63": dollars with thousands separated, as a reader scans a price (the plan's own `usd` has none). */
export function dollars(amount: number): string {
    const [whole, cents] = amount.toFixed(2).split(".");
    return `$${whole.replace(/\B(?=(\d{3})+$)/g, ",")}.${cents}`;
}

/** One row per stack: its shape, region and monthly total, with the plan's caveat when the total is not firm. */
export function renderCostSection(costs: readonly StackCost[]): string[] {
    return [
        "| Stack | Shape | Region | Per month, on-demand |",
        "|---|---|---|---|",
        ...costs.map(({ stack, shape, estimate, maximum, overrides }) =>
            maximum === undefined
                ? `| \`${stack}\` | ${shape} | ${estimate.region} | **${dollars(estimate.totalUsd)}**${totalCaveat(estimate)} |`
                : `| \`${stack}\` with \`${overrides}\` | ${shape} up to ${maximum.shape} | ${estimate.region} | ` +
                  `**${dollars(estimate.totalUsd)}** to **${dollars(maximum.estimate.totalUsd)}**${totalCaveat(maximum.estimate)} |`,
        ),
    ];
}

export function withCostSection(readme: string, section: readonly string[]): string {
    return withGeneratedSection(readme, COST_MARKERS, section, "README.md (monthly cost)");
}

/** Whether README.md's cost section equals `section`. */
export function isCostSectionCurrent(section: readonly string[], file: string = README): boolean {
    const current = fs.readFileSync(file, "utf8");
    return withCostSection(current, section) === current;
}

/** Writes `section` into README.md; returns whether the file changed. */
export function writeCostSection(section: readonly string[], file: string = README): boolean {
    const current = fs.readFileSync(file, "utf8");
    const next = withCostSection(current, section);
    if (next === current) return false;
    fs.writeFileSync(file, next);
    return true;
}
