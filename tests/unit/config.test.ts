import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigurationError } from "../../config/settings";
import { CONFIG_KEYS, DEFAULTS } from "../../config/keys";
import { validateSettings } from "../../config/validate";
import { HASH_SLOTS, nodesPerZone, placeShards, slotRanges } from "../../config/placement";
import { parseIpv4Cidr } from "../../config/cidr";
import { resourcePrefix } from "../../config/naming";

/** The single problem a configuration has; fails when it has none or several. */
function problemOf(raw: Record<string, unknown>, region?: string): string {
    const result = validateSettings(raw, { region });
    expect(result.settings, "settings must be withheld when there is a problem").to.equal(undefined);
    expect(result.problems).to.have.length(1, result.problems.join("\n"));
    return result.problems[0];
}

describe("configuration validation (pure, no mocks)", () => {
    it("applies the tutorial's defaults with secure settings when nothing is set", () => {
        const { settings, problems } = validateSettings({});
        expect(problems).to.deep.equal([]);
        expect(settings).to.deep.include({
            numNodeGroups: 1,
            replicaCount: 1,
            nodeType: "cache.t4g.micro",
            engine: "redis",
            engineVersion: "6.2",
            parameterGroupName: "default.redis6.x.cluster.on",
            port: 6379,
            availabilityZoneCount: 2,
            shardPlacement: "auto",
            vpcCidr: "10.0.0.0/16",
            subnetPrefixLength: 20,
            transitEncryption: true,
            authMode: "rbac",
            passwordVersion: 1,
            passwordRotation: "none",
            clientHost: true,
            clientAccess: "instance-connect",
            functionUrlAuthType: "AWS_IAM",
            protect: false,
            snapshotRetentionDays: 1,
            applyImmediately: true,
            monitoring: true,
            alarmEmail: undefined,
            alarmThresholds: {
                engineCpuPercent: 90,
                memoryPercent: 80,
                evictions: 1,
                replicationLagSeconds: 10,
                connections: 52000,
                functionErrors: 1,
                functionDurationPercent: 80,
            },
        });
    });

    it("takes clientAccess as exactly ssm or instance-connect; empty (Pulumi.yaml's default) means instance-connect", () => {
        expect(validateSettings({ clientAccess: "ssm" }).settings?.clientAccess).to.equal("ssm");
        expect(validateSettings({ clientAccess: "instance-connect" }).settings?.clientAccess).to.equal(
            "instance-connect",
        );
        expect(validateSettings({ clientAccess: "" }).settings?.clientAccess).to.equal("instance-connect");
        expect(validateSettings({ clientAccess: "ssm" }).warnings).to.deep.equal([]);
    });

    it("ignores clientAccess with a warning when there is no client host, and only when it is set", () => {
        const set = validateSettings({ clientHost: "false", clientAccess: "ssm" });
        expect(set.problems).to.deep.equal([]);
        expect(set.warnings).to.deep.equal([
            "clientAccess: ssm is ignored because clientHost is false: there is no host to reach",
        ]);
        expect(validateSettings({ clientHost: "false", clientAccess: "" }).warnings).to.deep.equal([]);
        expect(validateSettings({ clientHost: "false" }).warnings).to.deep.equal([]);
    });

    it("accepts authMode iam from redis 7.0 and on every valkey version; without TLS, no authentication", () => {
        expect(validateSettings({ authMode: "iam", engineVersion: "7.0" }).settings?.authMode).to.equal("iam");
        for (const engineVersion of ["7.2", "8.0", "8.1"]) {
            expect(validateSettings({ authMode: "iam", engine: "valkey", engineVersion }).settings?.authMode).to.equal(
                "iam",
            );
        }
        expect(validateSettings({ transitEncryption: "false" }).settings?.authMode).to.equal("none");
    });

    it("reads values as Pulumi passes them (strings) and as YAML files hold them (numbers, booleans)", () => {
        const fromPulumi = validateSettings({
            numNodeGroups: "3",
            replicaCount: "2",
            transitEncryption: "false",
            port: "6380",
        });
        const fromYaml = validateSettings({ numNodeGroups: 3, replicaCount: 2, transitEncryption: false, port: 6380 });
        expect(fromPulumi.settings).to.deep.equal(fromYaml.settings);
        expect(fromPulumi.settings).to.deep.include({
            numNodeGroups: 3,
            replicaCount: 2,
            transitEncryption: false,
            port: 6380,
        });
    });

    it("derives the cluster-mode parameter group from engine and version", () => {
        const derived = (raw: Record<string, unknown>) => validateSettings(raw).settings?.parameterGroupName;
        expect(derived({ engineVersion: "6.0" })).to.equal("default.redis6.x.cluster.on");
        expect(derived({ engineVersion: "7.1" })).to.equal("default.redis7.cluster.on");
        expect(derived({ engineVersion: 7.0 })).to.equal("default.redis7.cluster.on");
        expect(derived({ engine: "valkey" })).to.equal("default.valkey8.cluster.on");
        expect(derived({ engine: "valkey", engineVersion: "7.2" })).to.equal("default.valkey7.cluster.on");
    });

    const badConfigs: Array<[string, Record<string, unknown>, RegExp, string?]> = [
        ["numNodeGroups below 1", { numNodeGroups: "0" }, /^numNodeGroups: 0 is out of range; allowed 1–500 shards$/],
        ["numNodeGroups above 500", { numNodeGroups: "501" }, /^numNodeGroups: 501 is out of range; allowed 1–500/],
        [
            "numNodeGroups not a number",
            { numNodeGroups: "three" },
            /^numNodeGroups: "three" is not a whole number; allowed 1–500/,
        ],
        ["numNodeGroups fractional", { numNodeGroups: "1.5" }, /^numNodeGroups: "1.5" is not a whole number/],
        [
            "replicaCount above 5",
            { replicaCount: "6" },
            /^replicaCount: 6 is out of range; allowed 0–5 replicas per shard$/,
        ],
        ["replicaCount negative", { replicaCount: "-1" }, /^replicaCount: -1 is out of range; allowed 0–5/],
        [
            "more than 500 nodes",
            { numNodeGroups: "100", replicaCount: "5" },
            /numNodeGroups × \(replicaCount \+ 1\): 100 × 6 = 600 nodes .* allowed at most 500 nodes/,
        ],
        [
            "nodeType not cache.<family>.<size>",
            { nodeType: "t4g.micro" },
            /^nodeType: "t4g.micro" is not valid; allowed a cache.<family>.<size>/,
        ],
        ["engine unknown", { engine: "memcached" }, /^engine: "memcached" is not allowed; allowed redis, valkey$/],
        [
            "engineVersion not offered",
            { engineVersion: "6.3" },
            /^engineVersion: "6.3" is not offered for engine redis; allowed 5.0.6, 6.0, 6.2, 7.0, 7.1$/,
        ],
        [
            "engineVersion of another engine",
            { engine: "valkey", engineVersion: "6.2" },
            /^engineVersion: "6.2" is not offered for engine valkey; allowed 7.2, 8.0, 8.1$/,
        ],
        [
            "parameter group without cluster mode",
            { engineVersion: "6.2", parameterGroupName: "default.redis6.x" },
            /^parameterGroupName: "default.redis6.x" does not have cluster mode on; allowed "default.redis6.x.cluster.on"/,
        ],
        [
            "parameter group of another family",
            { engineVersion: "6.2", parameterGroupName: "default.redis7.cluster.on" },
            /^parameterGroupName: "default.redis7.cluster.on" is not of the parameter group family of redis 6.2; allowed "default.redis6.x.cluster.on"/,
        ],
        [
            "parameter group name malformed",
            { parameterGroupName: "9-bad--name" },
            /^parameterGroupName: "9-bad--name" is not a valid parameter group name/,
        ],
        ["port privileged", { port: "80" }, /^port: 80 is out of range; allowed 1024–65535$/],
        ["port above 65535", { port: "70000" }, /^port: 70000 is out of range/],
        [
            "availabilityZoneCount 1",
            { availabilityZoneCount: "1" },
            /^availabilityZoneCount: 1 is out of range; allowed 2–6 availability zones$/,
        ],
        ["availabilityZoneCount 7", { availabilityZoneCount: "7" }, /^availabilityZoneCount: 7 is out of range/],
        [
            "more AZs than the region has",
            { availabilityZoneCount: "3" },
            /^availabilityZoneCount: 3 is more than region us-west-1 offers; allowed 2–2 there$/,
            "us-west-1",
        ],
        [
            "shardPlacement unknown",
            { shardPlacement: "even" },
            /^shardPlacement: "even" is not allowed; allowed spread, auto$/,
        ],
        [
            "vpcCidr too large",
            { vpcCidr: "10.0.0.0/8" },
            /^vpcCidr: 10.0.0.0\/8 has a \/8 prefix; allowed \/16 to \/24/,
        ],
        [
            "vpcCidr too small",
            { vpcCidr: "10.0.0.0/25" },
            /^vpcCidr: 10.0.0.0\/25 has a \/25 prefix; allowed \/16 to \/24/,
        ],
        [
            "vpcCidr with host bits",
            { vpcCidr: "10.0.0.1/16" },
            /^vpcCidr: "10.0.0.1\/16" is not an IPv4 network .*did you mean 10.0.0.0\/16\?/,
        ],
        [
            "vpcCidr not a CIDR",
            { vpcCidr: "banana" },
            /^vpcCidr: "banana" is not an IPv4 network in CIDR notation; allowed/,
        ],
        [
            "vpcCidr too small for the nodes",
            { vpcCidr: "10.0.0.0/24", availabilityZoneCount: "2", numNodeGroups: "120", replicaCount: "1" },
            /^vpcCidr: 10.0.0.0\/24 gives each of 2 AZs a \/25 subnet with room for 115 nodes, but 120 nodes go to one AZ/,
        ],
        [
            "transitEncryption not a boolean",
            { transitEncryption: "yes" },
            /^transitEncryption: "yes" is not a boolean; allowed true or false$/,
        ],
        ["authMode unknown", { authMode: "acl" }, /^authMode: "acl" is not allowed; allowed rbac, iam, token$/],
        [
            "authMode iam on redis 6.2",
            { authMode: "iam", engineVersion: "6.2" },
            /^authMode: iam needs redis 7.0 or later, but engineVersion is "6.2"; allowed engineVersion 7.0, 7.1 for redis \(or engine valkey\), or authMode rbac or token$/,
        ],
        [
            "authMode rbac on redis 5.0.6 (no RBAC)",
            { engineVersion: "5.0.6" },
            /^authMode: rbac needs redis 6.0 or later, but engineVersion is "5.0.6"; allowed engineVersion 6.0, 6.2, 7.0, 7.1 for redis \(or engine valkey\), or authMode token$/,
        ],
        [
            "authMode without TLS",
            { authMode: "iam", transitEncryption: "false" },
            /^authMode: iam needs transitEncryption: true .*allowed: set transitEncryption to true, or leave authMode unset/,
        ],
        ["passwordVersion 0", { passwordVersion: "0" }, /^passwordVersion: 0 is out of range; allowed 1–9999$/],
        [
            "passwordRotation unknown",
            { passwordRotation: "rotate" },
            /^passwordRotation: "rotate" is not allowed; allowed none, add-next, use-next$/,
        ],
        ["clientHost not a boolean", { clientHost: "1" }, /^clientHost: "1" is not a boolean; allowed true or false$/],
        [
            "clientAccess unknown",
            { clientAccess: "ssh" },
            /^clientAccess: "ssh" is not allowed; allowed ssm, instance-connect$/,
        ],
        [
            "clientAccess in another case",
            { clientAccess: "SSM" },
            /^clientAccess: "SSM" is not allowed; allowed ssm, instance-connect$/,
        ],
        [
            "clientAccess bad even without a host",
            { clientHost: "false", clientAccess: "eice" },
            /^clientAccess: "eice" is not allowed; allowed ssm, instance-connect$/,
        ],
        [
            "functionUrlAuthType unknown",
            { functionUrlAuthType: "PUBLIC" },
            /^functionUrlAuthType: "PUBLIC" is not allowed; allowed AWS_IAM, NONE$/,
        ],
        [
            "durableWrites not a boolean",
            { durableWrites: "wait" },
            /^durableWrites: "wait" is not a boolean; allowed true or false$/,
        ],
        ["protect not a boolean", { protect: "always" }, /^protect: "always" is not a boolean/],
        [
            "snapshotRetentionDays above 35",
            { snapshotRetentionDays: "36" },
            /^snapshotRetentionDays: 36 is out of range; allowed 0–35 days$/,
        ],
        [
            "logRetentionDays not a CloudWatch value",
            { logRetentionDays: "10" },
            /^logRetentionDays: "10" is not allowed; allowed 1, 3, 5, 7, 14, 30/,
        ],
        [
            "monitoring not a boolean",
            { monitoring: "on" },
            /^monitoring: "on" is not a boolean; allowed true or false$/,
        ],
        [
            "alarmEmail not an address",
            { alarmEmail: "oncall" },
            /^alarmEmail: "oncall" is not valid; allowed one e-mail address such as oncall@example.com, or empty for no subscription$/,
        ],
        [
            "alarmEmail with two addresses",
            { alarmEmail: "a@example.com,b@example.com" },
            /^alarmEmail: "a@example.com,b@example.com" is not valid; allowed one e-mail address/,
        ],
        [
            "alarmEngineCpuPercent above 100",
            { alarmEngineCpuPercent: "101" },
            /^alarmEngineCpuPercent: 101 is out of range; allowed 1–100 percent$/,
        ],
        [
            "alarmMemoryPercent 0",
            { alarmMemoryPercent: "0" },
            /^alarmMemoryPercent: 0 is out of range; allowed 1–100 percent$/,
        ],
        [
            "alarmEvictions 0",
            { alarmEvictions: "0" },
            /^alarmEvictions: 0 is out of range; allowed 1–1000000000 evictions in 5 minutes$/,
        ],
        [
            "alarmReplicationLagSeconds fractional",
            { alarmReplicationLagSeconds: "0.5" },
            /^alarmReplicationLagSeconds: "0.5" is not a whole number; allowed 1–3600 seconds$/,
        ],
        [
            "alarmConnections above maxclients",
            { alarmConnections: "65001" },
            /^alarmConnections: 65001 is out of range; allowed 1–65000 connections \(ElastiCache's fixed maxclients is 65000\)$/,
        ],
        [
            "alarmFunctionErrors 0",
            { alarmFunctionErrors: "0" },
            /^alarmFunctionErrors: 0 is out of range; allowed 1–1000000 errors in 5 minutes$/,
        ],
        [
            "alarmFunctionDurationPercent below 10",
            { alarmFunctionDurationPercent: "5" },
            /^alarmFunctionDurationPercent: 5 is out of range; allowed 10–100 percent of the function's timeout$/,
        ],
    ];
    for (const [label, raw, message, region] of badConfigs) {
        it(`refuses ${label}, naming the key, the value and what is allowed`, () => {
            expect(problemOf(raw, region)).to.match(message);
        });
    }

    it("reports every problem at once", () => {
        const result = validateSettings({
            numNodeGroups: "0",
            replicaCount: "9",
            port: "1",
            functionUrlAuthType: "none",
        });
        expect(result.settings).to.equal(undefined);
        expect(result.problems.map((problem) => problem.split(":")[0])).to.deep.equal([
            "numNodeGroups",
            "replicaCount",
            "port",
            "functionUrlAuthType",
        ]);
        const error = new ConfigurationError(result.problems);
        expect(error.message).to.match(/^Invalid stack configuration \(4 problems\):\n {2}- numNodeGroups/);
    });

    it("accepts the limits themselves", () => {
        const largest = validateSettings({
            numNodeGroups: "500",
            replicaCount: "0",
            port: "65535",
            availabilityZoneCount: "6",
            vpcCidr: "10.1.0.0/16",
        });
        expect(largest.problems).to.deep.equal([]);
        expect(largest.settings?.subnetPrefixLength).to.equal(20);
        const smallest = validateSettings({
            numNodeGroups: "1",
            port: "1024",
            availabilityZoneCount: "6",
            vpcCidr: "192.168.7.0/24",
        });
        expect(smallest.problems).to.deep.equal([]);
        expect(smallest.settings?.subnetPrefixLength).to.equal(27);
    });

    it("warns, without refusing, about a public URL, no TLS, the default node quota and unknown keys", () => {
        const { settings, warnings } = validateSettings({
            functionUrlAuthType: "NONE",
            transitEncryption: "false",
            numNodeGroups: "50",
            replicaCount: "1",
            replicasCount: "2",
        });
        expect(settings).to.not.equal(undefined);
        expect(warnings.join("\n")).to.match(/functionUrlAuthType: NONE makes the function URL public/);
        expect(warnings.join("\n")).to.match(/transitEncryption: false turns off TLS and the AUTH token/);
        expect(warnings.join("\n")).to.match(/100 nodes exceed ElastiCache's default quota of 90/);
        expect(warnings.join("\n")).to.match(/replicasCount: unknown configuration key/);
    });

    it("warns about what a later `pulumi up` cannot undo: snapshots off at creation, spread placement", () => {
        const defaults = validateSettings({});
        expect(defaults.warnings).to.deep.equal([]);
        const risky = validateSettings({ snapshotRetentionDays: "0", shardPlacement: "spread" });
        expect(risky.settings).to.not.equal(undefined);
        expect(risky.warnings.join("\n")).to.match(
            /snapshotRetentionDays: 0 turns automatic snapshots off, and turning them on later by config fails/,
        );
        expect(risky.warnings.join("\n")).to.match(
            /shardPlacement: spread fixes the node placement: a later numNodeGroups or replicaCount change replaces/,
        );
    });

    it("reads applyImmediately as a boolean and names the key when it is not one", () => {
        expect(validateSettings({ applyImmediately: "false" }).settings?.applyImmediately).to.equal(false);
        expect(validateSettings({ applyImmediately: "later" }).problems).to.deep.equal([
            'applyImmediately: "later" is not a boolean; allowed true or false',
        ]);
    });

    it("warns that an alarm e-mail address is ignored when monitoring is off", () => {
        const { settings, warnings } = validateSettings({ monitoring: "false", alarmEmail: "oncall@example.com" });
        expect(settings?.monitoring).to.equal(false);
        expect(warnings.join("\n")).to.match(/alarmEmail: oncall@example.com is ignored with monitoring: false/);
    });

    it("derives the defaults from the declarations, each passing its own key's validation", () => {
        expect(Object.keys(DEFAULTS)).to.deep.equal(CONFIG_KEYS);
        const asDeclared = validateSettings(DEFAULTS);
        expect(asDeclared.problems).to.deep.equal([]);
        expect(asDeclared.settings).to.deep.equal(validateSettings({}).settings);
        // Optional and derived keys declare "": the settings hold what it means.
        expect(asDeclared.settings?.alarmEmail).to.equal(undefined);
        expect(asDeclared.settings?.clientAccess).to.equal("instance-connect");
        expect(asDeclared.settings?.alarmThresholds.connections).to.equal(DEFAULTS.alarmConnections);
        expect(asDeclared.settings).to.not.have.property("alarmConnections");
    });

    it("declares every key in Pulumi.yaml with the default the code applies", () => {
        const project = parse(fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), "utf8"));
        expect(Object.keys(project.config).sort()).to.deep.equal([...CONFIG_KEYS].sort());
        for (const [key, value] of Object.entries(DEFAULTS)) {
            expect(project.config[key].default, key).to.equal(value);
            expect(project.config[key].description, key).to.be.a("string").and.not.empty;
        }
        // "" = derived from the engine: the CLI hands the program "" when a stack sets no version (see cliConfigMerge).
        expect(project.config.engineVersion.default).to.equal("");
        expect(project.config.parameterGroupName.default).to.equal("");
        // "" = instance-connect where there is a host, so that a value the program ignores (no host) can be told apart.
        expect(project.config.clientAccess.default).to.equal("");
        expect(validateSettings({ engineVersion: "" }).settings).to.deep.equal(validateSettings({}).settings);
    });
});

