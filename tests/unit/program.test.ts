import { expect } from "chai";
import { onlyResourceOfType, ProgramRun, resourcesOfType } from "../../twin/program/evaluateProgram";
import { evaluateProgramOnce } from "../../twin/program/evaluationCache";
import { MOCK_AMI_ID } from "../../twin/program/mocks";
import { unwrapSecret } from "../../twin/program/secrets";

const T = {
    vpc: "awsx:ec2:Vpc",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    subnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    password: "random:index/randomPassword:RandomPassword",
    user: "aws:elasticache/user:User",
    userGroup: "aws:elasticache/userGroup:UserGroup",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    instance: "aws:ec2/instance:Instance",
    function: "aws:lambda/function:Function",
    functionUrl: "aws:lambda/functionUrl:FunctionUrl",
    permission: "aws:lambda/permission:Permission",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    instanceConnectEndpoint: "aws:ec2transitgateway/instanceConnectEndpoint:InstanceConnectEndpoint",
} as const;

/** Every rule, inline or standalone, that lets TCP port 22 in: "<rule> <source>". */
function sshIngress(run: ProgramRun): string[] {
    return resourcesOfType(run, T.ingress)
        .filter((rule) => rule.inputs.ipProtocol === "-1" || (rule.inputs.fromPort <= 22 && 22 <= rule.inputs.toPort))
        .map(
            (rule) =>
                `${rule.name} ${rule.inputs.referencedSecurityGroupId ?? rule.inputs.cidrIpv4 ?? rule.inputs.cidrIpv6 ?? rule.inputs.prefixListId}`,
        );
}

function securityGroupNamed(run: ProgramRun, suffix: string): string {
    const group = resourcesOfType(run, T.securityGroup).find((resource) => resource.name.endsWith(suffix));
    if (!group) throw new Error(`no security group named *${suffix}`);
    return group.id;
}

