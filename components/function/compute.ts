import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HANDLER_ENVIRONMENT, LAMBDA_TIMEOUT_SECONDS } from "../../functions/environment";
import { createSetGetHandler } from "../../functions/setGetHandler";
import { FunctionUrlAuthType } from "../../config/catalog";
import { ClientHostAccessArgs, createClientHostAccess } from "../clientHost/clientHostAccess";
import { previousRelease } from "../previousRelease";
import { clientHostUserData } from "../clientHost/userData";

/** The cluster as its clients see it: where to connect, and the security group to add their ingress rule to. */
export interface CacheAccess {
    /** The configuration endpoint: the cluster client's seed node. */
    readonly configurationEndpointAddress: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    readonly transitEncryption: boolean;
    /** The replication group's AUTH token (authMode token), a secret; undefined otherwise. */
    readonly authToken: pulumi.Input<string | undefined>;
    /** The function's own Redis user (authMode rbac, iam); undefined with an AUTH token or no authentication. */
    readonly user?: FunctionRedisUser;
    /** The cluster's security group: each client adds `<name>-cache-from-<client>` on it. */
    readonly securityGroupId: pulumi.Input<string>;
}

/** Where the client host goes, how operators reach it, and the package repositories' endpoint (from {@link Network}). */
export interface ClientHostArgs {
    readonly subnetId: pulumi.Input<string>;
    /** The way in (config key `clientAccess`) and, for `ssm`, the endpoints' security group. */
    readonly access: ClientHostAccessArgs;
    /** The S3 gateway endpoint's prefix list (dnf repositories), for the host's HTTPS egress. */
    readonly s3PrefixListId: pulumi.Input<string>;
    /** The S3 gateway endpoint: the host's first boot installs packages through it, so the host is created after it. */
    readonly s3Endpoint?: pulumi.Resource;
    /** @default "t4g.nano" (arm64, like the AMI chosen) */
    readonly instanceType?: string;
}

/** No field has a default here except where marked: index.ts passes every value from the validated configuration. */
export interface ComputeArgs {
    /** The VPC of the clients' security groups. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets of the Lambda function's ENIs: every AZ, so it keeps working when one AZ fails. */
    readonly functionSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The client host and what it reaches; omit for no host at all (config key `clientHost: false`). */
    readonly clientHost?: ClientHostArgs;
    /** The cluster: passed to the function through environment variables, and its security group opened to both clients. */
    readonly redis: CacheAccess;
    /**
     * Who may call the function URL: `AWS_IAM` (SigV4-signed requests from principals allowed
     * `lambda:InvokeFunctionUrl`) or `NONE` (anyone).
     */
    readonly functionUrlAuthType: FunctionUrlAuthType;
    /** Confirm each SET with `WAIT 1` on the key's primary before answering 200. */
    readonly durableWrites: boolean;
    /** Retention of the function's CloudWatch log group, days. */
    readonly logRetentionDays: number;
    /** Tags on every resource that takes them. */
    readonly tags?: Record<string, string>;
}

/** The function's Redis user: a password (rbac) or IAM tokens the handler signs (iam). */
export interface FunctionRedisUser {
    readonly userName: pulumi.Input<string>;
    /** The user's password in use, a secret (rbac); undefined for an IAM user. */
    readonly password?: pulumi.Input<string>;
    /** IAM: what the function's role may `elasticache:Connect` to, and the host its tokens are signed for. */
    readonly iam?: {
        readonly replicationGroupId: pulumi.Input<string>;
        readonly replicationGroupArn: pulumi.Input<string>;
        readonly userArn: pulumi.Input<string>;
    };
}

/** Amazon Linux 2023 for arm64, resolved from AWS's public SSM parameter so no AMI id is hard-coded. */
const CLIENT_HOST_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
const LAMBDA_MEMORY_MB = 256;
const HTTPS = 443;