describe("shard placement", () => {
    it("never puts a shard's primary and its replicas in one AZ when there are enough AZs", () => {
        for (const [shards, replicas, zones] of [
            [1, 1, 2],
            [3, 2, 3],
            [5, 1, 2],
            [4, 5, 6],
        ]) {
            for (const shard of placeShards(shards, replicas, zones)) {
                const used = [shard.primaryZone, ...shard.replicaZones];
                expect(new Set(used).size, `${shards}x${replicas} in ${zones} AZs`).to.equal(
                    Math.min(used.length, zones),
                );
            }
        }
    });

    it("spreads primaries and nodes evenly and names node groups as ElastiCache does", () => {
        const placement = placeShards(3, 2, 3);
        expect(placement.map((shard) => shard.nodeGroupId)).to.deep.equal(["0001", "0002", "0003"]);
        expect(placement.map((shard) => shard.primaryZone)).to.deep.equal([0, 1, 2]);
        expect(nodesPerZone(3, 2, 3)).to.deep.equal([3, 3, 3]);
        expect(nodesPerZone(2, 1, 2)).to.deep.equal([2, 2]);
    });

    it("splits the 16384 hash slots into contiguous ranges that differ in size by at most one", () => {
        expect(slotRanges(1)).to.deep.equal(["0-16383"]);
        expect(slotRanges(2)).to.deep.equal(["0-8191", "8192-16383"]);
        for (const shards of [1, 3, 7, 90, 500]) {
            const ranges = slotRanges(shards).map((range) => range.split("-").map(Number));
            expect(ranges[0][0], `${shards} shards`).to.equal(0);
            expect(ranges[ranges.length - 1][1], `${shards} shards`).to.equal(HASH_SLOTS - 1);
            ranges
                .slice(1)
                .forEach(([first], index) => expect(first, `${shards} shards`).to.equal(ranges[index][1] + 1));
            const sizes = ranges.map(([first, last]) => last - first + 1);
            expect(Math.max(...sizes) - Math.min(...sizes), `${shards} shards`).to.be.at.most(1);
        }
        expect(placeShards(3, 1, 2).map((shard) => shard.slots)).to.deep.equal(slotRanges(3));
    });
});

