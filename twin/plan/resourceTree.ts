/** Prints the evaluated program as a tree (component → children) and counts its resources by type. */
import { childrenOf, GraphResource, ProgramGraph, topLevel } from "./programGraph";
import { describeSettings } from "./resourceSettings";

/** The tree, one resource per line: type, name and the settings that matter. */
export function renderTree(graph: ProgramGraph): string[] {
    const lines: string[] = [];
    const visit = (resource: GraphResource, prefix: string, branch: string): void => {
        const settings = describeSettings(resource);
        lines.push(`${prefix}${branch}${resource.type}  ${resource.name}${settings ? `  — ${settings}` : ""}`);
        const children = childrenOf(graph, resource);
        const childPrefix = prefix + (branch === "" ? "" : branch === "└─ " ? "   " : "│  ");
        children.forEach((child, index) => visit(child, childPrefix, index === children.length - 1 ? "└─ " : "├─ "));
    };
    for (const root of topLevel(graph)) visit(root, "", "");
    return lines;
}

/** Number of resources of each type, sorted by type, then the totals. */
export function renderCounts(graph: ProgramGraph): string[] {
    const counts = new Map<string, number>();
    for (const resource of graph.resources) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
    const types = [...counts.keys()].sort();
    const components = graph.resources.filter((resource) => !resource.custom);
    const remote = components.some((resource) => resource.type === "awsx:ec2:Vpc")
        ? " (awsx:ec2:Vpc is one: in the cloud it creates the VPC, one isolated subnet and route table per AZ, and an unused internet gateway)"
        : "";
    return [
        ...types.map((type) => `  ${String(counts.get(type)).padStart(3)}  ${type}`),
        `  ${String(graph.resources.length).padStart(3)}  in total: ${graph.resources.length - components.length} cloud resources and ${components.length} components${remote}`,
    ];
}
