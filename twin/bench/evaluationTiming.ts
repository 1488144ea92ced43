/**
 * What one evaluation of the real program costs, as tests, `npm run plan` and the safe-change guide pay it: the first
 * in a process (cold: Pulumi, `@pulumi/aws` and the TypeScript loader loaded, every program module transpiled) and the
 * ones after it (warm: packages loaded, the program's modules run afresh from their cached JavaScript).
 */
import { performance } from "perf_hooks";
import { LatencySummary, summarize } from "./stats";

export interface EvaluationTiming {
    readonly stack: string;
    /** Loading `@pulumi/pulumi` and `@pulumi/aws` once, before the first evaluation. */
    readonly packagesMs: number;
    /** The first evaluation in the process, packages already loaded. */
    readonly coldMs: number;
    /** Fresh evaluations after the first (never served from the evaluation cache). */
    readonly warm: LatencySummary;
    /** Resources the stack registers, to tell the timings apart from an empty run. */
    readonly resources: number;
}

/** Must run in a process that has not evaluated the program yet, or `coldMs` is a warm figure. */
export async function timeEvaluations(stack: string, warmRuns: number): Promise<EvaluationTiming> {
    const loading = performance.now();
    require("@pulumi/pulumi");
    require("@pulumi/aws");
    const packagesMs = performance.now() - loading;
    // Loaded here, not at the top: its imports are part of what is measured.
    const { evaluateProgram } = require("../program/evaluateProgram") as typeof import("../program/evaluateProgram");
    const cold = performance.now();
    const first = await evaluateProgram({ stack });
    const coldMs = performance.now() - cold;
    const samples: number[] = [];
    for (let run = 0; run < warmRuns; run++) {
        const start = performance.now();
        await evaluateProgram({ stack });
        samples.push(performance.now() - start);
    }
    return {
        stack,
        packagesMs: Math.round(packagesMs),
        coldMs: Math.round(coldMs),
        warm: summarize(samples),
        resources: first.resources.length,
    };
}