describe("CIDR parsing", () => {
    it("accepts network addresses and refuses host bits and malformed text", () => {
        expect(parseIpv4Cidr("10.0.0.0/16")).to.deep.equal({ network: 10 * 2 ** 24, prefixLength: 16 });
        expect(parseIpv4Cidr("10.0.0.1/16")).to.equal(undefined);
        expect(parseIpv4Cidr("256.0.0.0/16")).to.equal(undefined);
        expect(parseIpv4Cidr("10.0.0.0/33")).to.equal(undefined);
        expect(parseIpv4Cidr("10.0.0/16")).to.equal(undefined);
    });
});

describe("resource names", () => {
    it("fold any stack name into what auto-named ElastiCache ids accept, within 40 characters with Pulumi's suffix", () => {
        expect(resourcePrefix("dev")).to.equal("redis-dev");
        expect(resourcePrefix("Team_A.Production-EU-West")).to.equal("redis-team-a-productio");
        expect(resourcePrefix("___")).to.equal("redis-stack");
        for (const stack of ["dev", "Team_A.Production-EU-West", "a--b", "x".repeat(100), "-lead-"]) {
            const cacheId = `${resourcePrefix(stack)}-cache-1234567`;
            expect(cacheId, stack).to.match(/^[a-z](?:[a-z0-9]|-(?!-))*[a-z0-9]$/);
            expect(cacheId.length, stack).to.be.at.most(40);
        }
    });
});

