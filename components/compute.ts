import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { HANDLER_ENVIRONMENT, LAMBDA_TIMEOUT_SECONDS } from "../functions/environment";
import { createSetGetHandler } from "../functions/setGetHandler";
import { FunctionUrlAuthType } from "../config/catalog";
import { clientHostUserData } from "./userData";

export interface ComputeArgs {
    /** Subnets of the Lambda function's ENIs: every AZ, so it keeps working when one AZ fails. */
    readonly functionSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    readonly functionSecurityGroupId: pulumi.Input<string>;
    /** Where the client host goes; omit `clientHost` for no host at all. */
    readonly clientHost?: {
        readonly subnetId: pulumi.Input<string>;
        readonly securityGroupId: pulumi.Input<string>;
        /** @default "t4g.nano" (arm64, like the AMI chosen) */
        readonly instanceType?: string;
        /** Resources the host's first boot needs (its user data installs packages through them); created first. */
        readonly prerequisites?: pulumi.Resource[];
    };
    /** How to reach the cluster, passed to the function through environment variables. */
    readonly redis: {
        readonly configurationEndpointAddress: pulumi.Input<string>;
        readonly port: pulumi.Input<number>;
        readonly transitEncryption: boolean;
        /** A secret; undefined when transit encryption is off. */
        readonly authToken: pulumi.Input<string | undefined>;
    };
    /**
     * Who may call the function URL: `AWS_IAM` (SigV4-signed requests from principals allowed
     * `lambda:InvokeFunctionUrl`) or `NONE` (anyone).
     * @default "AWS_IAM"
     */
    readonly functionUrlAuthType: FunctionUrlAuthType;
    /**
     * Confirm each SET with `WAIT 1` on the key's primary before answering 200.
     * @default false
     */
    readonly durableWrites: boolean;
    /** Retention of the function's CloudWatch log group. @default 14 */
    readonly logRetentionDays: number;
    readonly tags?: Record<string, string>;
}

/** Amazon Linux 2023 for arm64, resolved from AWS's public SSM parameter so no AMI id is hard-coded. */
const CLIENT_HOST_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
const LAMBDA_MEMORY_MB = 256;

/**
 * The cluster's clients: an EC2 host with redis-cli reached through SSM Session Manager, and a Lambda function that
 * SETs then GETs through the configuration endpoint, behind a function URL.
 */
export class Compute extends pulumi.ComponentResource {
    public readonly functionUrl: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;
    public readonly functionArn: pulumi.Output<string>;
    /** The client host's instance id, when there is a host. */
    public readonly clientInstanceId?: pulumi.Output<string>;
    public readonly function: aws.lambda.CallbackFunction<unknown, unknown>;

    constructor(name: string, args: ComputeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-cluster:compute:Compute", name, {}, opts);

        if (args.clientHost) {
            this.clientInstanceId = this.createClientHost(name, args.clientHost, args.tags);
        }
        this.function = this.createFunction(name, args);
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
        });
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
            { function: this.function.name, action: "lambda:InvokeFunctionUrl", principal: "*", functionUrlAuthType: "NONE" },
            { parent: this },
        );
        new aws.lambda.Permission(
            `${name}-public-url-invoke`,
            { function: this.function.name, action: "lambda:InvokeFunction", principal: "*", invokedViaFunctionUrl: true },
            { parent: this },
        );
    }

    private createFunction(name: string, args: ComputeArgs): aws.lambda.CallbackFunction<unknown, unknown> {
        const logGroup = new aws.cloudwatch.LogGroup(
            `${name}-function-logs`,
            { retentionInDays: args.logRetentionDays, tags: args.tags },
            { parent: this },
        );
        const role = new aws.iam.Role(
            `${name}-function-role`,
            { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }), tags: args.tags },
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
        if (args.redis.transitEncryption) {
            environment[HANDLER_ENVIRONMENT.authToken] = pulumi.output(args.redis.authToken).apply((token) => token ?? "");
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
                vpcConfig: { subnetIds: args.functionSubnetIds, securityGroupIds: [args.functionSecurityGroupId] },
                environment: { variables: environment },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
                tags: args.tags,
            },
            // Lambda checks at CreateFunction that a VPC function's role may create ENIs; the function names the role,
            // not its policy, so without this the engine may create both at once and the create fails.
            { parent: this, dependsOn: [rolePolicy] },
        );
    }

    private createClientHost(
        name: string,
        host: NonNullable<ComputeArgs["clientHost"]>,
        tags: Record<string, string> | undefined,
    ): pulumi.Output<string> {
        const role = new aws.iam.Role(
            `${name}-client-host-role`,
            { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ec2.amazonaws.com" }), tags },
            { parent: this },
        );
        new aws.iam.RolePolicyAttachment(
            `${name}-client-host-ssm`,
            { role: role.name, policyArn: aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore },
            { parent: this },
        );
        const profile = new aws.iam.InstanceProfile(`${name}-client-host-profile`, { role: role.name, tags }, { parent: this });
        const ami = aws.ssm.getParameterOutput({ name: CLIENT_HOST_AMI_PARAMETER }, { parent: this }).value;

        const instance = new aws.ec2.Instance(
            `${name}-client-host`,
            {
                ami,
                instanceType: host.instanceType ?? "t4g.nano",
                subnetId: host.subnetId,
                vpcSecurityGroupIds: [host.securityGroupId],
                iamInstanceProfile: profile.name,
                userData: clientHostUserData(),
                // IMDSv2 only, one hop: credentials cannot be read through a forwarded request or from a container.
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                rootBlockDevice: { encrypted: true, volumeType: "gp3" },
                tags: { ...tags, Name: `${name}-client-host` },
            },
            // A new AMI is published every few weeks; it must not replace the host on the next `pulumi up`.
            { parent: this, ignoreChanges: ["ami"], dependsOn: host.prerequisites ?? [] },
        );
        return instance.id;
    }
}
