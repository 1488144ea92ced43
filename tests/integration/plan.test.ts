import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ARCHITECTURE_DOC, renderArchitectureDoc } from "../../twin/plan/architectureDoc";
import { atShape, billableInventory, estimateCost } from "../../twin/plan/costEstimate";
import { renderEstimate, usd } from "../../twin/plan/costReport";
import {
    HOURS_PER_MONTH,
    INSTANCE_CONNECT_ENDPOINT_HOUR,
    REGION_PRICES,
    VALKEY_PRICE_FACTOR,
} from "../../twin/plan/prices";
import { evaluateGraph, graphOf, ProgramGraph } from "../../twin/plan/programGraph";
import { TUTORIAL_INVENTORY } from "../../twin/plan/tutorialShape";
import { evaluationError, ProgramRun, RecordedResource } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";

const ROOT = path.resolve(__dirname, "..", "..");
const TYPES = {
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    function: "aws:lambda/function:Function",
    password: "random:index/randomPassword:RandomPassword",
} as const;

function nameOf(run: ProgramRun, type: keyof typeof TYPES): string {
    const found = run.resources.filter((resource) => resource.type === TYPES[type]);
    if (found.length !== 1) throw new Error(`expected one ${TYPES[type]}, found ${found.length}`);
    return found[0].name;
}
const US = REGION_PRICES["us-east-1"];
const REDIS = US.cacheNodeHour.redis;
const VALKEY = US.cacheNodeHour.valkey;
/** What the client host itself costs a month (instance and its 8 GiB gp3 root volume), whatever the access way. */
/**
 * Monitoring of a group of `nodes` nodes: the function's 3 standard alarms, 6 Metrics Insights alarms each analysing a
 * metric per node, and the dashboard.
 */
const monitoringOf = (nodes: number): number =>
    3 * US.alarmMonth.usd + 6 * nodes * US.queryAlarmMetricMonth.usd + US.dashboardMonth.usd;
const HOST = HOURS_PER_MONTH * US.instanceHour["t4g.nano"].usd + 8 * US.volumeGbMonth.gp3.usd;
/** The three Session Manager interface endpoints in one AZ. */
const SSM_ENDPOINTS = 3 * HOURS_PER_MONTH * US.interfaceEndpointAzHour.usd;

