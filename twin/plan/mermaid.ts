/**
 * A Mermaid flowchart of the evaluated program: one subgraph per component holding the resources it creates, and an
 * arrow from each resource to every resource whose outputs it uses. Generated only from the graph, in the graph's
 * stable order, so the same program always gives the same text.
 */
import { childrenOf, GraphResource, ProgramGraph, topLevel } from "./programGraph";

export function renderMermaid(graph: ProgramGraph): string[] {
    const ids = nodeIds(graph.resources);
    const lines = ["flowchart LR"];
    const visit = (resource: GraphResource, indent: string): void => {
        const children = childrenOf(graph, resource);
        if (children.length === 0) {
            lines.push(`${indent}${ids.get(resource.key)}["${label(resource)}"]`);
            return;
        }
        lines.push(`${indent}subgraph ${ids.get(resource.key)}["${label(resource)}"]`);
        for (const child of children) visit(child, `${indent}    `);
        lines.push(`${indent}end`);
    };
    for (const root of topLevel(graph)) visit(root, "    ");
    for (const resource of graph.resources) {
        for (const dependency of resource.dependsOn) {
            // A child's dependency on its own component is already drawn as nesting.
            if (dependency === resource.parentKey || !ids.has(dependency)) continue;
            lines.push(`    ${ids.get(resource.key)} --> ${ids.get(dependency)}`);
        }
    }
    return lines;
}

/** `Type<br/>name`, with the short type name (the token's last part) and characters Mermaid would misread escaped. */
function label(resource: GraphResource): string {
    const shortType = resource.type.split(":").pop() ?? resource.type;
    return `${escape(shortType)}<br/>${escape(resource.name)}`;
}

function escape(text: string): string {
    return text.replace(/"/g, "#quot;").replace(/</g, "#lt;").replace(/>/g, "#gt;");
}

/** Readable, unique Mermaid ids: short type and name, with a counter only if two would collide. */
function nodeIds(resources: readonly GraphResource[]): Map<string, string> {
    const ids = new Map<string, string>();
    const taken = new Set<string>();
    for (const resource of resources) {
        const base = `${resource.type.split(":").pop()}_${resource.name}`.replace(/[^A-Za-z0-9_]/g, "_");
        let id = base;
        for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
        taken.add(id);
        ids.set(resource.key, id);
    }
    return ids;
}
