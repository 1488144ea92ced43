/**
 * The plan half of a rehearsal: the stack loaded before and after the change through the program's own validation,
 * the program evaluated both ways, the safe-change model's verdict per resource, and the steps. Refuses, with one line
 * naming the key, what cannot be rehearsed: an unknown key, a value the program refuses, a change that changes
 * nothing, a key the local cluster cannot show, a change AWS would refuse, a replacement `protect` forbids.
 */
import { ConfigKey, isConfigKey } from "../../config/keys";
import { thresholdOf } from "../../config/alarms";
import type { StackSettings } from "../../config/settings";
import { functionEnvironment } from "../archive/lambdaArchive";
import { ProgramRedisUser, programRedisUsers } from "../cluster/redisUsers";
import type { ProgramGraph } from "../plan/programGraph";
import { assessChange, ChangeAssessment, REPLICATION_GROUP } from "../plan/replicationGroupChanges";
import { awsSlots } from "../plan/safeChangeGuide";
import { LoadedStack, loadStack, StackConfigurationError } from "../program/stackSettings";
import { deriveSteps } from "./deriveSteps";
import { refusalOf } from "./rehearsableKeys";
import type { ReshapeStep } from "./steps";

/** A change the rehearsal will not carry out; the message is one line naming the key. Exit 1, nothing started. */
export class RehearsalRefused extends StackConfigurationError {}

export interface ChangeRequest {
    readonly stack: string;
    /** The change: `--config key=value`. */
    readonly config: Readonly<Record<string, string>>;
    /** The running cluster's settings where they differ from the stack file (a rotation step already applied). */
    readonly from?: Readonly<Record<string, string>>;
}

export interface ChangePlan {
    readonly request: ChangeRequest;
    readonly before: LoadedStack;
    readonly after: LoadedStack;
    /** The keys whose setting the change alters. */
    readonly changedKeys: readonly ConfigKey[];
    readonly assessment: ChangeAssessment;
    readonly steps: readonly ReshapeStep[];
    readonly graphs: { readonly before: ProgramGraph; readonly after: ProgramGraph };
    readonly users: { readonly before: readonly ProgramRedisUser[]; readonly after: readonly ProgramRedisUser[] };
}

/** Loads and checks the request without evaluating the program (fast): the refusals that need no evaluation. */
export function checkRequest(request: ChangeRequest): {
    before: LoadedStack;
    after: LoadedStack;
    changedKeys: ConfigKey[];
} {
    const given = [...Object.keys(request.from ?? {}), ...Object.keys(request.config)];
    if (Object.keys(request.config).length === 0)
        throw new RehearsalRefused("--config: give the change to rehearse, e.g. --config numNodeGroups=2");
    for (const key of given) {
        if (!isConfigKey(key))
            throw new RehearsalRefused(`${key}: not a configuration key of this project (see Pulumi.yaml)`);
    }
    const before = oneLine(() => loadStack(request.stack, { ...request.from }));
    const after = oneLine(() => loadStack(request.stack, { ...request.from, ...request.config }));
    const changedKeys = (Object.keys(request.config) as ConfigKey[]).filter(
        (key) => JSON.stringify(settingOf(before.settings, key)) !== JSON.stringify(settingOf(after.settings, key)),
    );
    if (changedKeys.length === 0) {
        const keys = Object.entries(request.config).map(([key, value]) => `${key}=${value}`);
        throw new RehearsalRefused(`${keys.join(", ")}: no change, stack ${request.stack} already has it`);
    }
    const refusal = refusalOf(changedKeys);
    if (refusal) throw new RehearsalRefused(refusal);
    return { before, after, changedKeys };
}

/** Evaluates the program before and after, judges the change and derives its steps. */
export async function planChange(request: ChangeRequest): Promise<ChangePlan> {
    const { before, after, changedKeys } = checkRequest(request);
    const keys = changedKeys.join(", ");
    // Loaded only once the request is valid: a refusal answers without loading Pulumi.
    const { evaluateGraph } = await import("../plan/programGraph");
    const graphBefore = await evaluateGraph({ stack: request.stack, config: { ...before.overrides } });
    const graphAfter = await evaluateGraph({ stack: request.stack, config: { ...after.overrides } });
    const assessment = assessChange(graphBefore.resources, graphAfter.resources, awsSlots);
    const group = assessment.changes.find((change) => change.type === REPLICATION_GROUP);
    if (assessment.verdict === "refused by AWS") {
        const reason = assessment.changes.find((change) => change.verdict === "refused by AWS")?.reasons[0] ?? "";
        throw new RehearsalRefused(
            `${keys}: AWS would refuse this change, so there is nothing to rehearse (${reason})`,
        );
    }
    if (assessment.cluster === "replacement" && before.settings.protect) {
        throw new RehearsalRefused(
            `${keys}: replaces the cluster, which protect: true makes pulumi up refuse; rehearse it with --from protect=false`,
        );
    }
    const usersBefore = programRedisUsers({ resources: [...graphBefore.resources] });
    const usersAfter = programRedisUsers({ resources: [...graphAfter.resources] });
    const steps = deriveSteps({
        before: before.settings,
        after: after.settings,
        cluster: { verdict: assessment.cluster, reasons: group?.reasons ?? [] },
        usersBefore,
        usersAfter,
        environmentBefore: functionEnvironment({ resources: [...graphBefore.resources] }),
        environmentAfter: functionEnvironment({ resources: [...graphAfter.resources] }),
        functionAfterUsers: functionDependsOnUsers(graphAfter),
    });
    if (steps.length === 0) {
        throw new RehearsalRefused(
            `${keys}: nothing the cluster or the function's calls would see (verdict: ${assessment.verdict})`,
        );
    }
    return {
        request,
        before,
        after,
        changedKeys,
        assessment,
        steps,
        graphs: { before: graphBefore, after: graphAfter },
        users: { before: usersBefore, after: usersAfter },
    };
}

/** Whether the Lambda function reaches a Redis user through its dependency edges (inputs or `dependsOn`). */
export function functionDependsOnUsers(graph: ProgramGraph): boolean {
    const byKey = new Map(graph.resources.map((resource) => [resource.key, resource]));
    const fn = graph.resources.find((resource) => resource.type === "aws:lambda/function:Function");
    if (!fn) return false;
    const seen = new Set<string>();
    const pending = [...fn.dependsOn];
    while (pending.length > 0) {
        const key = pending.pop()!;
        if (seen.has(key)) continue;
        seen.add(key);
        const resource = byKey.get(key);
        if (resource?.type === "aws:elasticache/user:User") return true;
        pending.push(...(resource?.dependsOn ?? []));
    }
    return false;
}

/** A setting by its configuration key (alarm thresholds live in one object). */
function settingOf(settings: StackSettings, key: ConfigKey): unknown {
    const threshold = thresholdOf(key);
    return threshold ? settings.alarmThresholds[threshold] : (settings as unknown as Record<string, unknown>)[key];
}

/** The program's refusal on one line: each problem already names its key. */
export function oneLine<T>(load: () => T): T {
    try {
        return load();
    } catch (error) {
        if (!(error instanceof StackConfigurationError)) throw error;
        const problems = error.message
            .split("\n")
            .filter((line) => line.trim().startsWith("- "))
            .map((line) => line.trim().slice(2));
        throw new RehearsalRefused(problems.length > 0 ? problems.join("; ") : error.message.replace(/\n\s*/g, " "));
    }
}