describe("the program under mocks: dev stack (the tutorial's shape)", function () {
    this.timeout(60_000);
    let run: ProgramRun;
    before(async () => {
        run = await evaluateProgramOnce({ stack: "dev" });
    });

    it("builds an isolated-only VPC across the configured AZs with no NAT", () => {
        const vpc = onlyResourceOfType(run, T.vpc);
        expect(vpc.inputs).to.deep.include({
            cidrBlock: "10.0.0.0/16",
            numberOfAvailabilityZones: 2,
            subnetStrategy: "Auto",
        });
        expect(vpc.inputs.natGateways).to.deep.equal({ strategy: "None" });
        expect(vpc.inputs.subnetSpecs).to.deep.equal([{ type: "Isolated", name: "isolated", cidrMask: 20 }]);
        expect(vpc.inputs).to.not.have.property("availabilityZoneNames");
    });

    it("creates a cluster-mode replication group with the stack's shards and replicas", () => {
        const group = onlyResourceOfType(run, T.replicationGroup);
        expect(group.inputs).to.deep.include({
            clusterMode: "enabled",
            numNodeGroups: 1,
            replicasPerNodeGroup: 1,
            engine: "redis",
            engineVersion: "6.2",
            parameterGroupName: "default.redis6.x.cluster.on",
            nodeType: "cache.t4g.micro",
            port: 6379,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            transitEncryptionEnabled: true,
            atRestEncryptionEnabled: true,
        });
    });

    it("leaves node placement to ElastiCache (auto), so shard and replica changes reshard in place", () => {
        const group = onlyResourceOfType(run, T.replicationGroup);
        expect(group.inputs).to.not.have.property("nodeGroupConfigurations");
        expect(group.inputs).to.deep.include({ applyImmediately: true, snapshotRetentionLimit: 1 });
    });

    it("authenticates with a user group (RBAC) instead of an AUTH token", () => {
        const group = onlyResourceOfType(run, T.replicationGroup);
        expect(group.inputs).to.not.have.property("authToken");
        const userGroup = onlyResourceOfType(run, T.userGroup);
        expect(userGroup.inputs).to.deep.include({ userGroupId: "redis-dev-users-redis", engine: "redis" });
        expect(group.inputs.userGroupIds).to.deep.equal([userGroup.inputs.userGroupId]);
        // Makes a move from authMode token an in-place change (docs/changing.md §7); ignored at creation.
        expect(group.inputs.authTokenUpdateStrategy).to.equal("DELETE");
        expect(userGroup.inputs.userIds).to.deep.equal([
            "redis-dev-default",
            "redis-dev-function",
            "redis-dev-operator",
        ]);
        expect(run.outputs).to.deep.include({ authMode: "rbac", authToken: undefined });
    });

    it("switches the default user off and gives the function only what the handler needs, the operators their own user", () => {
        const users: Record<string, Record<string, any>> = Object.fromEntries(
            resourcesOfType(run, T.user).map((user) => [user.inputs.userId, user.inputs]),
        );
        expect(users["redis-dev-default"]).to.deep.include({
            userName: "default",
            engine: "redis",
            accessString: "off -@all",
        });
        expect(users["redis-dev-function"]).to.deep.include({
            userName: "redis-dev-function",
            accessString: "on ~* -@all +cluster|slots +cluster|info +client|setname +readonly +asking +set +get",
        });
        expect(users["redis-dev-operator"]).to.deep.include({
            userName: "redis-dev-operator",
            accessString: "on ~* &* +@all",
        });
        for (const user of Object.values(users)) {
            // The passwords make the whole block a secret in state and on the wire.
            const mode = unwrapSecret(user.authenticationMode);
            expect(mode.secret, `${user.userId}'s passwords must be a secret`).to.equal(true);
            expect(mode.value.type).to.equal("password");
            expect(mode.value.passwords).to.have.length(1);
            for (const password of mode.value.passwords)
                expect(unwrapSecret(password).value).to.match(/^[A-Za-z0-9]{64}$/);
        }
        for (const password of resourcesOfType(run, T.password))
            expect(password.inputs).to.deep.include({ length: 64, special: false });
        expect(run.secretOutputs).to.include("operatorPassword");
        expect(run.outputs).to.deep.include({
            operatorUserName: "redis-dev-operator",
            functionUserName: "redis-dev-function",
        });
    });

    it("delivers the slow log to a CloudWatch log group with retention", () => {
        const group = onlyResourceOfType(run, T.replicationGroup);
        const [delivery] = group.inputs.logDeliveryConfigurations;
        expect(delivery).to.deep.include({
            destinationType: "cloudwatch-logs",
            logType: "slow-log",
            logFormat: "json",
        });
        const slowLog = resourcesOfType(run, T.logGroup).find((logGroup) => logGroup.name.endsWith("slow-log"));
        expect(slowLog?.inputs.retentionInDays).to.equal(14);
    });

    it("opens the cache port only to the function's and the host's security groups", () => {
        const cacheGroup = securityGroupNamed(run, "redis-dev-sg");
        const toCache = resourcesOfType(run, T.ingress).filter((rule) => rule.inputs.securityGroupId === cacheGroup);
        expect(toCache.map((rule) => rule.inputs.referencedSecurityGroupId).sort()).to.deep.equal(
            [securityGroupNamed(run, "function-sg"), securityGroupNamed(run, "client-host-sg")].sort(),
        );
        for (const rule of toCache)
            expect(rule.inputs).to.deep.include({ ipProtocol: "tcp", fromPort: 6379, toPort: 6379 });
        const fromClients = resourcesOfType(run, T.egress).filter(
            (rule) => rule.inputs.referencedSecurityGroupId === cacheGroup,
        );
        expect(fromClients).to.have.length(2);
    });

    it("names each client's access rules for the client, created by the client (its own component), not the cache", () => {
        const cacheGroup = securityGroupNamed(run, "redis-dev-sg");
        const rulesOnCache = resourcesOfType(run, T.ingress).filter(
            (rule) => rule.inputs.securityGroupId === cacheGroup,
        );
        expect(rulesOnCache.map((rule) => rule.name).sort()).to.deep.equal([
            "redis-dev-cache-from-client-host",
            "redis-dev-cache-from-function",
        ]);
        const ownerType = (resource: { parentUrn: string }) => resource.parentUrn.split("::")[2];
        expect(Object.fromEntries(rulesOnCache.map((rule) => [rule.name, ownerType(rule)]))).to.deep.equal({
            "redis-dev-cache-from-client-host": "redis-cluster:clientHost:ClientHost",
            "redis-dev-cache-from-function": "redis-cluster:function:SetGetFunction",
        });
        const groupOwners = Object.fromEntries(
            resourcesOfType(run, T.securityGroup).map((group) => [group.name, ownerType(group)]),
        );
        expect(groupOwners).to.deep.equal({
            "redis-dev-sg": "redis-cluster:cache:RedisCluster",
            "redis-dev-function-sg": "redis-cluster:function:SetGetFunction",
            "redis-dev-client-host-sg": "redis-cluster:clientHost:ClientHost",
            "redis-dev-instance-connect-sg": "redis-cluster:clientHost:ClientHost",
        });
    });

    it("has no ingress or egress from or to 0.0.0.0/0 or ::/0 anywhere", () => {
        for (const resource of run.resources) {
            const text = JSON.stringify(resource.inputs);
            expect(text, `${resource.type} ${resource.name}`).to.not.match(/0\.0\.0\.0\/0|::\/0/);
        }
        for (const group of resourcesOfType(run, T.securityGroup)) {
            expect(group.inputs.ingress ?? [], group.name).to.deep.equal([]);
            expect(group.inputs.egress ?? [], group.name).to.deep.equal([]);
        }
    });

    it("reaches the host through one EC2 Instance Connect Endpoint in its subnet; SSH only from the endpoint's group", () => {
        const endpoint = onlyResourceOfType(run, T.instanceConnectEndpoint);
        const host = onlyResourceOfType(run, T.instance);
        expect(endpoint.inputs).to.deep.include({ subnetId: host.inputs.subnetId, preserveClientIp: false });
        const endpointGroup = securityGroupNamed(run, "instance-connect-sg");
        expect(endpoint.inputs.securityGroupIds).to.deep.equal([endpointGroup]);
        expect(sshIngress(run)).to.deep.equal([`redis-dev-client-host-from-instance-connect ${endpointGroup}`]);
        const fromEndpoint = resourcesOfType(run, T.egress).filter(
            (rule) => rule.inputs.securityGroupId === endpointGroup,
        );
        expect(fromEndpoint.map((rule) => rule.inputs)).to.deep.equal([
            {
                ipProtocol: "tcp",
                fromPort: 22,
                toPort: 22,
                securityGroupId: endpointGroup,
                referencedSecurityGroupId: securityGroupNamed(run, "client-host-sg"),
                description: "SSH to the client host",
            },
        ]);
    });

    it("creates no SSM interface endpoint, only the S3 gateway the host installs its packages through", () => {
        const endpoints = resourcesOfType(run, T.endpoint);
        expect(endpoints.map((endpoint) => endpoint.inputs.serviceName)).to.deep.equal(["com.amazonaws.us-east-1.s3"]);
        expect(endpoints[0].inputs).to.deep.include({ vpcEndpointType: "Gateway" });
        expect(endpoints[0].inputs.routeTableIds).to.deep.equal(["rtb-isolated-1", "rtb-isolated-2"]);
    });

    it("runs the client host on arm64 Amazon Linux 2023 with IMDSv2 required and no instance role (nothing on it calls AWS)", () => {
        const host = onlyResourceOfType(run, T.instance);
        expect(host.inputs).to.deep.include({ ami: MOCK_AMI_ID, instanceType: "t4g.nano" });
        expect(host.inputs.metadataOptions).to.deep.include({ httpTokens: "required", httpPutResponseHopLimit: 1 });
        expect(host.inputs.rootBlockDevice).to.deep.include({ encrypted: true });
        expect(host.inputs.userData)
            .to.match(/dnf install -y redis6/)
            .and.match(/redis-cli --tls/);
        expect(host.inputs).to.not.have.property("iamInstanceProfile");
        expect(resourcesOfType(run, T.rolePolicyAttachment)).to.deep.equal([]);
    });

    it("runs the Lambda in the VPC on every AZ's subnet with the cluster's settings in its environment", () => {
        const fn = onlyResourceOfType(run, T.function);
        expect(fn.inputs).to.deep.include({ runtime: "nodejs22.x", handler: "__index.handler", timeout: 10 });
        expect(fn.inputs.architectures).to.deep.equal(["arm64"]);
        expect(fn.inputs.vpcConfig.subnetIds).to.deep.equal(["subnet-isolated-1", "subnet-isolated-2"]);
        expect(fn.inputs.vpcConfig.securityGroupIds).to.deep.equal([securityGroupNamed(run, "function-sg")]);
        // The token inside makes the whole environment a secret in state and on the wire.
        const environment = unwrapSecret(fn.inputs.environment);
        expect(environment.secret).to.equal(true);
        const variables = environment.value.variables;
        expect(variables).to.deep.equal({
            REDIS_CONFIGURATION_ENDPOINT: run.outputs.configurationEndpoint,
            REDIS_PORT: "6379",
            REDIS_TLS: "true",
            REDIS_DURABLE_WRITES: "false",
            REDIS_USERNAME: "redis-dev-function",
            REDIS_PASSWORD: variables.REDIS_PASSWORD,
        });
        const functionUser = resourcesOfType(run, T.user).find((user) => user.inputs.userId === "redis-dev-function")!;
        const functionPasswords = unwrapSecret(functionUser.inputs.authenticationMode).value.passwords.map(
            (p: unknown) => unwrapSecret(p).value,
        );
        expect(functionPasswords).to.deep.equal([variables.REDIS_PASSWORD]);
        expect(variables.REDIS_PASSWORD).to.not.equal(run.outputs.operatorPassword);
    });

    it("gives the Lambda a minimal inline policy instead of CallbackFunction's broad managed policies", () => {
        const policies = resourcesOfType(run, T.rolePolicy);
        expect(policies).to.have.length(1);
        const document = JSON.parse(policies[0].inputs.policy);
        const actions = document.Statement.flatMap((statement: { Action: string[] }) => statement.Action);
        expect(actions).to.include.members(["logs:PutLogEvents", "ec2:CreateNetworkInterface"]);
        expect(actions.some((action: string) => action.endsWith("*"))).to.equal(false);
        expect(resourcesOfType(run, T.rolePolicyAttachment)).to.deep.equal([]);
    });

    it("puts the function URL behind IAM auth and grants no public permission", () => {
        expect(onlyResourceOfType(run, T.functionUrl).inputs.authorizationType).to.equal("AWS_IAM");
        expect(resourcesOfType(run, T.permission)).to.deep.equal([]);
    });

    it("exports the endpoint, port, URL, host id and ready-to-paste commands", () => {
        expect(run.outputs).to.deep.include({ port: 6379, clientInstanceId: "redis-dev-client-host-id" });
        expect(run.outputs.configurationEndpoint).to.match(/\.clustercfg\./);
        expect(run.outputs.functionUrl).to.match(/^https:\/\/.*\.on\.aws\/$/);
        expect(run.outputs.connectCommand).to.equal(
            "aws ec2-instance-connect ssh --instance-id redis-dev-client-host-id --os-user ec2-user --connection-type eice",
        );
        expect(run.outputs.redisCliCommand).to.equal(
            `redis-cli -c --tls --user redis-dev-operator --askpass -h ${run.outputs.configurationEndpoint} -p 6379`,
        );
        expect(run.outputs.availabilityZones).to.deep.equal(["us-east-1a", "us-east-1b"]);
        // The tutorial's call, GET / with no query (SET hogehoge=fugafuga, then GET): the first up ends with `fugafuga`.
        expect(run.outputs.invokeCommand).to.equal(
            'curl --aws-sigv4 "aws:amz:$AWS_REGION:lambda" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" ' +
                `-H "x-amz-security-token: $AWS_SESSION_TOKEN" '${run.outputs.functionUrl}'`,
        );
    });

    it("does not protect the dev cluster, so `pulumi destroy` can tear it down", () => {
        const group = onlyResourceOfType(run, T.replicationGroup);
        expect(group.options).to.deep.include({ protect: false, retainOnDelete: false });
    });

    it("nests every resource under one of the seven components", () => {
        const components = run.resources.filter((resource) => resource.type.startsWith("redis-cluster:"));
        expect(components.map((component) => component.type).sort()).to.deep.equal([
            "redis-cluster:cache:RedisCluster",
            "redis-cluster:cache:RedisUsers",
            "redis-cluster:clientHost:ClientHost",
            "redis-cluster:function:SetGetFunction",
            "redis-cluster:monitoring:AlertTopic",
            "redis-cluster:monitoring:Monitoring",
            "redis-cluster:network:Network",
        ]);
        for (const resource of run.resources.filter((candidate) => !candidate.type.startsWith("redis-cluster:"))) {
            expect(resource.parentUrn, `${resource.type} ${resource.name}`).to.match(
                /redis-cluster:(network|cache|clientHost|function|monitoring):/,
            );
        }
    });

    it("builds the client host and the function in components of their own, neither holding the other", () => {
        const parentType = (type: string) => onlyResourceOfType(run, type).parentUrn.split("::")[2];
        expect(parentType(T.instance)).to.equal("redis-cluster:clientHost:ClientHost");
        expect(parentType(T.function)).to.equal("redis-cluster:function:SetGetFunction");
    });
});

