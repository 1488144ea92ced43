import * as fs from "fs";
import * as path from "path";
import { expect } from "chai";
import type { ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { RecordedResource } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";
import { unwrapSecret } from "../../twin/program/secrets";
import {
    EC2_INSTANCE,
    evaluate,
    FUNCTION_URL,
    LAMBDA_FUNCTION,
    LAMBDA_PERMISSION,
    LAUNCH_TEMPLATE,
    LOG_GROUP,
    REPLICATION_GROUP,
    ResourceUnderTest,
    ELASTICACHE_USER,
    evaluateStack,
    rules,
    stackRules,
    StackResource,
    toStackPolicy,
    SECURITY_GROUP,
    SECURITY_GROUP_EGRESS_RULE,
    SECURITY_GROUP_INGRESS_RULE,
    SECURITY_GROUP_RULE,
    toPolicy,
    Violation,
} from "../../policy/rules";

const POLICY_DIR = path.resolve(__dirname, "..", "..", "policy");

function policyConfig(stack: string): Record<string, object> {
    const raw = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "config", `${stack}.json`), "utf8")) as Record<
        string,
        unknown
    >;
    const config: Record<string, object> = {};
    for (const [key, value] of Object.entries(raw))
        if (typeof value === "object" && value !== null) config[key] = value;
    return config;
}

/** Mock inputs carry secrets in their wire form; the policy runtime hands rules the plain values. */
function plain(value: unknown): unknown {
    const { secret, value: inner } = unwrapSecret(value);
    if (secret) return plain(inner);
    if (Array.isArray(value)) return value.map(plain);
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
    }
    return value;
}

/** What the policy engine would see: every cloud resource with its inputs and the protect option. */
function asPolicyInputs(resources: RecordedResource[]): ResourceUnderTest[] {
    return resources
        .filter((resource) => resource.custom)
        .map((resource) => ({
            type: resource.type,
            name: resource.name,
            props: plain(resource.inputs) as Record<string, unknown>,
            options: { protect: resource.options.protect },
        }));
}

function describeViolations(violations: Violation[]): string {
    return violations.map((v) => `${v.rule} on ${v.type} ${v.name}: ${v.message}`).join("\n");
}

