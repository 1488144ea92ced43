/**
 * `npm run plan [-- --stack prod] [-- --config key=value]`: previews a stack offline. Evaluates the real program under
 * mocks with the stack's configuration, prints the resource tree and counts, estimates the monthly cost from the price
 * table in twin/plan/prices.ts (compared with the tutorial, with `clientHost` flipped, with each `clientAccess` way and
 * with the same shape on the other engine), and writes
 * docs/architecture.md for the default stack. No cloud, no Pulumi CLI. Exits 1 with the program's own message when
 * the configuration is invalid.
 */
import * as path from "path";
import {
    ARCHITECTURE_DOC,
    DIAGRAM_STACK,
    isArchitectureDocCurrent,
    renderArchitectureDoc,
    writeArchitectureDoc,
} from "../twin/plan/architectureDoc";
import { CommandLine } from "../twin/cli/commandLine";
import { runScript } from "../twin/cli/runScript";
import { CLIENT_ACCESS_WAYS, ClientAccess, DEFAULT_CLIENT_ACCESS } from "../config/catalog";
import { renderAlternatives } from "../twin/plan/alternatives";
import {
    billableInventory,
    CostEstimate,
    estimateAtMaximum,
    estimateCost,
    withEngine,
} from "../twin/plan/costEstimate";
import { autoScalingOf } from "../config/autoScaling";
import { breakdown, renderComparison, renderEstimate, renderMonitoringShare, usd } from "../twin/plan/costReport";
import { renderMermaid } from "../twin/plan/mermaid";
import { renderNodeTypePrices } from "../twin/plan/nodeTypePrices";
import type { ProgramGraph } from "../twin/plan/programGraph";
import { renderConnectionBudget } from "../twin/plan/connectionBudget";
import { renderCounts, renderTree } from "../twin/plan/resourceTree";
import { TUTORIAL_DESCRIPTION, TUTORIAL_INVENTORY } from "../twin/plan/tutorialShape";
import { loadStack } from "../twin/program/stackSettings";

const USAGE = `Usage: npm run plan [-- --stack <name>] [-- --config <key>=<value> ...] [-- --check]
  --stack    the stack to preview (Pulumi.<name>.yaml); default dev
  --config   override a project setting, as \`pulumi config set\` would (e.g. --config nodeType=cache.m7g.large)
  --check    do not write docs/architecture.md; exit 1 if it differs from the generated one (for CI)`;