interface ScriptRun {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** `npm run plan -- <args>` as a person runs it; --silent keeps npm's own banner out of the output. */
function runPlan(args: string[]): Promise<ScriptRun> {
    return new Promise((resolve) => {
        execFile(
            "npm",
            ["run", "--silent", "plan", "--", ...args],
            { cwd: ROOT, timeout: 150_000, maxBuffer: 16 * 1024 * 1024 },
            (error, stdout, stderr) =>
                resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
        );
    });
}

/** The lines of the block that starts with `heading` and ends at the next blank line. */
function section(output: string, heading: string): string[] {
    const lines = output.split("\n");
    const start = lines.findIndex((line) => line.startsWith(heading));
    if (start === -1) throw new Error(`no section "${heading}" in:\n${output}`);
    const end = lines.findIndex((line, index) => index > start && line.trim() === "");
    return lines.slice(start, end === -1 ? undefined : end);
}

/** The tree must show every resource the program registers, under the component that is its parent. */
function expectTreeOf(output: string, run: ProgramRun): void {
    const tree = section(output, "Resources (component");
    const components = run.resources.filter((resource) => resource.parentUrn === "");
    const lineOf = (resource: RecordedResource): number => {
        const index = tree.findIndex((line) =>
            new RegExp(`(^|─ )${escapeRegExp(`${resource.type}  ${resource.name}`)}( |$)`).test(line),
        );
        expect(index, `${resource.type} ${resource.name} in the tree`).to.be.greaterThan(0);
        return index;
    };
    const componentLines = components.map(lineOf);
    expect(componentLines, "components in the order index.ts creates them").to.deep.equal(
        [...componentLines].sort((a, b) => a - b),
    );
    for (const resource of run.resources.filter((candidate) => candidate.parentUrn !== "")) {
        const parent = components.findIndex((component) => component.urn === resource.parentUrn);
        const line = lineOf(resource);
        expect(line, `${resource.name} after its component`).to.be.greaterThan(componentLines[parent]);
        if (parent + 1 < componentLines.length)
            expect(line, `${resource.name} before the next component`).to.be.lessThan(componentLines[parent + 1]);
    }
}

function expectCountsOf(output: string, run: ProgramRun): void {
    const counts = section(output, "Resources per type");
    const byType = new Map<string, number>();
    for (const resource of run.resources) byType.set(resource.type, (byType.get(resource.type) ?? 0) + 1);
    for (const [type, count] of byType) expect(counts, type).to.include(`  ${String(count).padStart(3)}  ${type}`);
    expect(counts.join("\n")).to.include(`${run.resources.length}  in total`);
}

function escapeRegExp(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("npm run plan", function () {
    this.timeout(240_000);
    let dev: ScriptRun;
    let prod: ScriptRun;
    let devRun: ProgramRun;
    let prodRun: ProgramRun;

    before(async () => {
        // The reference evaluations run here while the scripts run in their own processes.
        const reference = (async () => {
            devRun = await evaluateProgramOnce({ stack: "dev" });
            prodRun = await evaluateProgramOnce({ stack: "prod" });
        })();
        [dev, prod] = await Promise.all([runPlan(["--check"]), runPlan(["--stack", "prod"]), reference]);
    });

    it("dev: exits 0, and --check confirms the committed docs/architecture.md is current", () => {
        // The stack's warnings are printed once, on stdout, however many configurations the plan evaluates: the
        // evaluations gather what the program logs instead of printing it each time.
        for (const run of [dev, prod]) {
            const printed = run.stdout.split("\n").filter((line) => line.startsWith("warning: "));
            expect(new Set(printed).size, printed.join("\n")).to.equal(printed.length);
            expect(run.stderr).to.not.include("warning");
        }
        expect(dev.stdout).to.include("docs/architecture.md: up to date.");
        expect(dev.code).to.equal(0);
    });

    it("dev: prints every resource under its component, in index.ts's order, with the settings that matter", () => {
        expectTreeOf(dev.stdout, devRun);
        const tree = section(dev.stdout, "Resources (component").join("\n");
        expect(tree).to.match(
            /ReplicationGroup {2}[\w-]+ {2}— 1 shard × \(1 primary \+ 1 replica\) = 2 × cache\.t4g\.micro, redis 6\.2 .*TLS \+ RBAC user group, encrypted at rest, multi-AZ/,
        );
        expect(tree).to.match(
            /User {2}redis-dev-function-user {2}— redis-dev-function: "on ~\* -@all \+cluster\|slots .*\+set \+get", 1 password\(s\)/,
        );
        expect(tree).to.match(
            /awsx:ec2:Vpc {2}[\w-]+ {2}— 10\.0\.0\.0\/16, 2 AZs, subnets per AZ: isolated \/20, NAT gateways: None/,
        );
        expect(tree).to.match(/Instance {2}[\w-]+ {2}— t4g\.nano, IMDSv2 only/);
    });

    it("dev: counts resources per type as the program registers them", () => {
        expectCountsOf(dev.stdout, devRun);
    });

    it("dev: estimates each billable resource and the total from the price table, labelled an estimate", () => {
        const lines = section(dev.stdout, "Monthly cost of stack dev");
        const text = lines.join("\n");
        expect(lines[0])
            .to.include("ESTIMATE")
            .and.include("us-east-1")
            .and.include("each price's source and check date below");
        const nodes = 2 * HOURS_PER_MONTH * REDIS["cache.t4g.micro"].usd;
        expect(text).to.match(
            new RegExp(
                `${nameOf(devRun, "replicationGroup")} +2 × cache\\.t4g\\.micro node \\(redis\\) +1460 node-h × \\$0\\.016 \\[\\d\\] +\\${usd(nodes)}`,
            ),
        );
        expect(text).to.match(/redis-dev-instance-connect +EC2 Instance Connect Endpoint +730 h × \$0 \[\d\] +\$0\.00/);
        expect(text).to.not.match(/interface endpoint/);
        expect(text).to.match(/redis-dev-[\w-]+ +Lambda requests and GB-seconds: usage-based, assumed ~0 +~\$0/);
        const monitoring = monitoringOf(2);
        expect(text).to.include(`Total: ${usd(nodes + HOST + monitoring)} per month`);
        expect(text).to.include("Amazon ElastiCache pricing").and.include("Amazon EC2 On-Demand Pricing");
        expect(text).to.match(
            /\] Amazon EC2 User Guide, "Connect to your instances using EC2 Instance Connect Endpoint", Pricing: "There is no additional cost for using EC2 Instance Connect Endpoints" .*, checked \d{4}-\d{2}-\d{2}/,
        );
    });

    it("dev: compares with the tutorial and shows what clientHost: false saves", () => {
        const text = section(dev.stdout, "Compared with the tutorial").join("\n");
        const tutorial =
            (2 * REDIS["cache.t4g.micro"].usd + US.instanceHour["t4g.nano"].usd) * HOURS_PER_MONTH +
            SSM_ENDPOINTS +
            8 * US.volumeGbMonth.gp2.usd;
        expect(text).to.include(`the tutorial:          ${usd(tutorial)} per month`);
        expect(text).to.include(`clientHost: false saves ${usd(HOST)} per month`);
    });

    it("dev: prices both access ways and the other engine, each with its monthly total and what it saves", () => {
        const text = section(dev.stdout, "Alternatives for stack dev").join("\n");
        const nodes = 2 * HOURS_PER_MONTH * REDIS["cache.t4g.micro"].usd;
        const monitoring = monitoringOf(2);
        const instanceConnect = nodes + HOST + monitoring;
        const ssm = nodes + HOST + SSM_ENDPOINTS + monitoring;
        const valkey = 2 * HOURS_PER_MONTH * VALKEY["cache.t4g.micro"].usd + HOST + monitoring;
        expect(text).to.match(
            new RegExp(
                `clientAccess: instance-connect +\\${usd(instanceConnect)} per month.* — the stack as configured`,
            ),
        );
        expect(text).to.match(
            new RegExp(
                `clientAccess: ssm +\\${usd(ssm)} per month.* — costs \\${usd(SSM_ENDPOINTS)} more per month, with interface endpoint`,
            ),
        );
        expect(text).to.match(
            new RegExp(
                `engine: valkey \\(same shape\\) +\\${usd(valkey)} per month.* — saves \\${usd(instanceConnect - valkey)} per month`,
            ),
        );
        expect(text).to.include(
            `Between the access ways: instance-connect saves ${usd(SSM_ENDPOINTS)} per month against ssm.`,
        );
        // Every price an alternative adds is printed with its source and check date.
        expect(text).to.match(
            /price used above: \$0\.0128 per node-h, 2 × cache\.t4g\.micro node \(valkey\) \(unconfirmed\) — Amazon ElastiCache pricing, On-Demand Nodes, Valkey .*, checked \d{4}-\d{2}-\d{2} \(derived: Redis OSS \$0\.016 × 0\.8\)/,
        );
        expect(text).to.match(
            /price used above: \$0\.01 per AZ-h, .* — AWS PrivateLink pricing, Interface Endpoint .*, checked \d{4}-\d{2}-\d{2}/,
        );
    });

    it("prod: prints its tree and counts, 9 × cache.r7g.large and no client host", () => {
        expect(prod.code, prod.stderr).to.equal(0);
        expectTreeOf(prod.stdout, prodRun);
        expectCountsOf(prod.stdout, prodRun);
        expect(prod.stdout).to.match(
            /3 shards × \(1 primary \+ 2 replicas\) = 9 × cache\.r7g\.large.*snapshots kept 7 d \[protected, retained on delete\]/,
        );
        expect(prod.stdout).to.not.match(/aws:ec2\/instance:Instance/);
    });

    it("prod: prices the nodes, notes the unpriced backups, and says what a client host would add", () => {
        const nodes = 9 * HOURS_PER_MONTH * REDIS["cache.r7g.large"].usd;
        const text = section(prod.stdout, "Monthly cost of stack prod").join("\n");
        expect(text).to.match(
            new RegExp(
                `${nameOf(prodRun, "replicationGroup")} +9 × cache\\.r7g\\.large node \\(redis\\) +6570 node-h × \\$0\\.219 \\[\\d\\] +\\${usd(nodes)}`,
            ),
        );
        // prod's log key (logEncryption: kms): $1 a month, with what is not in the figure.
        const monitoring = monitoringOf(9) + US.kmsKeyMonth.usd;
        expect(text).to.match(/redis-prod-logs-key +KMS key, rotated yearly +1 key-month × \$1 \[\d\] +\$1\.00/);
        expect(text).to.match(/redis-prod-logs-key: KMS requests beyond the free tier's 20,000 a month, and up to \$1/);
        expect(text).to.include("AWS Key Management Service pricing");
        expect(text).to.include(`Total: ${usd(nodes + monitoring)} per month`);
        expect(text).to.match(/backups \(7 days kept\) bill per GiB-month of backup storage; not estimated/);
        expect(section(prod.stdout, "Compared with the tutorial").join("\n")).to.include(
            `clientHost: false already saves ${usd(HOST)} per month; clientHost: true would cost ${usd(nodes + monitoring + HOST)}`,
        );
    });

    it("dev and prod: show the worst case of connections per node against what the node type allows", () => {
        expect(section(prod.stdout, "Connections per cache node").join("\n")).to.match(
            /functionConcurrency 100, reserved\):\n {2}100 instances × 2 connections each .* = 200 of the 65,000 a cache\.r7g\.large node accepts \(0\.3%/,
        );
        expect(section(prod.stdout, "Connections per cache node").join("\n")).to.include(
            "The reservation needs 100 + 100 of the region's concurrency quota",
        );
        expect(section(dev.stdout, "Connections per cache node").join("\n")).to.match(
            /no functionConcurrency: .* 1000 by Lambda's default quota\):\n {2}1000 instances × 2 .* = 2,000 of the 65,000 a cache\.t4g\.micro node accepts \(3\.1%/,
        );
    });

    it("prod: prices a client host with either access way, and the same 9 nodes on Valkey", () => {
        const nodes = 9 * HOURS_PER_MONTH * REDIS["cache.r7g.large"].usd;
        const valkey = 9 * HOURS_PER_MONTH * VALKEY["cache.r7g.large"].usd;
        const monitoring = monitoringOf(9) + US.kmsKeyMonth.usd;
        const text = section(prod.stdout, "Alternatives for stack prod").join("\n");
        expect(text).to.match(
            new RegExp(
                `clientHost: true, clientAccess: ssm +\\${usd(nodes + monitoring + HOST + SSM_ENDPOINTS)} per month.* — costs \\${usd(HOST + SSM_ENDPOINTS)} more`,
            ),
        );
        expect(text).to.match(
            new RegExp(
                `clientHost: true, clientAccess: instance-connect +\\${usd(nodes + monitoring + HOST)} per month.* — costs \\${usd(HOST)} more`,
            ),
        );
        expect(text).to.match(
            new RegExp(
                `engine: valkey \\(same shape\\) +\\${usd(valkey + monitoring)} per month.* — saves \\${usd(nodes - valkey)} per month`,
            ),
        );
        expect(text).to.include("(for a client host this stack does not have)");
    });

    it("dev and prod: price the alarms (the same 9 at any shape, the queries by the nodes they analyse) and the dashboard, with their source", () => {
        const alarmCount = (run: ProgramRun) =>
            run.resources.filter((resource) => resource.type === "aws:cloudwatch/metricAlarm:MetricAlarm").length;
        expect([alarmCount(devRun), alarmCount(prodRun)]).to.deep.equal([6 + 3, 6 + 3]);
        for (const [output, nodes] of [
            [dev.stdout, 2],
            [prod.stdout, 9],
        ] as const) {
            const text = section(output, "Monthly cost of stack").join("\n");
            expect(text).to.match(
                new RegExp(
                    `3 MetricAlarm +3 × standard-resolution metric alarm +3 alarm-months × \\$0\\.1 \\[\\d\\] +\\${usd(3 * US.alarmMonth.usd)}`,
                ),
            );
            expect(text).to.match(
                new RegExp(
                    `6 MetricAlarm \\(Metrics Insights\\) +6 × Metrics Insights alarm over ${nodes} nodes +${6 * nodes} metric-months × \\$0\\.1 \\[\\d\\] \\(unconfirmed\\) +\\${usd(6 * nodes * US.queryAlarmMetricMonth.usd)}`,
                ),
            );
            expect(text).to.include("6 Metrics Insights alarms count against the account's default quota of 200");
            expect(text).to.match(
                /-dashboard +CloudWatch dashboard +1 dashboard-month × \$3 \[\d\] \(unconfirmed\) +\$3\.00/,
            );
            expect(text).to.match(/-alerts +SNS publishes and e-mail deliveries: usage-based, assumed ~0/);
            expect(text).to.match(
                /Not included: redis-(dev|prod)-alerts: SNS beyond its free tier, .*aws\.amazon\.com\/sns\/pricing/,
            );
            expect(text).to.include(`of which monitoring: ${usd(monitoringOf(nodes))} per month`);
            expect(text).to.include("Amazon CloudWatch pricing");
            expect(text, "every resource type is known to the estimate").to.not.include("INCOMPLETE");
        }
    });

    it("auto scaling: prices the minimum and the maximum shape, the targets and policies at no charge of their own", async () => {
        const run = await evaluateProgramOnce({ stack: "prod", config: { maxNumNodeGroups: "5" } });
        const inventory = billableInventory(run.resources);
        expect(inventory.unknownTypes).to.deep.equal([]);
        expect(inventory.free).to.include.members(["Target", "Policy"]);
        const minimum = estimateCost(inventory, "us-east-1");
        const maximum = estimateCost(atShape(inventory, 5, 2), "us-east-1");
        const node = HOURS_PER_MONTH * REDIS["cache.r7g.large"].usd;
        // prod's log key (logEncryption: kms) is part of both shapes.
        expect(minimum.totalUsd).to.be.closeTo(9 * node + monitoringOf(9) + US.kmsKeyMonth.usd, 1e-6);
        expect(maximum.totalUsd).to.be.closeTo(15 * node + monitoringOf(15) + US.kmsKeyMonth.usd, 1e-6);
        expect(usd(maximum.totalUsd)).to.equal("$2411.35");
    });

    it("prod: prints its diagram instead of overwriting the dev diagram", () => {
        expect(prod.stdout).to.include("docs/architecture.md keeps stack dev's");
        expect(prod.stdout).to.include(`ReplicationGroup<br/>${nameOf(prodRun, "replicationGroup")}`);
    });

    it("refuses an invalid configuration with the program's own message and exit code 1", async () => {
        const config = { numNodeGroups: "0", engine: "memcached" };
        const [plan, program] = await Promise.all([
            runPlan(["--config", "numNodeGroups=0", "--config", "engine=memcached"]),
            evaluationError({ stack: "dev", config }),
        ]);
        expect(program.error.message).to.match(/^Invalid stack configuration \(2 problems\)/);
        expect(plan.stderr.trim()).to.equal(program.error.message.trim());
        expect(plan.stdout).to.equal("");
        expect(plan.code).to.equal(1);
    });

    it("refuses an unknown stack, naming the stacks there are", async () => {
        const plan = await runPlan(["--stack", "no-such-stack"]);
        expect(plan.stderr).to.match(/no Pulumi\.no-such-stack\.yaml .* known stacks: .*dev.*prod/);
        expect(plan.code).to.equal(1);
    });
});

describe("plan cost estimate", () => {
    const replicationGroup = (nodeType: string, engine = "redis"): RecordedResource => ({
        type: "aws:elasticache/replicationGroup:ReplicationGroup",
        name: "cache",
        inputs: { numNodeGroups: 2, replicasPerNodeGroup: 1, nodeType, engine },
        id: "cache-id",
        custom: true,
        urn: "urn:cache",
        parentUrn: "",
        options: { protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, aliases: [] },
        dependencies: [],
    });

    it("has a price with its AWS page for each required node type, t4g.nano and endpoints in each required region", () => {
        for (const region of ["us-east-1", "eu-west-1", "ap-northeast-1"]) {
            const prices = REGION_PRICES[region];
            const all = [
                ...["cache.t4g.micro", "cache.t4g.small", "cache.r7g.large", "cache.m7g.large"].flatMap((type) => [
                    prices.cacheNodeHour.redis[type],
                    prices.cacheNodeHour.valkey[type],
                ]),
                prices.instanceHour["t4g.nano"],
                prices.interfaceEndpointAzHour,
                prices.alarmMonth,
                prices.dashboardMonth,
            ];
            for (const price of all) {
                expect(price.usd, region).to.be.greaterThan(0);
                expect(price.source, region).to.match(/pricing|Pricing/);
                expect(price.checked, region).to.match(/^\d{4}-\d{2}-\d{2}$/);
            }
        }
    });

    it("says a region is not in the table instead of inventing prices", () => {
        const estimate = estimateCost(billableInventory([replicationGroup("cache.t4g.micro")]), "eu-central-1");
        expect(estimate.complete).to.equal(false);
        expect(estimate.totalUsd).to.equal(0);
        const text = renderEstimate(estimate, "Monthly cost").join("\n");
        expect(text).to.include("eu-central-1 (not in the price table)");
        expect(text).to.include(
            "no prices for region eu-central-1 in the table (it has us-east-1, eu-west-1, ap-northeast-1)",
        );
        expect(text).to.include("INCOMPLETE");
    });

    it("says a node type has no price instead of inventing one", () => {
        const estimate = estimateCost(billableInventory([replicationGroup("cache.m6g.large")]), "us-east-1");
        expect(estimate.complete).to.equal(false);
        expect(estimate.lines[0].monthlyUsd).to.equal(undefined);
        expect(renderEstimate(estimate, "Monthly cost").join("\n")).to.include(
            "no price: no price for cache.m6g.large (redis) in us-east-1 in the table",
        );
    });

    it("prices Valkey nodes from the Valkey column: each figure Redis OSS × the factor AWS states, derived ones unconfirmed", () => {
        for (const [region, prices] of Object.entries(REGION_PRICES)) {
            for (const [nodeType, redis] of Object.entries(prices.cacheNodeHour.redis)) {
                const valkey = prices.cacheNodeHour.valkey[nodeType];
                expect(valkey.usd, `${region} ${nodeType}`).to.be.closeTo(redis.usd * VALKEY_PRICE_FACTOR, 1e-6);
                expect(valkey.source, `${region} ${nodeType}`).to.match(/Valkey/);
                if (valkey.derivation) expect(valkey.confirmed, `${region} ${nodeType} derived`).to.equal(false);
            }
        }
        // The one Valkey figure found in Price List data is written out, not derived.
        expect(VALKEY["cache.r7g.large"]).to.deep.include({ usd: 0.1752, confirmed: true });
        expect(VALKEY["cache.r7g.large"].derivation).to.equal(undefined);
        const redis = estimateCost(billableInventory([replicationGroup("cache.r7g.large")]), "us-east-1");
        const valkey = estimateCost(billableInventory([replicationGroup("cache.r7g.large", "valkey")]), "us-east-1");
        expect(redis.totalUsd).to.be.closeTo(4 * HOURS_PER_MONTH * REDIS["cache.r7g.large"].usd, 1e-9);
        expect(valkey.totalUsd).to.be.closeTo(4 * HOURS_PER_MONTH * VALKEY["cache.r7g.large"].usd, 1e-9);
        expect(valkey.lines[0].what).to.equal("4 × cache.r7g.large node (valkey)");
    });

    it("lists an EC2 Instance Connect Endpoint at $0 with AWS's page as its source, never as unknown", () => {
        const endpoint = {
            ...replicationGroup("x"),
            type: "aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint",
            name: "eice",
            inputs: {},
        };
        const estimate = estimateCost(billableInventory([endpoint]), "eu-west-1");
        expect(estimate.inventory.unknownTypes).to.deep.equal([]);
        expect(estimate.lines).to.have.length(1);
        expect(estimate.lines[0]).to.deep.include({
            what: "EC2 Instance Connect Endpoint",
            monthlyUsd: 0,
            price: INSTANCE_CONNECT_ENDPOINT_HOUR,
        });
        expect(INSTANCE_CONNECT_ENDPOINT_HOUR.source).to.include(
            "There is no additional cost for using EC2 Instance Connect Endpoints",
        );
    });

    it("marks lines priced from unconfirmed figures", () => {
        const estimate = estimateCost(TUTORIAL_INVENTORY, "eu-west-1");
        const unconfirmed = estimate.lines.filter((line) => line.price && !line.price.confirmed).length;
        expect(unconfirmed).to.be.greaterThan(0);
        const text = renderEstimate(estimate, "Monthly cost").join("\n");
        expect(text.match(/\(unconfirmed\)/g)?.length).to.equal(unconfirmed);
        expect(text).to.include(`${unconfirmed} line(s) from unconfirmed prices`);
    });
});

describe("docs/architecture.md", function () {
    this.timeout(120_000);
    let first: ProgramGraph;

    before(async () => {
        first = graphOf(await evaluateProgramOnce({ stack: "dev" }));
    });

    it("is the diagram generated from the dev stack (run `npm run plan` to update it)", () => {
        expect(fs.readFileSync(ARCHITECTURE_DOC, "utf8")).to.equal(renderArchitectureDoc(first, "dev"));
    });

    it("is generated the same way on every evaluation", async () => {
        const second = await evaluateGraph({ stack: "dev" });
        expect(renderArchitectureDoc(second, "dev")).to.equal(renderArchitectureDoc(first, "dev"));
    });

    it("draws the dependencies the engine sees: the function uses the cluster and its password, the cluster its user group and security group", () => {
        const doc = renderArchitectureDoc(first, "dev");
        const id = (type: string): string => {
            const resource = first.resources.find(
                (candidate) => candidate.type === type && !candidate.name.includes("client-host"),
            );
            return `${type.split(":").pop()}_${resource!.name.replace(/[^A-Za-z0-9_]/g, "_")}`;
        };
        const cache = id(TYPES.replicationGroup);
        expect(doc).to.include(`${id(TYPES.function)} --> ${cache}`);
        expect(doc).to.include(`${cache} --> ${id("aws:elasticache/userGroup:UserGroup")}`);
        expect(doc).to.include(`${id(TYPES.function)} --> RandomPassword_redis_dev_function_password_1`);
        expect(doc).to.match(new RegExp(`${cache} --> SecurityGroup_`));
        for (const resource of first.resources) expect(doc, resource.name).to.include(`<br/>${resource.name}"]`);
    });
});