describe("the program under mocks: dev with clientAccess: ssm (Session Manager, as before clientAccess existed)", function () {
    this.timeout(60_000);
    let run: ProgramRun;
    let instanceConnect: ProgramRun;
    before(async () => {
        run = await evaluateProgramOnce({ stack: "dev", config: { clientAccess: "ssm" } });
        instanceConnect = await evaluateProgramOnce({ stack: "dev" });
    });

    it("reaches the host through an S3 gateway and ssm, ec2messages and ssmmessages interface endpoints, 443 from the host only", () => {
        const endpoints = resourcesOfType(run, T.endpoint);
        const byService = Object.fromEntries(
            endpoints.map((endpoint) => [endpoint.inputs.serviceName, endpoint.inputs]),
        );
        expect(Object.keys(byService).sort()).to.deep.equal(
            ["s3", "ssm", "ec2messages", "ssmmessages"].map((service) => `com.amazonaws.us-east-1.${service}`).sort(),
        );
        expect(byService["com.amazonaws.us-east-1.s3"]).to.deep.include({ vpcEndpointType: "Gateway" });
        const endpointGroup = securityGroupNamed(run, "endpoint-sg");
        for (const service of ["ssm", "ec2messages", "ssmmessages"]) {
            const endpoint = byService[`com.amazonaws.us-east-1.${service}`];
            expect(endpoint).to.deep.include({
                vpcEndpointType: "Interface",
                privateDnsEnabled: true,
                subnetIds: ["subnet-isolated-1"],
            });
            expect(endpoint.securityGroupIds).to.deep.equal([endpointGroup]);
        }
        const toEndpoints = resourcesOfType(run, T.ingress).filter(
            (rule) => rule.inputs.securityGroupId === endpointGroup,
        );
        expect(toEndpoints.map((rule) => rule.name)).to.deep.equal(["redis-dev-endpoints-from-client-host"]);
        expect(toEndpoints[0].inputs).to.deep.include({
            referencedSecurityGroupId: securityGroupNamed(run, "client-host-sg"),
            fromPort: 443,
            toPort: 443,
        });
    });

    it("gives the host its SSM role, opens no port on it, and creates no Instance Connect Endpoint", () => {
        expect(
            resourcesOfType(run, T.rolePolicyAttachment).map((attachment) => attachment.inputs.policyArn),
        ).to.deep.equal(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
        expect(onlyResourceOfType(run, T.instance).inputs.iamInstanceProfile).to.equal("redis-dev-client-host-profile");
        expect(sshIngress(run)).to.deep.equal([]);
        expect(resourcesOfType(run, T.instanceConnectEndpoint)).to.deep.equal([]);
        const hostGroup = securityGroupNamed(run, "client-host-sg");
        expect(
            resourcesOfType(run, T.ingress).filter((rule) => rule.inputs.securityGroupId === hostGroup),
        ).to.deep.equal([]);
    });

    it("keeps the host's security group description of before, so choosing ssm replaces nothing", () => {
        const group = resourcesOfType(run, T.securityGroup).find(
            (candidate) => candidate.name === "redis-dev-client-host-sg",
        );
        expect(group?.inputs.description).to.equal("Redis client host: egress to the cache, SSM endpoints and S3");
    });

    it("differs from instance-connect only in the access resources, the host's group description and its instance profile", () => {
        const key = (resource: { type: string; name: string }) => `${resource.type} ${resource.name}`;
        const withSsm = new Map(run.resources.map((resource) => [key(resource), resource]));
        const withInstanceConnect = new Map(instanceConnect.resources.map((resource) => [key(resource), resource]));
        const only = (a: Map<string, unknown>, b: Map<string, unknown>) =>
            [...a.keys()].filter((name) => !b.has(name)).sort();
        expect(only(withSsm, withInstanceConnect)).to.deep.equal(
            [
                `${T.endpoint} redis-dev-ec2messages`,
                `${T.endpoint} redis-dev-ssm`,
                `${T.endpoint} redis-dev-ssmmessages`,
                `${T.securityGroup} redis-dev-endpoint-sg`,
                `${T.ingress} redis-dev-endpoints-from-client-host`,
                `${T.egress} redis-dev-client-host-to-endpoints`,
                "aws:iam/role:Role redis-dev-client-host-role",
                `${T.rolePolicyAttachment} redis-dev-client-host-ssm`,
                "aws:iam/instanceProfile:InstanceProfile redis-dev-client-host-profile",
            ].sort(),
        );
        expect(only(withInstanceConnect, withSsm)).to.deep.equal(
            [
                `${T.instanceConnectEndpoint} redis-dev-instance-connect`,
                `${T.securityGroup} redis-dev-instance-connect-sg`,
                `${T.ingress} redis-dev-client-host-from-instance-connect`,
                `${T.egress} redis-dev-instance-connect-to-client-host`,
            ].sort(),
        );
        const changed = [...withSsm.keys()]
            .filter((name) => withInstanceConnect.has(name))
            .flatMap((name) => {
                const [a, b] = [withSsm.get(name)!.inputs, withInstanceConnect.get(name)!.inputs];
                const fields = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
                    (field) => JSON.stringify(a[field]) !== JSON.stringify(b[field]),
                );
                return fields.map((field) => `${name} ${field}`);
            });
        expect(changed.sort()).to.deep.equal([
            `${T.instance} redis-dev-client-host iamInstanceProfile`,
            `${T.securityGroup} redis-dev-client-host-sg description`,
        ]);
    });

    it("exports the Session Manager command", () => {
        expect(run.outputs.connectCommand).to.equal("aws ssm start-session --target redis-dev-client-host-id");
    });
});

