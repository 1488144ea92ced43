/**
 * `npm run plan [-- --stack prod] [-- --config key=value]`: previews a stack offline. Evaluates the real program under
 * mocks with the stack's configuration, prints the resource tree and counts, estimates the monthly cost from the price
 * table in scripts/lib/prices.ts (compared with the seed and with `clientHost` flipped), and writes
 * docs/architecture.md for the default stack. No cloud, no Pulumi CLI. Exits 1 with the program's own message when
 * the configuration is invalid.
 */
import * as path from "path";
import { ARCHITECTURE_DOC, DIAGRAM_STACK, isArchitectureDocCurrent, renderArchitectureDoc, writeArchitectureDoc } from "./lib/architectureDoc";
import { parseCommandLine, UsageError } from "./lib/commandLine";
import { billableInventory, estimateCost } from "./lib/costEstimate";
import { renderComparison, renderEstimate, renderMonitoringShare } from "./lib/costReport";
import { renderMermaid } from "./lib/mermaid";
import type { ProgramGraph } from "./lib/programGraph";
import { renderCounts, renderTree } from "./lib/resourceTree";
import { SEED_DESCRIPTION, SEED_INVENTORY } from "./lib/seedShape";
import { loadStack, StackConfigurationError } from "./lib/stackSettings";

const USAGE = `Usage: npm run plan [-- --stack <name>] [-- --config <key>=<value> ...] [-- --check]
  --stack    the stack to preview (Pulumi.<name>.yaml); default dev
  --config   override a project setting, as \`pulumi config set\` would (e.g. --config nodeType=cache.m7g.large)
  --check    do not write docs/architecture.md; exit 1 if it differs from the generated one (for CI)`;

async function main(): Promise<number> {
    const args = parseCommandLine(process.argv.slice(2), ["check"]);
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    const stack = loadStack(args.stack, args.config);
    for (const warning of stack.warnings) console.log(`warning: ${warning}`);

    // Loaded only once the configuration is valid: a refusal then answers without loading Pulumi (seconds).
    const { evaluateGraph } = await import("./lib/programGraph");
    const graph: ProgramGraph = await evaluateGraph({ stack: stack.stack, config: stack.overrides });
    const overridden = Object.keys(stack.overrides).length > 0;
    console.log(
        `Plan for stack ${stack.stack} in ${stack.region}${overridden ? ` with ${Object.entries(stack.overrides).map(([k, v]) => `${k}=${v}`).join(", ")}` : ""}` +
            " — the real program evaluated offline under mocks; nothing is deployed.",
    );
    console.log("");
    console.log("Resources (component → children: type, name, the settings that matter):");
    for (const line of renderTree(graph)) console.log(line);
    console.log("");
    console.log("Resources per type:");
    for (const line of renderCounts(graph)) console.log(line);

    const estimate = estimateCost(billableInventory(graph.resources), stack.region);
    const flippedGraph = await evaluateGraph({
        stack: stack.stack,
        config: { ...stack.overrides, clientHost: String(!stack.settings.clientHost) },
    });
    const flipped = estimateCost(billableInventory(flippedGraph.resources), stack.region);
    const seed = estimateCost(SEED_INVENTORY, stack.region);
    console.log("");
    for (const line of renderEstimate(estimate, `Monthly cost of stack ${stack.stack}`)) console.log(line);
    for (const line of renderMonitoringShare(estimate)) console.log(line);
    console.log("");
    for (const line of renderComparison({ stack: stack.stack, estimate, seed, seedDescription: SEED_DESCRIPTION, clientHost: stack.settings.clientHost, flipped })) {
        console.log(line);
    }

    console.log("");
    if (stack.stack === DIAGRAM_STACK && !overridden) {
        const content = renderArchitectureDoc(graph, stack.stack);
        if (args.check) {
            const upToDate = isArchitectureDocCurrent(content);
            console.log(`${path.relative(process.cwd(), ARCHITECTURE_DOC)}: ${upToDate ? "up to date" : "OUT OF DATE: run npm run plan to regenerate it"}.`);
            return upToDate ? 0 : 1;
        }
        const changed = writeArchitectureDoc(content);
        console.log(`${path.relative(process.cwd(), ARCHITECTURE_DOC)}: ${changed ? "written" : "up to date"} (Mermaid diagram of stack ${stack.stack}).`);
    } else {
        console.log(`Diagram of this plan (docs/architecture.md keeps stack ${DIAGRAM_STACK}'s, without overrides, and is not changed):`);
        console.log("```mermaid");
        for (const line of renderMermaid(graph)) console.log(line);
        console.log("```");
    }
    return 0;
}

main().then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
        if (error instanceof StackConfigurationError || error instanceof UsageError) {
            console.error(error.message);
            if (error instanceof UsageError) console.error(USAGE);
        } else {
            console.error(`npm run plan failed: ${(error as Error).stack ?? String(error)}`);
        }
        process.exitCode = 1;
    },
);