/**
 * The host's security group description per access way. EC2 replaces a group whose description changes, so the `ssm`
 * one stays what it was before `clientAccess` existed.
 */
const CLIENT_HOST_SECURITY_GROUP_DESCRIPTIONS: Readonly<Record<ClientHostAccessArgs["way"], string>> = {
    ssm: "Redis client host: egress to the cache, SSM endpoints and S3",
    "instance-connect": "Redis client host: SSH from the Instance Connect Endpoint; egress to the cache and S3",
};

/**
 * The cluster's clients: an EC2 host with redis-cli, reached through an EC2 Instance Connect Endpoint or SSM Session
 * Manager, and a Lambda function that SETs then GETs through the configuration endpoint, behind a function URL. Each
 * client owns its security group and adds the rules that let it into the cache (and, for the host, into the Session
 * Manager endpoints), named for itself; the Instance Connect Endpoint, the host's own client, does the same on the
 * host's group.
 */
export class Compute extends pulumi.ComponentResource {
    public readonly functionUrl: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;
    public readonly functionArn: pulumi.Output<string>;
    /** The client host's instance id, when there is a host. */
    public readonly clientInstanceId?: pulumi.Output<string>;
    /** The function's security group. */
    public readonly functionSecurityGroupId: pulumi.Output<string>;
    /** The client host's security group, when there is a host. */
    public readonly clientHostSecurityGroupId?: pulumi.Output<string>;
    public readonly function: aws.lambda.CallbackFunction<unknown, unknown>;

    constructor(name: string, args: ComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-cluster:compute:Compute", name, {}, opts);

        if (args.clientHost) {
            const host = this.createClientHost(name, args.clientHost, args);
            this.clientInstanceId = host.instanceId;
            this.clientHostSecurityGroupId = host.securityGroupId;
        }
        this.functionSecurityGroupId = this.createClientSecurityGroup(
            name,
            "function",
            "Lambda function: egress to the cache only",
            args,
        );
        this.function = this.createFunction(name, args, this.functionSecurityGroupId);
        const url = new aws.lambda.FunctionUrl(
            `${name}-function-url`,
            { functionName: this.function.name, authorizationType: args.functionUrlAuthType },
            { parent: this },
        );
        if (args.functionUrlAuthType === "NONE") {
            this.allowPublicUrl(name);
        }

        this.functionUrl = url.functionUrl;
        this.functionName = this.function.name;
        this.functionArn = this.function.arn;
        this.registerOutputs({
            functionUrl: this.functionUrl,
            functionName: this.functionName,
            clientInstanceId: this.clientInstanceId,
            functionSecurityGroupId: this.functionSecurityGroupId,
            clientHostSecurityGroupId: this.clientHostSecurityGroupId,
        });
    }