describe("the program under mocks: prod stack", function () {
    this.timeout(60_000);
    let run: ProgramRun;
    before(async () => {
        run = await evaluateProgramOnce({ stack: "prod" });
    });

    it("runs 3 shards × 2 replicas multi-AZ over 3 AZs, placed by ElastiCache so it can reshard in place", () => {
        const group = onlyResourceOfType(run, T.replicationGroup);
        expect(group.inputs).to.deep.include({
            numNodeGroups: 3,
            replicasPerNodeGroup: 2,
            multiAzEnabled: true,
            snapshotRetentionLimit: 7,
            nodeType: "cache.r7g.large",
        });
        expect(group.inputs).to.not.have.property("nodeGroupConfigurations");
        expect(onlyResourceOfType(run, T.vpc).inputs.numberOfAvailabilityZones).to.equal(3);
    });

    it("has no client host, no endpoint of any kind and only the function as a cache client", () => {
        expect(resourcesOfType(run, T.instance)).to.deep.equal([]);
        expect(resourcesOfType(run, T.endpoint)).to.deep.equal([]);
        expect(resourcesOfType(run, T.ingress)).to.have.length(1);
        expect(run.outputs.clientInstanceId).to.equal(undefined);
        expect(run.outputs.connectCommand).to.match(/clientHost is false/);
        expect(resourcesOfType(run, T.instanceConnectEndpoint)).to.deep.equal([]);
    });

    it("authenticates with RBAC like dev: a user group, no AUTH token, the function's own user", () => {
        const group = onlyResourceOfType(run, T.replicationGroup);
        expect(group.inputs).to.not.have.property("authToken");
        expect(group.inputs.userGroupIds).to.deep.equal(["redis-prod-users-redis"]);
        const variables = unwrapSecret(onlyResourceOfType(run, T.function).inputs.environment).value.variables;
        expect(variables).to.include({ REDIS_USERNAME: "redis-prod-function" });
        expect(variables).to.not.have.property("REDIS_AUTH_TOKEN");
        expect(run.outputs.authMode).to.equal("rbac");
    });

    it("protects the replication group from deletion and replacement, and retains it on destroy", () => {
        const group = onlyResourceOfType(run, T.replicationGroup);
        expect(group.options).to.deep.include({ protect: true, retainOnDelete: true });
    });
});
