/**
 * The program's resource graph, evaluated offline: the real `index.ts` under the shared test mocks
 * (`twin/program/evaluateProgram.ts`), plus what each resource depends on, in a stable order so that printed trees and the
 * generated diagram do not change from one run to the next.
 */
import { EvaluateOptions, evaluateProgram, ProgramRun, RecordedResource } from "../program/evaluateProgram";

/** A registered resource with its place in the graph. */
export interface GraphResource extends RecordedResource {
    /** `type::name`, unique in a stack (Pulumi requires it). */
    readonly key: string;
    /** The parent component's key; undefined for top-level resources. */
    readonly parentKey?: string;
    /** Keys of the resources whose outputs this one's inputs use (or that it `dependsOn`), sorted. */
    readonly dependsOn: readonly string[];
}

export interface ProgramGraph {
    /** Components first (in the order index.ts creates them), each followed by its children sorted by type and name. */
    readonly resources: readonly GraphResource[];
    /** The stack outputs, resolved. */
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** Evaluates the program with a stack's configuration and returns its resource graph. */
export async function evaluateGraph(options: EvaluateOptions): Promise<ProgramGraph> {
    return graphOf(await evaluateProgram(options));
}

/** The resource graph of a run the caller already has. */
export function graphOf(run: ProgramRun): ProgramGraph {
    const resources = run.resources.map((resource): GraphResource => ({
        ...resource,
        key: keyOf(resource.type, resource.name),
        parentKey: resource.parentUrn ? keyFromUrn(resource.parentUrn) : undefined,
        dependsOn: [...new Set(resource.dependencies.map(keyFromUrn))].sort(),
    }));
    return { resources: stableOrder(resources), outputs: run.outputs };
}

export function keyOf(type: string, name: string): string {
    return `${type}::${name}`;
}

/** The direct children of `parent`, in graph order. */
export function childrenOf(graph: ProgramGraph, parent: GraphResource): GraphResource[] {
    return graph.resources.filter((resource) => resource.parentKey === parent.key);
}

/** Top-level resources (the components, for this program), in the order index.ts creates them. */
export function topLevel(graph: ProgramGraph): GraphResource[] {
    return graph.resources.filter((resource) => resource.parentKey === undefined);
}

/** A URN ends `::<parent type>$<type>::<name>`; the key needs only the resource's own type and name. */
function keyFromUrn(urn: string): string {
    const parts = urn.split("::");
    const name = parts[parts.length - 1];
    const qualifiedType = parts[parts.length - 2];
    return keyOf(qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1), name);
}

/**
 * Top-level resources keep their registration order: index.ts constructs them synchronously, so that order is the
 * program's own. Children register when their inputs resolve, which can vary, so they are sorted.
 */
function stableOrder(resources: GraphResource[]): GraphResource[] {
    const ordered: GraphResource[] = [];
    const visit = (parentKey: string | undefined): void => {
        const level = resources.filter((resource) => resource.parentKey === parentKey);
        if (parentKey !== undefined) level.sort((a, b) => compare(a.type, b.type) || compare(a.name, b.name));
        for (const resource of level) {
            ordered.push(resource);
            visit(resource.key);
        }
    };
    visit(undefined);
    return ordered;
}

/** Code-point order: unlike `localeCompare`, the same on every machine. */
function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