describe("policy pack rules", function () {
    this.timeout(120_000);
    let dev: ResourceUnderTest[];
    let prod: ResourceUnderTest[];
    /** dev with a public function URL: the only configuration that registers lambda Permissions. */
    let publicDev: ResourceUnderTest[];

    before(async () => {
        dev = asPolicyInputs((await evaluateProgramOnce({ stack: "dev" })).resources);
        prod = asPolicyInputs((await evaluateProgramOnce({ stack: "prod" })).resources);
        publicDev = asPolicyInputs(
            (await evaluateProgramOnce({ stack: "dev", config: { functionUrlAuthType: "NONE" } })).resources,
        );
    });

    function one(resources: ResourceUnderTest[], type: string): ResourceUnderTest {
        const found = resources.filter((resource) => resource.type === type);
        expect(found, `resources of type ${type}`).to.have.length.greaterThan(0);
        return structuredClone(found[0]);
    }

    describe("over the resources the program registers", () => {
        it("finds no mandatory violation in dev with dev's policy config, only the posture advice", () => {
            const violations = [...evaluate(dev, policyConfig("dev")), ...evaluateStack(dev, policyConfig("dev"))];
            const mandatory = violations.filter((violation) => violation.level === "mandatory");
            expect(mandatory, describeViolations(mandatory)).to.deep.equal([]);
            // dev has neither a reservation nor keyed log groups, and is not protected: advised, not refused.
            expect(violations.map((v) => `${v.rule} ${v.level} ${v.type} ${v.name}`).sort()).to.deep.equal(
                [
                    `stack-posture-advisory advisory ${LAMBDA_FUNCTION} redis-dev-function`,
                    `stack-posture-advisory advisory ${LOG_GROUP} redis-dev-function-logs`,
                    `stack-posture-advisory advisory ${LOG_GROUP} redis-dev-slow-log`,
                ].sort(),
            );
        });

        it("finds no mandatory violation in dev placed in an existing network, with either way into the host", async () => {
            const given = {
                vpcId: "vpc-0a1b2c3d4e5f60718",
                subnetIds: '["subnet-0a1b2c3d4e5f60711","subnet-0a1b2c3d4e5f60712"]',
            };
            for (const clientAccess of ["instance-connect", "ssm"]) {
                const run = await evaluateProgramOnce({ stack: "dev", config: { ...given, clientAccess } });
                const resources = asPolicyInputs(run.resources);
                const violations = [
                    ...evaluate(resources, policyConfig("dev")),
                    ...evaluateStack(resources, policyConfig("dev")),
                ];
                const mandatory = violations.filter((violation) => violation.level === "mandatory");
                expect(mandatory, `${clientAccess}: ${describeViolations(mandatory)}`).to.deep.equal([]);
            }
        });

        it("finds no violation in prod with prod's policy config", () => {
            const violations = [...evaluate(prod, policyConfig("prod")), ...evaluateStack(prod, policyConfig("prod"))];
            expect(violations, describeViolations(violations)).to.deep.equal([]);
        });

        it("exercises every rule on at least one real resource (zero violations is not vacuous)", () => {
            const all = [...dev, ...prod, ...publicDev];
            const unexercised = rules
                .filter((rule) => !all.some((resource) => rule.resourceTypes.includes(resource.type)))
                .map((rule) => rule.name);
            expect(unexercised).to.deep.equal([]);
        });

        it("sees prod's replication group protected and dev's not", () => {
            expect(one(prod, REPLICATION_GROUP).options?.protect).to.equal(true);
            expect(one(dev, REPLICATION_GROUP).options?.protect).to.equal(false);
        });
    });

    interface BadCase {
        readonly title: string;
        readonly rule: string;
        /** Starts from the program's real resource of this type and breaks it. */
        readonly type: string;
        readonly from?: () => ResourceUnderTest[];
        /** Starts from the resource of that type whose name ends so, rather than the first one. */
        readonly named?: string;
        readonly breakIt: (
            props: Record<string, any>,
            resource: { options: { protect?: boolean }; type: string },
        ) => void;
        readonly fix: RegExp;
        readonly stack?: "dev" | "prod";
    }

    const badCases: BadCase[] = [
        {
            title: "cluster mode disabled",
            rule: "elasticache-cluster-mode-enabled",
            type: REPLICATION_GROUP,
            breakIt: (p) => (p.clusterMode = "disabled"),
            fix: /set clusterMode: "enabled"/,
        },
        {
            title: "a cluster-mode-disabled group (numCacheClusters, no shards)",
            rule: "elasticache-cluster-mode-enabled",
            type: REPLICATION_GROUP,
            breakIt: (p) => {
                delete p.clusterMode;
                delete p.numNodeGroups;
                delete p.replicasPerNodeGroup;
                delete p.nodeGroupConfigurations;
                p.numCacheClusters = 2;
            },
            fix: /set clusterMode: "enabled" and numNodeGroups/,
        },
        {
            title: "a default parameter group with cluster mode off",
            rule: "elasticache-cluster-mode-enabled",
            type: REPLICATION_GROUP,
            breakIt: (p) => (p.parameterGroupName = "default.redis6.x"),
            fix: /\.cluster\.on/,
        },
        {
            title: "no parameter group",
            rule: "elasticache-cluster-mode-enabled",
            type: REPLICATION_GROUP,
            breakIt: (p) => delete p.parameterGroupName,
            fix: /set parameterGroupName to a cluster-mode group/,
        },
        {
            title: "TLS off",
            rule: "elasticache-transit-encryption",
            type: REPLICATION_GROUP,
            breakIt: (p) => (p.transitEncryptionEnabled = false),
            fix: /set transitEncryptionEnabled: true/,
        },
        {
            title: "TLS only preferred",
            rule: "elasticache-transit-encryption",
            type: REPLICATION_GROUP,
            breakIt: (p) => (p.transitEncryptionMode = "preferred"),
            fix: /set it to "required"/,
        },
        {
            title: "at-rest encryption left at the Redis OSS default",
            rule: "elasticache-at-rest-encryption",
            type: REPLICATION_GROUP,
            breakIt: (p) => delete p.atRestEncryptionEnabled,
            fix: /set atRestEncryptionEnabled: true/,
        },
        {
            title: "no AUTH token",
            rule: "elasticache-auth-token",
            type: REPLICATION_GROUP,
            breakIt: (p) => {
                delete p.userGroupIds;
                delete p.authToken;
            },
            fix: /set authToken to a generated secret/,
        },
        {
            title: "an empty AUTH token",
            rule: "elasticache-auth-token",
            type: REPLICATION_GROUP,
            breakIt: (p) => {
                delete p.userGroupIds;
                p.authToken = "";
            },
            fix: /16-128 characters/,
        },
        {
            title: "automatic failover off",
            rule: "elasticache-automatic-failover",
            type: REPLICATION_GROUP,
            breakIt: (p) => (p.automaticFailoverEnabled = false),
            fix: /set automaticFailoverEnabled: true/,
        },
        {
            title: "replicas in one AZ",
            rule: "elasticache-multi-az",
            type: REPLICATION_GROUP,
            breakIt: (p) => (p.multiAzEnabled = false),
            fix: /set multiAzEnabled: true/,
        },
        {
            title: "an unprotected cluster in prod",
            rule: "elasticache-deletion-protection",
            type: REPLICATION_GROUP,
            stack: "prod",
            breakIt: (_p, r) => (r.options.protect = false),
            fix: /set redis-cluster:protect to true/,
        },
        {
            title: "a Lambda outside the VPC",
            rule: "lambda-in-vpc",
            type: LAMBDA_FUNCTION,
            breakIt: (p) => delete p.vpcConfig,
            fix: /set vpcConfig\.subnetIds/,
        },
        {
            title: "a Lambda with no security group",
            rule: "lambda-in-vpc",
            type: LAMBDA_FUNCTION,
            breakIt: (p) => (p.vpcConfig.securityGroupIds = []),
            fix: /vpcConfig\.securityGroupIds to the function's security group/,
        },
        {
            title: "a public function URL",
            rule: "lambda-function-url-auth",
            type: FUNCTION_URL,
            breakIt: (p) => (p.authorizationType = "NONE"),
            fix: /set functionUrlAuthType to AWS_IAM/,
        },
        {
            title: "a public URL's invoke permission",
            rule: "lambda-function-url-auth",
            type: FUNCTION_URL,
            breakIt: (p, r) => {
                r.type = LAMBDA_PERMISSION;
                for (const key of Object.keys(p)) delete p[key];
                Object.assign(p, { action: "lambda:InvokeFunctionUrl", principal: "*", functionUrlAuthType: "NONE" });
            },
            fix: /"allowPublicFunctionUrl": true/,
        },
        {
            title: "a public invoke permission through the function URL",
            rule: "lambda-function-url-auth",
            type: FUNCTION_URL,
            breakIt: (p, r) => {
                r.type = LAMBDA_PERMISSION;
                for (const key of Object.keys(p)) delete p[key];
                Object.assign(p, { action: "lambda:InvokeFunction", principal: "*", invokedViaFunctionUrl: true });
            },
            fix: /set functionUrlAuthType to AWS_IAM/,
        },
        {
            title: 'the Invoke API opened to anyone (principal "*", no invokedViaFunctionUrl)',
            rule: "lambda-invoke-not-public",
            type: FUNCTION_URL,
            breakIt: (p, r) => {
                r.type = LAMBDA_PERMISSION;
                for (const key of Object.keys(p)) delete p[key];
                Object.assign(p, { function: "f", action: "lambda:InvokeFunction", principal: "*" });
            },
            fix: /Fix: set invokedViaFunctionUrl: true/,
        },
        {
            title: "lambda:* for anyone, with invokedViaFunctionUrl false",
            rule: "lambda-invoke-not-public",
            type: FUNCTION_URL,
            breakIt: (p, r) => {
                r.type = LAMBDA_PERMISSION;
                for (const key of Object.keys(p)) delete p[key];
                Object.assign(p, { function: "f", action: "lambda:*", principal: "*", invokedViaFunctionUrl: false });
            },
            fix: /grants "lambda:\*" to principal "\*"/,
        },
        {
            title: "the program's own egress rule pointed at 0.0.0.0/0",
            rule: "no-world-egress",
            type: SECURITY_GROUP_EGRESS_RULE,
            breakIt: (p) => {
                delete p.referencedSecurityGroupId;
                delete p.prefixListId;
                p.cidrIpv4 = "0.0.0.0/0";
            },
            fix: /Egress to cidrIpv4 "0\.0\.0\.0\/0" lets the group send to the whole internet\. Fix: allow egress to the destination's security group/,
        },
        {
            title: "a standalone IPv6 egress rule to ::/0",
            rule: "no-world-egress",
            type: SECURITY_GROUP_EGRESS_RULE,
            breakIt: (p) => {
                delete p.referencedSecurityGroupId;
                delete p.prefixListId;
                p.cidrIpv6 = "::/0";
            },
            fix: /cidrIpv6 "::\/0"/,
        },
        {
            title: "a security group's inline egress to everywhere (what AWS itself adds by default)",
            rule: "no-world-egress",
            type: SECURITY_GROUP,
            breakIt: (p) =>
                (p.egress = [
                    { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
                ]),
            fix: /An inline egress block allows ports 0-0 to 0\.0\.0\.0\/0, ::\/0\. Fix:/,
        },
        {
            title: "a classic security group rule of type egress to 0.0.0.0/0",
            rule: "no-world-egress",
            type: SECURITY_GROUP_EGRESS_RULE,
            breakIt: (p, r) => {
                r.type = SECURITY_GROUP_RULE;
                for (const key of Object.keys(p)) delete p[key];
                Object.assign(p, {
                    type: "egress",
                    protocol: "tcp",
                    fromPort: 443,
                    toPort: 443,
                    cidrBlocks: ["0.0.0.0/0"],
                });
            },
            fix: /The egress rule allows ports 443-443 to 0\.0\.0\.0\/0/,
        },
        {
            title: "IMDSv1 allowed",
            rule: "ec2-imdsv2-required",
            type: EC2_INSTANCE,
            breakIt: (p) => (p.metadataOptions.httpTokens = "optional"),
            fix: /httpTokens: "required"/,
        },
        {
            title: "metadata options left at their defaults",
            rule: "ec2-imdsv2-required",
            type: EC2_INSTANCE,
            breakIt: (p) => delete p.metadataOptions,
            fix: /httpTokens: "required"/,
        },
        {
            title: "a launch template allowing IMDSv1",
            rule: "ec2-imdsv2-required",
            type: EC2_INSTANCE,
            breakIt: (p, r) => {
                r.type = LAUNCH_TEMPLATE;
                p.metadataOptions = { httpEndpoint: "enabled", httpTokens: "optional" };
            },
            fix: /httpTokens: "required"/,
        },
        {
            title: "an inline ingress block open to 0.0.0.0/0",
            rule: "no-world-ingress",
            type: SECURITY_GROUP,
            breakIt: (p) =>
                (p.ingress = [{ protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["0.0.0.0/0"] }]),
            fix: /from 0\.0\.0\.0\/0\. Fix: allow the port from the clients' security group/,
        },
        {
            title: "an inline ingress block open to ::/0",
            rule: "no-world-ingress",
            type: SECURITY_GROUP,
            // Port 6379 alone: an all-protocols block would also let SSH in, which ssh-only-from-security-group reports.
            breakIt: (p) => (p.ingress = [{ protocol: "tcp", fromPort: 6379, toPort: 6379, ipv6CidrBlocks: ["::/0"] }]),
            fix: /from ::\/0\. Fix:/,
        },
        {
            title: "a standalone ingress rule open to the world through a /0 with another base address",
            rule: "no-world-ingress",
            type: SECURITY_GROUP_INGRESS_RULE,
            named: "-cache-from-function",
            breakIt: (p) => {
                delete p.referencedSecurityGroupId;
                p.cidrIpv4 = "10.1.2.3/0";
            },
            fix: /cidrIpv4 "10\.1\.2\.3\/0" opens the port to the internet\. Fix:/,
        },
        {
            title: "a standalone IPv6 ingress rule open to ::/0",
            rule: "no-world-ingress",
            type: SECURITY_GROUP_INGRESS_RULE,
            named: "-cache-from-function",
            breakIt: (p) => {
                delete p.referencedSecurityGroupId;
                p.cidrIpv6 = "::/0";
            },
            fix: /cidrIpv6 "::\/0"/,
        },
        {
            title: "a classic security group rule open to the world",
            rule: "no-world-ingress",
            type: SECURITY_GROUP_INGRESS_RULE,
            breakIt: (p, r) => {
                r.type = SECURITY_GROUP_RULE;
                for (const key of Object.keys(p)) delete p[key];
                Object.assign(p, {
                    type: "ingress",
                    protocol: "tcp",
                    fromPort: 6379,
                    toPort: 6379,
                    cidrBlocks: ["0.0.0.0/0"],
                });
            },
            fix: /ports 6379-6379 from 0\.0\.0\.0\/0/,
        },
        {
            title: "the host's SSH rule opened to the VPC's CIDR instead of the Instance Connect Endpoint's group",
            rule: "ssh-only-from-security-group",
            type: SECURITY_GROUP_INGRESS_RULE,
            named: "-client-host-from-instance-connect",
            breakIt: (p) => {
                delete p.referencedSecurityGroupId;
                p.cidrIpv4 = "10.0.0.0/16";
            },
            fix: /port 22 \(SSH\) in from cidrIpv4 "10\.0\.0\.0\/16", not from a security group\. Fix: let port 22 in from the EC2 Instance Connect Endpoint's security group/,
        },
        {
            title: "an all-protocols rule from a prefix list (port 22 included)",
            rule: "ssh-only-from-security-group",
            type: SECURITY_GROUP_INGRESS_RULE,
            named: "-client-host-from-instance-connect",
            breakIt: (p) => {
                delete p.referencedSecurityGroupId;
                delete p.fromPort;
                delete p.toPort;
                Object.assign(p, { ipProtocol: "-1", prefixListId: "pl-0123456789abcdef0" });
            },
            fix: /from prefixListId "pl-0123456789abcdef0"/,
        },
        {
            title: "a classic rule with a port range around 22 from a private CIDR",
            rule: "ssh-only-from-security-group",
            type: SECURITY_GROUP_INGRESS_RULE,
            breakIt: (p, r) => {
                r.type = SECURITY_GROUP_RULE;
                for (const key of Object.keys(p)) delete p[key];
                Object.assign(p, {
                    type: "ingress",
                    protocol: "tcp",
                    fromPort: 20,
                    toPort: 25,
                    cidrBlocks: ["192.168.0.0/16"],
                });
            },
            fix: /from cidrBlocks \["192\.168\.0\.0\/16"\]/,
        },
        {
            title: "an inline SSH block from an IPv6 range",
            rule: "ssh-only-from-security-group",
            type: SECURITY_GROUP,
            breakIt: (p) =>
                (p.ingress = [{ protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlocks: ["2001:db8::/32"] }]),
            fix: /An inline ingress block lets port 22 \(SSH\) in from ipv6CidrBlocks/,
        },
    ];

    describe("over deliberately broken resources", () => {
        for (const bad of badCases) {
            it(`${bad.rule} fires on ${bad.title}, saying how to fix it`, () => {
                const stack = bad.stack ?? "dev";
                const pool = stack === "dev" ? dev : prod;
                const resource = bad.named
                    ? structuredClone(
                          pool.find((candidate) => candidate.type === bad.type && candidate.name.endsWith(bad.named!))!,
                      )
                    : one(pool, bad.type);
                expect(resource, `${bad.type} *${bad.named}`).to.not.equal(undefined);
                const shape = { options: { ...resource.options }, type: resource.type };
                const props = structuredClone(resource.props) as Record<string, any>;
                bad.breakIt(props, shape);
                const violations = evaluate(
                    [{ type: shape.type, name: resource.name, props, options: shape.options }],
                    policyConfig(stack),
                );
                expect(
                    violations.map((v) => v.rule),
                    describeViolations(violations),
                ).to.deep.equal([bad.rule]);
                expect(violations[0].message).to.match(/Fix: /);
                expect(violations[0].message).to.match(bad.fix);
            });
        }

        it("covers every rule with at least one broken resource", () => {
            const covered = new Set(badCases.map((bad) => bad.rule));
            expect(rules.map((rule) => rule.name).filter((name) => !covered.has(name))).to.deep.equal([]);
        });
    });

    describe("what they accept", () => {
        it("accepts RBAC user groups instead of an AUTH token", () => {
            const group = one(dev, REPLICATION_GROUP);
            delete group.props.authToken;
            (group.props as Record<string, unknown>).userGroupIds = ["redis-users"];
            expect(evaluate([group], policyConfig("dev"))).to.deep.equal([]);
        });

        it("does not require multi-AZ for a cluster without replicas", () => {
            const group = one(dev, REPLICATION_GROUP);
            Object.assign(group.props, { replicasPerNodeGroup: 0, multiAzEnabled: false });
            expect(evaluate([group], policyConfig("dev"))).to.deep.equal([]);
        });

        it("allows a public function URL when the stack's policy config opts in", () => {
            const url = one(dev, FUNCTION_URL);
            (url.props as Record<string, unknown>).authorizationType = "NONE";
            const config = { ...policyConfig("dev"), "lambda-function-url-auth": { allowPublicFunctionUrl: true } };
            expect(evaluate([url], config)).to.deep.equal([]);
            expect(evaluate([url], policyConfig("dev")).map((v) => v.rule)).to.deep.equal(["lambda-function-url-auth"]);
        });

        it("refuses a stack configured with a public URL unless its policy config opts in", () => {
            const open = publicDev;
            const refused = evaluate(open, policyConfig("dev"));
            expect(refused.map((v) => v.type).sort()).to.deep.equal([
                FUNCTION_URL,
                LAMBDA_PERMISSION,
                LAMBDA_PERMISSION,
            ]);
            expect(refused.every((v) => v.rule === "lambda-function-url-auth")).to.equal(true);
            const optedIn = { ...policyConfig("dev"), "lambda-function-url-auth": { allowPublicFunctionUrl: true } };
            // Its lambda:InvokeFunction for "*" is limited to the URL, so lambda-invoke-not-public has nothing to say.
            expect(
                open
                    .filter((r) => r.type === LAMBDA_PERMISSION)
                    .map((r) => r.props.action)
                    .sort(),
            ).to.deep.equal(["lambda:InvokeFunction", "lambda:InvokeFunctionUrl"]);
            expect(evaluate(open, optedIn)).to.deep.equal([]);
        });

        it("accepts an instance whose metadata service is off", () => {
            const instance = one(dev, EC2_INSTANCE);
            (instance.props as Record<string, unknown>).metadataOptions = {
                httpEndpoint: "disabled",
                httpTokens: "optional",
            };
            expect(evaluate([instance])).to.deep.equal([]);
        });

        it("accepts SSH from a security group (the Instance Connect Endpoint's, or self), and other ports from a CIDR", () => {
            const resources: ResourceUnderTest[] = [
                {
                    type: SECURITY_GROUP_INGRESS_RULE,
                    name: "ssh-from-group",
                    props: { ipProtocol: "tcp", fromPort: 22, toPort: 22, referencedSecurityGroupId: "sg-eice" },
                },
                {
                    type: SECURITY_GROUP_RULE,
                    name: "ssh-from-self",
                    props: { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, self: true },
                },
                {
                    type: SECURITY_GROUP_RULE,
                    name: "ssh-out",
                    props: { type: "egress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/16"] },
                },
                {
                    type: SECURITY_GROUP_INGRESS_RULE,
                    name: "https-from-cidr",
                    props: { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.0.0.0/16" },
                },
                {
                    type: SECURITY_GROUP_INGRESS_RULE,
                    name: "udp-22",
                    props: { ipProtocol: "udp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/16" },
                },
                {
                    type: SECURITY_GROUP,
                    name: "inline-ssh-from-group",
                    props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, securityGroups: ["sg-eice"] }] },
                },
            ];
            expect(evaluate(resources)).to.deep.equal([]);
            const ssh = dev.filter(
                (resource) => resource.type === SECURITY_GROUP_INGRESS_RULE && resource.props.fromPort === 22,
            );
            expect(ssh.map((resource) => resource.name)).to.deep.equal(["redis-dev-client-host-from-instance-connect"]);
        });

        it("accepts narrow CIDRs in either direction, and tells ingress from egress apart", () => {
            const resources: ResourceUnderTest[] = [
                { type: SECURITY_GROUP_INGRESS_RULE, name: "narrow", props: { cidrIpv4: "10.0.0.0/16" } },
                { type: SECURITY_GROUP_EGRESS_RULE, name: "narrow-out", props: { cidrIpv4: "10.0.0.0/16" } },
                {
                    type: SECURITY_GROUP,
                    name: "inline",
                    props: { ingress: [{ cidrBlocks: ["192.0.2.0/24"] }], egress: [{ cidrBlocks: ["10.0.0.0/8"] }] },
                },
            ];
            expect(evaluate(resources)).to.deep.equal([]);
            const egressOnly = evaluate([
                { type: SECURITY_GROUP_RULE, name: "out", props: { type: "egress", cidrBlocks: ["0.0.0.0/0"] } },
            ]);
            expect(egressOnly.map((v) => v.rule)).to.deep.equal(["no-world-egress"]);
        });

        it("accepts invoke permissions for a named principal, and the public URL's own permission when the stack opts in", () => {
            const resources: ResourceUnderTest[] = [
                {
                    type: LAMBDA_PERMISSION,
                    name: "s3",
                    props: { action: "lambda:InvokeFunction", principal: "s3.amazonaws.com" },
                },
                {
                    type: LAMBDA_PERMISSION,
                    name: "url",
                    props: { action: "lambda:InvokeFunction", principal: "*", invokedViaFunctionUrl: true },
                },
            ];
            expect(evaluate(resources, { "lambda-function-url-auth": { allowPublicFunctionUrl: true } })).to.deep.equal(
                [],
            );
        });

        it("does not count values unknown during a preview as violations, but still flags known ones", () => {
            // The policy runtime's own proxy: reading a value computed by another resource throws.
            const proxy = require("@pulumi/policy/proxy") as {
                unknownCheckingProxy(props: object): Record<string, unknown>;
                unknownStringValue: unknown;
                unknownArrayValue: unknown;
            };
            const group = one(dev, REPLICATION_GROUP);
            const lambda = one(dev, LAMBDA_FUNCTION);
            const previewGroup = proxy.unknownCheckingProxy({ ...group.props, authToken: proxy.unknownStringValue });
            const previewLambda = proxy.unknownCheckingProxy({
                ...lambda.props,
                vpcConfig: { subnetIds: proxy.unknownArrayValue, securityGroupIds: proxy.unknownArrayValue },
            });
            expect(() => previewGroup.authToken).to.throw(/can't be known during preview/);
            const resources: ResourceUnderTest[] = [
                { ...group, props: previewGroup },
                { ...lambda, props: previewLambda },
            ];
            expect(evaluate(resources, policyConfig("dev"))).to.deep.equal([]);

            const insecure = proxy.unknownCheckingProxy({
                ...group.props,
                authToken: proxy.unknownStringValue,
                transitEncryptionEnabled: false,
            });
            expect(evaluate([{ ...group, props: insecure }]).map((v) => v.rule)).to.deep.equal([
                "elasticache-transit-encryption",
            ]);
        });
    });

    describe("as @pulumi/policy policies", () => {
        const policies = rules.map(toPolicy);

        function validate(policy: ResourceValidationPolicy, resource: ResourceUnderTest, config: object): string[] {
            const messages: string[] = [];
            const report: ReportViolation = (message) => messages.push(message);
            const args = {
                type: resource.type,
                props: resource.props,
                urn: `urn:pulumi:dev::redis-cluster::${resource.type}::${resource.name}`,
                name: resource.name,
                opts: {
                    protect: resource.options?.protect ?? false,
                    ignoreChanges: [],
                    aliases: [],
                    additionalSecretOutputs: [],
                },
                getConfig: () => config,
            } as unknown as ResourceValidationArgs;
            const validations = policy.validateResource;
            for (const validation of Array.isArray(validations) ? validations : validations ? [validations] : []) {
                void validation(args, report);
            }
            return messages;
        }

        it("are all mandatory, with unique names and a remediation", () => {
            expect(policies.every((policy) => policy.enforcementLevel === "mandatory")).to.equal(true);
            expect(new Set(policies.map((policy) => policy.name)).size).to.equal(policies.length);
            expect(policies.every((policy) => (policy.remediationSteps ?? "").length > 20)).to.equal(true);
        });

        it("report through reportViolation, read args.opts.protect and merge their config over the defaults", () => {
            const group = one(prod, REPLICATION_GROUP);
            const protection = policies.find((policy) => policy.name === "elasticache-deletion-protection")!;
            const unprotected = { ...group, options: { protect: false } };
            expect(validate(protection, unprotected, { requireProtection: true })).to.have.length(1);
            expect(validate(protection, unprotected, {})).to.deep.equal([]);
            expect(validate(protection, group, { requireProtection: true })).to.deep.equal([]);
            const tls = policies.find((policy) => policy.name === "elasticache-transit-encryption")!;
            expect(
                validate(tls, { ...group, props: { ...group.props, transitEncryptionEnabled: false } }, {}),
            ).to.have.length(1);
            expect(validate(tls, one(prod, LAMBDA_FUNCTION), {})).to.deep.equal([]);
        });
    });

    describe("least privilege for Redis (stack rules)", () => {
        /** The two Redis rules' violations only: dev's posture advice is checked on its own below. */
        const redisRuleViolations = (resources: StackResource[], config: Record<string, object>): Violation[] =>
            evaluateStack(resources, config).filter(
                (violation) =>
                    violation.rule.startsWith("redis-") || violation.rule === "lambda-no-admin-redis-password",
            );

        /** dev's resources with the function's environment and its Redis user changed by `change`. */
        function devWith(
            change: (
                env: Record<string, string>,
                functionUser: Record<string, any>,
                users: Record<string, any>[],
            ) => void,
        ): StackResource[] {
            const resources = structuredClone(dev) as ResourceUnderTest[];
            const fn = resources.find((resource) => resource.type === LAMBDA_FUNCTION)!;
            const users = resources
                .filter((resource) => resource.type === ELASTICACHE_USER)
                .map((user) => user.props as Record<string, any>);
            const env = (fn.props as Record<string, any>).environment.variables as Record<string, string>;
            change(
                env,
                users.find((user) => user.userName === env.REDIS_USERNAME)!,
                users,
            );
            return resources;
        }

        it("sees the function's own user and a password that is only the function's in dev", () => {
            const users = dev
                .filter((resource) => resource.type === ELASTICACHE_USER)
                .map((user) => (user.props as Record<string, any>).userName);
            expect(users).to.include("redis-dev-function");
            expect(redisRuleViolations(dev, policyConfig("dev"))).to.deep.equal([]);
        });

        it("lambda-no-admin-redis-password fires when the function holds the operators' password, saying how to fix it", () => {
            const broken = devWith((env, _fn, users) => {
                const operator = users.find((user) => user.userName === "redis-dev-operator")!;
                env.REDIS_PASSWORD = operator.authenticationMode.passwords[0];
            });
            const violations = redisRuleViolations(broken, policyConfig("dev"));
            expect(
                violations.map((v) => v.rule),
                describeViolations(violations),
            ).to.deep.equal(["lambda-no-admin-redis-password"]);
            expect(violations[0].type).to.equal(LAMBDA_FUNCTION);
            expect(violations[0].message).to.match(
                /REDIS_PASSWORD holds a password of Redis user "redis-dev-operator", whose access string grants \+@all/,
            );
            expect(violations[0].message).to.match(/Fix: give the function its own user/);
        });

        it("lambda-no-admin-redis-password fires on authMode token (the shared AUTH token) unless the stack opts in", async () => {
            const token = asPolicyInputs(
                (await evaluateProgramOnce({ stack: "dev", config: { authMode: "token" } })).resources,
            );
            const violations = redisRuleViolations(token, policyConfig("dev"));
            expect(violations.map((v) => v.rule)).to.deep.equal(["lambda-no-admin-redis-password"]);
            expect(violations[0].message).to.match(
                /REDIS_AUTH_TOKEN holds the AUTH token .* Fix: set authMode to rbac or iam/,
            );
            const optedIn = { ...policyConfig("dev"), "lambda-no-admin-redis-password": { allowAuthToken: true } };
            expect(redisRuleViolations(token, optedIn)).to.deep.equal([]);
        });

        for (const grant of ["+@all", "allcommands", "+@dangerous"]) {
            it(`redis-function-user-least-privilege fires on a function user granted ${grant}, saying how to fix it`, () => {
                const broken = devWith((_env, functionUser) => (functionUser.accessString = `on ~* ${grant}`));
                const violations = redisRuleViolations(broken, policyConfig("dev"));
                expect(
                    violations.map((v) => v.rule),
                    describeViolations(violations),
                ).to.include("redis-function-user-least-privilege");
                const violation = violations.find((v) => v.rule === "redis-function-user-least-privilege")!;
                expect(violation.type).to.equal(ELASTICACHE_USER);
                expect(violation.message).to.include(`grants ${grant}`);
                expect(violation.message).to.match(/Fix: grant only the commands the handler sends/);
            });
        }

        it("finds nothing wrong with authMode iam: an IAM function user and no password in the function", async () => {
            const iam = asPolicyInputs(
                (await evaluateProgramOnce({ stack: "dev", config: { authMode: "iam", engineVersion: "7.1" } }))
                    .resources,
            );
            expect(redisRuleViolations(iam, policyConfig("dev"))).to.deep.equal([]);
        });

        it("covers every stack rule with a firing fixture, and reports through @pulumi/policy with the resource's urn", () => {
            expect(stackRules.map((rule) => rule.name).sort()).to.deep.equal([
                "lambda-no-admin-redis-password",
                "protected-stack-posture",
                "redis-function-user-least-privilege",
                "stack-posture-advisory",
            ]);
            const broken = devWith((_env, functionUser) => (functionUser.accessString = "on ~* +@all"));
            const policy = toStackPolicy(
                stackRules.find((rule) => rule.name === "redis-function-user-least-privilege")!,
            );
            const reported: Array<[string, string | undefined]> = [];
            void policy.validateStack(
                {
                    resources: broken.map((resource) => ({ ...resource, urn: `urn:${resource.name}` })),
                    getConfig: () => ({}),
                } as never,
                (message, urn) => reported.push([message, urn]),
            );
            expect(reported).to.have.length(1);
            expect(reported[0][1]).to.equal("urn:redis-dev-function-user");
            expect(policy.enforcementLevel).to.equal("mandatory");
        });
    });

    describe("production posture (stack rules): reserved concurrency and keyed log groups", () => {
        /** prod's resources with the function's reservation and the log groups' key changed by `change`. */
        function prodWith(
            change: (fn: Record<string, any>, logGroups: Record<string, any>[]) => void,
        ): StackResource[] {
            const resources = structuredClone(prod) as ResourceUnderTest[];
            change(
                resources.find((resource) => resource.type === LAMBDA_FUNCTION)!.props as Record<string, any>,
                resources.filter((resource) => resource.type === LOG_GROUP).map((group) => group.props),
            );
            return resources;
        }

        it("sees prod's function reserved and both its log groups keyed: nothing to report", () => {
            expect(one(prod, LAMBDA_FUNCTION).props.reservedConcurrentExecutions).to.equal(100);
            const groups = prod.filter((resource) => resource.type === LOG_GROUP);
            expect(groups).to.have.length(2);
            for (const group of groups) expect(group.props.kmsKeyId, group.name).to.be.a("string").and.not.equal("");
            expect(evaluateStack(prod, policyConfig("prod"))).to.deep.equal([]);
        });

        it("protected-stack-posture is mandatory on a protected stack without a reservation, saying how to fix it", () => {
            const violations = evaluateStack(
                prodWith((fn) => delete fn.reservedConcurrentExecutions),
                policyConfig("prod"),
            );
            expect(violations.map((v) => `${v.rule} ${v.level} ${v.name}`)).to.deep.equal([
                "protected-stack-posture mandatory redis-prod-function",
            ]);
            expect(violations[0].message).to.match(/Fix: set redis-cluster:functionConcurrency/);
        });

        it("protected-stack-posture fires on each log group of a protected stack without a key, and on a reservation of 0", () => {
            const violations = evaluateStack(
                prodWith((fn, groups) => {
                    fn.reservedConcurrentExecutions = 0;
                    for (const group of groups) delete group.kmsKeyId;
                }),
                policyConfig("prod"),
            );
            expect(violations.map((v) => `${v.rule} ${v.level} ${v.name}`).sort()).to.deep.equal([
                "protected-stack-posture mandatory redis-prod-function",
                "protected-stack-posture mandatory redis-prod-function-logs",
                "protected-stack-posture mandatory redis-prod-slow-log",
            ]);
            const logMessage = violations.find((v) => v.name === "redis-prod-slow-log")!.message;
            expect(logMessage).to.match(/Fix: set redis-cluster:logEncryption to kms/);
        });

        it("only advises the same on a stack whose replication group is not protected", () => {
            const resources = prodWith((fn) => delete fn.reservedConcurrentExecutions) as ResourceUnderTest[];
            const group = resources.find((resource) => resource.type === REPLICATION_GROUP)!;
            (group as { options: object }).options = { protect: false };
            expect(evaluateStack(resources, policyConfig("prod")).map((v) => `${v.rule} ${v.level}`)).to.deep.equal([
                "stack-posture-advisory advisory",
            ]);
        });

        it("does not count a key unknown during a preview as missing", () => {
            const proxy = require("@pulumi/policy/proxy") as {
                unknownCheckingProxy(props: object): Record<string, unknown>;
                unknownStringValue: unknown;
            };
            const resources = (structuredClone(prod) as ResourceUnderTest[]).map((resource) =>
                resource.type === LOG_GROUP
                    ? {
                          ...resource,
                          props: proxy.unknownCheckingProxy({ ...resource.props, kmsKeyId: proxy.unknownStringValue }),
                      }
                    : resource,
            );
            expect(() => resources.find((resource) => resource.type === LOG_GROUP)!.props.kmsKeyId).to.throw(
                /can't be known during preview/,
            );
            expect(evaluateStack(resources, policyConfig("prod"))).to.deep.equal([]);
        });

        it("report through @pulumi/policy at their own level, reading each resource's protect option", () => {
            const posture = ["protected-stack-posture", "stack-posture-advisory"].map((name) =>
                toStackPolicy(stackRules.find((rule) => rule.name === name)!),
            );
            expect(posture.map((policy) => policy.enforcementLevel)).to.deep.equal(["mandatory", "advisory"]);
            const broken = prodWith((fn) => delete fn.reservedConcurrentExecutions);
            const reported = posture.map((policy) => {
                const urns: Array<string | undefined> = [];
                void policy.validateStack(
                    {
                        resources: broken.map((resource) => ({
                            ...resource,
                            urn: `urn:${resource.name}`,
                            opts: { protect: resource.options?.protect ?? false },
                        })),
                        getConfig: () => ({}),
                    } as never,
                    (_message, urn) => urns.push(urn),
                );
                return urns;
            });
            expect(reported).to.deep.equal([["urn:redis-prod-function"], []]);
        });
    });

    describe("per-stack policy config files (for --policy-pack-config)", () => {
        for (const stack of ["dev", "prod"]) {
            it(`${stack}.json names only real policies and settings their schema declares`, () => {
                const raw = JSON.parse(
                    fs.readFileSync(path.join(POLICY_DIR, "config", `${stack}.json`), "utf8"),
                ) as Record<string, unknown>;
                expect(raw.all).to.equal("mandatory");
                for (const [policyName, settings] of Object.entries(raw)) {
                    if (policyName === "all") continue;
                    const rule = [...rules, ...stackRules].find((candidate) => candidate.name === policyName);
                    expect(rule, `policy ${policyName}`).to.not.equal(undefined);
                    for (const [key, value] of Object.entries(settings as Record<string, unknown>)) {
                        // The CLI reads a policy's own level here, over "all"; only the advisory rule keeps one.
                        if (key === "enforcementLevel") {
                            expect(value, policyName).to.equal(
                                rule!.name === "stack-posture-advisory" ? "advisory" : "mandatory",
                            );
                            continue;
                        }
                        const schema = rule!.configSchema?.properties[key];
                        expect(schema, `${policyName}.${key} in the schema`).to.not.equal(undefined);
                        expect(typeof value).to.equal((schema as { type: string }).type);
                    }
                }
            });
        }

        it("require protection in prod only, and keep function URLs private in both", () => {
            expect(policyConfig("prod")["elasticache-deletion-protection"]).to.deep.equal({ requireProtection: true });
            expect(policyConfig("dev")["elasticache-deletion-protection"]).to.deep.equal({ requireProtection: false });
            for (const stack of ["dev", "prod"]) {
                expect(policyConfig(stack)["lambda-function-url-auth"]).to.deep.equal({
                    allowPublicFunctionUrl: false,
                });
            }
        });
    });
});