    /**
     * A client's own security group, and both directions of its access to the cache: egress on its own group and the
     * ingress on the cache's group that lets it in, each named for the client (`<name>-cache-from-function`), never
     * by position, so adding or removing a client does not rename (hence replace) another's rule.
     */
    private createClientSecurityGroup(
        name: string,
        client: string,
        description: string,
        args: ComputeArgs,
    ): pulumi.Output<string> {
        // 0.1.0 created both clients' groups in Network: the alias keeps them (a Lambda's group is slow to delete).
        const group = new aws.ec2.SecurityGroup(
            `${name}-${client}-sg`,
            { vpcId: args.vpcId, description, tags: args.tags },
            { parent: this, aliases: previousRelease(name, `${client}-sg`) },
        );
        const redisPort = { ipProtocol: "tcp", fromPort: args.redis.port, toPort: args.redis.port };
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-cache-from-${client}`,
            {
                ...redisPort,
                securityGroupId: args.redis.securityGroupId,
                referencedSecurityGroupId: group.id,
                description: `Redis from the ${client}`,
            },
            // 0.1.0: RedisCluster's `-from-client-<n>`; kept, or the new rule would duplicate it and AWS refuse it.
            { parent: this, aliases: previousRelease(name, `cache-from-${client}`) },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-${client}-to-cache`,
            {
                ...redisPort,
                securityGroupId: group.id,
                referencedSecurityGroupId: args.redis.securityGroupId,
                description: "Redis to the cluster",
            },
            // 0.1.0: RedisCluster's `-client-<n>-to-cache`; kept, or the new rule would duplicate it and AWS refuse it.
            { parent: this, aliases: previousRelease(name, `${client}-to-cache`) },
        );
        return group.id;
    }

    /**
     * A NONE URL still needs a resource policy that lets anyone call it. Since October 2025 Lambda requires both
     * `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction`; the latter is limited to calls made through the URL so
     * the function is not opened to the Invoke API.
     * @see https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
     */
    private allowPublicUrl(name: string): void {
        new aws.lambda.Permission(
            `${name}-public-url`,
            {
                function: this.function.name,
                action: "lambda:InvokeFunctionUrl",
                principal: "*",
                functionUrlAuthType: "NONE",
            },
            { parent: this },
        );
        new aws.lambda.Permission(
            `${name}-public-url-invoke`,
            {
                function: this.function.name,
                action: "lambda:InvokeFunction",
                principal: "*",
                invokedViaFunctionUrl: true,
            },
            { parent: this },
        );
    }

    private createFunction(
        name: string,
        args: ComputeArgs,
        securityGroupId: pulumi.Output<string>,
    ): aws.lambda.CallbackFunction<unknown, unknown> {
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-function-logs`,
            { retentionInDays: args.logRetentionDays, tags: args.tags },
            { parent: this },
        );
        const role = new aws.iam.Role(
            `${name}-function-role`,
            {
                assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
                tags: args.tags,
            },
            { parent: this },
        );
        // Explicit and minimal: without a role, CallbackFunction would attach broad managed policies (S3, DynamoDB, …).
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-function-policy`,
            {
                role: role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "WriteOwnLogs",
                            Effect: "Allow",
                            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                            Resource: pulumi.interpolate`${logGroup.arn}:*`,
                        },
                        ...this.connectStatements(args.redis.user),
                        {
                            // The ENIs that put the function in the VPC; EC2 offers no resource-level scoping for these.
                            Sid: "ManageVpcNetworkInterfaces",
                            Effect: "Allow",
                            Action: [
                                "ec2:CreateNetworkInterface",
                                "ec2:DescribeNetworkInterfaces",
                                "ec2:DescribeSubnets",
                                "ec2:DeleteNetworkInterface",
                                "ec2:AssignPrivateIpAddresses",
                                "ec2:UnassignPrivateIpAddresses",
                            ],
                            Resource: "*",
                        },
                    ],
                }),
            },
            { parent: this },
        );

        const environment: Record<string, pulumi.Input<string>> = {
            [HANDLER_ENVIRONMENT.configurationEndpoint]: args.redis.configurationEndpointAddress,
            [HANDLER_ENVIRONMENT.port]: pulumi.output(args.redis.port).apply(String),
            [HANDLER_ENVIRONMENT.tls]: String(args.redis.transitEncryption),
            [HANDLER_ENVIRONMENT.durableWrites]: String(args.durableWrites),
        };
        const user = args.redis.user;
        if (user !== undefined) {
            environment[HANDLER_ENVIRONMENT.username] = user.userName;
            if (user.password !== undefined) environment[HANDLER_ENVIRONMENT.password] = user.password;
            if (user.iam !== undefined) environment[HANDLER_ENVIRONMENT.iamCacheName] = user.iam.replicationGroupId;
        } else if (args.redis.transitEncryption) {
            environment[HANDLER_ENVIRONMENT.authToken] = pulumi
                .output(args.redis.authToken)
                .apply((token) => token ?? "");
        }

        return new aws.lambda.CallbackFunction(
            `${name}-function`,
            {
                description: "SET then GET through the Redis cluster's configuration endpoint",
                // The factory runs once per container: one cluster client, reused by every invocation.
                callbackFactory: () => createSetGetHandler(),
                runtime: aws.lambda.Runtime.NodeJS22dX,
                architectures: ["arm64"],
                memorySize: LAMBDA_MEMORY_MB,
                timeout: LAMBDA_TIMEOUT_SECONDS,
                role,
                vpcConfig: { subnetIds: args.functionSubnetIds, securityGroupIds: [securityGroupId] },
                environment: { variables: environment },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
                tags: args.tags,
            },
            // Lambda checks at CreateFunction that a VPC function's role may create ENIs; the function names the role,
            // not its policy, so without this the engine may create both at once and the create fails.
            { parent: this, dependsOn: [rolePolicy] },
        );
    }

    /**
     * IAM authentication: `elasticache:Connect` on this replication group and this user only, the two resources the
     * ElastiCache guide's policy names ("Authenticating with IAM", Setup).
     */
    private connectStatements(user: FunctionRedisUser | undefined): object[] {
        if (user?.iam === undefined) return [];
        return [
            {
                Sid: "ConnectToRedisAsItsUser",
                Effect: "Allow",
                Action: ["elasticache:Connect"],
                Resource: [user.iam.replicationGroupArn, user.iam.userArn],
            },
        ];
    }

    /** The host, its security group, its access to the cache and to S3, and the way operators reach it. */
    private createClientHost(
        name: string,
        host: ClientHostArgs,
        args: ComputeArgs,
    ): { instanceId: pulumi.Output<string>; securityGroupId: pulumi.Output<string> } {
        const tags = args.tags;
        const securityGroupId = this.createClientSecurityGroup(
            name,
            "client-host",
            CLIENT_HOST_SECURITY_GROUP_DESCRIPTIONS[host.access.way],
            args,
        );
        const https = { ipProtocol: "tcp", fromPort: HTTPS, toPort: HTTPS };
        const toS3 = new aws.vpc.SecurityGroupEgressRule(
            `${name}-client-host-to-s3`,
            {
                ...https,
                securityGroupId,
                prefixListId: host.s3PrefixListId,
                description: "HTTPS to S3 (package repositories) through the gateway endpoint",
            },
            // 0.1.0: Network's `-host-to-s3`; kept, or the new rule would duplicate it and AWS refuse it.
            { parent: this, aliases: previousRelease(name, "client-host-to-s3") },
        );
        const access = createClientHostAccess(
            {
                name,
                parent: this,
                vpcId: args.vpcId,
                subnetId: host.subnetId,
                hostSecurityGroupId: securityGroupId,
                tags,
            },
            host.access,
        );
        const ami = aws.ssm.getParameterOutput({ name: CLIENT_HOST_AMI_PARAMETER }, { parent: this }).value;

        const instance = new aws.ec2.Instance(
            `${name}-client-host`,
            {
                ami,
                instanceType: host.instanceType ?? "t4g.nano",
                subnetId: host.subnetId,
                vpcSecurityGroupIds: [securityGroupId],
                iamInstanceProfile: access.instanceProfileName,
                userData: clientHostUserData(),
                // IMDSv2 only, one hop: credentials cannot be read through a forwarded request or from a container.
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                rootBlockDevice: { encrypted: true, volumeType: "gp3" },
                tags: { ...tags, Name: `${name}-client-host` },
            },
            // A new AMI is published every few weeks; it must not replace the host on the next `pulumi up`.
            // Its user data's `dnf install` needs the S3 route and the egress rule to it on first boot.
            { parent: this, ignoreChanges: ["ami"], dependsOn: [...(host.s3Endpoint ? [host.s3Endpoint] : []), toS3] },
        );
        return { instanceId: instance.id, securityGroupId };
    }
}