async function main(args: CommandLine): Promise<number> {
    const stack = loadStack(args.stack, args.config);
    for (const warning of stack.warnings) console.log(`warning: ${warning}`);

    // Loaded only once the configuration is valid: a refusal then answers without loading Pulumi (seconds).
    const { evaluateGraph } = await import("../twin/plan/programGraph");
    const graph: ProgramGraph = await evaluateGraph({ stack: stack.stack, config: stack.overrides });
    const overridden = Object.keys(stack.overrides).length > 0;
    console.log(
        `Plan for stack ${stack.stack} in ${stack.region}${
            overridden
                ? ` with ${Object.entries(stack.overrides)
                      .map(([k, v]) => `${k}=${v}`)
                      .join(", ")}`
                : ""
        }` + " — the real program evaluated offline under mocks; nothing is deployed.",
    );
    console.log("");
    console.log("Resources (component → children: type, name, the settings that matter):");
    for (const line of renderTree(graph)) console.log(line);
    console.log("");
    console.log("Resources per type:");
    for (const line of renderCounts(graph)) console.log(line);
    console.log("");
    for (const line of renderConnectionBudget(stack.settings.nodeType, stack.settings.functionConcurrency))
        console.log(line);

    const inventory = billableInventory(graph.resources);
    const estimate = estimateCost(inventory, stack.region);
    // The program evaluated again with some settings changed; each distinct configuration once.
    const evaluated = new Map<string, Promise<CostEstimate>>();
    const estimateWith = (changes: Record<string, string>): Promise<CostEstimate> => {
        const config = { ...stack.overrides, ...changes };
        const key = JSON.stringify(Object.entries(config).sort());
        if (!evaluated.has(key)) {
            evaluated.set(
                key,
                evaluateGraph({ stack: stack.stack, config }).then((run) =>
                    estimateCost(billableInventory(run.resources), stack.region),
                ),
            );
        }
        return evaluated.get(key)!;
    };
    // Without a host, clientAccess is unset too: a set value would only be ignored, with a warning.
    const flipped = await estimateWith(
        stack.settings.clientHost
            ? { clientHost: "false", clientAccess: "" }
            : { clientHost: "true", clientAccess: DEFAULT_CLIENT_ACCESS },
    );
    const access = {} as Record<ClientAccess, CostEstimate>;
    for (const way of CLIENT_ACCESS_WAYS) {
        access[way] =
            stack.settings.clientHost && way === stack.settings.clientAccess
                ? estimate
                : await estimateWith({ clientHost: "true", clientAccess: way });
    }
    const otherEngine = stack.settings.engine === "redis" ? "valkey" : "redis";
    const tutorial = estimateCost(TUTORIAL_INVENTORY, stack.region);
    console.log("");
    for (const line of renderEstimate(estimate, `Monthly cost of stack ${stack.stack}`)) console.log(line);
    for (const line of renderMonitoringShare(estimate)) console.log(line);
    if (autoScalingOf(stack.settings)) {
        const largest = estimateAtMaximum(inventory, stack.settings, stack.region);
        console.log(
            `  auto scaling: ${usd(estimate.totalUsd)} per month at the minimum (${stack.settings.numNodeGroups} × ${stack.settings.replicaCount}), ` +
                `up to ${usd(largest.estimate.totalUsd)} at the maximum (${largest.shards} × ${largest.replicasPerShard}) = ${breakdown(largest.estimate.lines)}`,
        );
    }
    console.log("");
    for (const line of renderComparison({
        stack: stack.stack,
        estimate,
        tutorial,
        tutorialDescription: TUTORIAL_DESCRIPTION,
        clientHost: stack.settings.clientHost,
        flipped,
    })) {
        console.log(line);
    }
    console.log("");
    const alternatives = renderAlternatives({
        stack: stack.stack,
        estimate,
        engine: stack.settings.engine,
        clientAccess: stack.settings.clientHost ? stack.settings.clientAccess : undefined,
        accessWays: access,
        otherEngine: {
            settings: `engine: ${otherEngine}`,
            estimate: estimateCost(withEngine(inventory, otherEngine), stack.region),
        },
    });
    for (const line of alternatives) console.log(line);
    console.log("");
    const nodes = stack.settings.numNodeGroups * (stack.settings.replicaCount + 1);
    for (const line of renderNodeTypePrices(stack.region, stack.settings.engine, nodes, stack.settings.nodeType))
        console.log(line);

    console.log("");
    if (stack.stack === DIAGRAM_STACK && !overridden) {
        const content = renderArchitectureDoc(graph, stack.stack);
        if (args.check) {
            const upToDate = isArchitectureDocCurrent(content);
            console.log(
                `${path.relative(process.cwd(), ARCHITECTURE_DOC)}: ${upToDate ? "up to date" : "OUT OF DATE: run npm run plan to regenerate it"}.`,
            );
            return upToDate ? 0 : 1;
        }
        const changed = writeArchitectureDoc(content);
        console.log(
            `${path.relative(process.cwd(), ARCHITECTURE_DOC)}: ${changed ? "written" : "up to date"} (Mermaid diagram of stack ${stack.stack}).`,
        );
    } else {
        console.log(
            `Diagram of this plan (docs/architecture.md keeps stack ${DIAGRAM_STACK}'s, without overrides, and is not changed):`,
        );
        console.log("```mermaid");
        for (const line of renderMermaid(graph)) console.log(line);
        console.log("```");
    }
    return 0;
}

runScript({ name: "npm run plan", usage: USAGE, options: ["stack", "config", "check"], main });