describe("engine versions in paid Extended Support", () => {
    const warningsOn = (raw: Record<string, unknown>, today: string) =>
        validateSettings(raw, { today: new Date(`${today}T12:00:00Z`) }).warnings.filter((w) =>
            w.startsWith("engineVersion:"),
        );

    it("warns for Redis OSS 6.x from 180 days before its standard support ends, naming the surcharge and the way out", () => {
        expect(warningsOn({ engineVersion: "6.2" }, "2026-07-01")).to.deep.equal([]);
        const [before] = warningsOn({ engineVersion: "6.2" }, "2026-11-30");
        expect(before).to.match(
            /^engineVersion: redis 6\.2 leaves ElastiCache standard support on 2027-01-31; from 2027-02-01 AWS bills Extended Support/,
        );
        expect(before).to.contain("+80 % of the on-demand price in years 1–2, +160 % in year 3");
        expect(before).to.match(
            /Way out: upgrade in place to a version in standard support \(engineVersion 7\.1, or engine valkey/,
        );
        const [after] = warningsOn({ engineVersion: "6.0" }, "2027-03-01");
        expect(after).to.match(
            /^engineVersion: redis 6\.0 has been out of ElastiCache standard support since 2027-01-31; since 2027-02-01 AWS bills/,
        );
    });

    it("warns for Redis OSS 5.0.6, already in Extended Support", () => {
        expect(warningsOn({ engineVersion: "5.0.6" }, "2026-11-30")).to.have.length(1);
    });

    it("warns for the default (the tutorial's 6.2) as for 6.2 set explicitly", () => {
        expect(warningsOn({}, "2026-11-30"))
            .to.deep.equal(warningsOn({ engineVersion: "6.2" }, "2026-11-30"))
            .and.have.length(1);
    });

    it("does not warn for Redis OSS 7.x or Valkey, nor without a date (validation stays pure)", () => {
        for (const raw of [
            { engineVersion: "7.0" },
            { engineVersion: "7.1" },
            { engine: "valkey" },
            { engine: "valkey", engineVersion: "7.2" },
        ]) {
            expect(warningsOn(raw, "2026-11-30"), JSON.stringify(raw)).to.deep.equal([]);
        }
        expect(validateSettings({ engineVersion: "6.2" }).warnings).to.deep.equal([]);
    });
});
