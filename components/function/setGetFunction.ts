import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { LAMBDA_TIMEOUT_SECONDS } from "../../functions/environment";
import { createSetGetHandler } from "../../functions/setGetHandler";
import { FunctionUrlAuthType } from "../../config/catalog";
import { createCacheClientSecurityGroup } from "../cacheClient";
import { previousReleases } from "../previousRelease";
import { CacheAccess } from "./cacheAccess";
import { handlerEnvironment } from "./handlerEnvironment";
import { functionRolePolicy } from "./rolePolicy";

/** No field has a default here: index.ts passes every value from the validated configuration. */
export interface SetGetFunctionArgs {
    /** The VPC of the function's security group. */
    readonly vpcId: pulumi.Input<string>;
    /** Subnets of the function's ENIs: every AZ, so it keeps working when one AZ fails. */
    readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /** The cluster: passed to the function through environment variables, and its security group opened to it. */
    readonly redis: CacheAccess;
    /**
     * Who may call the function URL: `AWS_IAM` (SigV4-signed requests from principals allowed both
     * `lambda:InvokeFunctionUrl` and `lambda:InvokeFunction`, as Lambda requires since October 2025:
     * https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html) or `NONE` (anyone).
     */
    readonly functionUrlAuthType: FunctionUrlAuthType;
    /** Confirm each SET with `WAIT 1` on the key's primary before answering 200. */
    readonly durableWrites: boolean;
    /** Retention of the function's CloudWatch log group, days. */
    readonly logRetentionDays: number;
    /**
     * The most instances the function runs at once (Lambda's reserved concurrency, config key `functionConcurrency`);
     * undefined for no reservation. Lambda refuses one that leaves the account fewer than 100 unreserved.
     * @default undefined
     * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
     */
    readonly reservedConcurrency?: number;
    /**
     * The KMS key that encrypts the function's log group (`logEncryption: kms`); its policy must let CloudWatch Logs
     * use it for {@link functionLogGroupPrefix}. Undefined: CloudWatch Logs' own encryption.
     * @default undefined
     */
    readonly logKmsKeyArn?: pulumi.Input<string>;
    /** Tags on every resource that takes them. */
    readonly tags?: Record<string, string>;
}

const LAMBDA_MEMORY_MB = 256;

/** The function's log group name before Pulumi's random suffix, for a key policy that names it. */
export function functionLogGroupPrefix(name: string): string {
    return `${name}-function-logs`;
}

/**
 * A Lambda function that SETs then GETs through the configuration endpoint, behind a function URL, with its own role,
 * log group and security group. It adds the rules that let it into the cache, named for itself.
 */
export class SetGetFunction extends pulumi.ComponentResource {
    public readonly functionUrl: pulumi.Output<string>;
    public readonly functionName: pulumi.Output<string>;
    public readonly functionArn: pulumi.Output<string>;
    /** The function's security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    public readonly function: aws.lambda.CallbackFunction<unknown, unknown>;

    constructor(name: string, args: SetGetFunctionArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-cluster:function:SetGetFunction", name, {}, opts);

        this.securityGroupId = createCacheClientSecurityGroup(
            {
                name,
                client: "function",
                description: "Lambda function: egress to the cache only",
                parent: this,
                vpcId: args.vpcId,
                tags: args.tags,
            },
            args.redis,
        );
        this.function = this.createFunction(name, args);
        const url = new aws.lambda.FunctionUrl(
            `${name}-function-url`,
            { functionName: this.function.name, authorizationType: args.functionUrlAuthType },
            { parent: this, aliases: previousReleases(name, "function-url") },
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
            securityGroupId: this.securityGroupId,
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
            {
                function: this.function.name,
                action: "lambda:InvokeFunctionUrl",
                principal: "*",
                functionUrlAuthType: "NONE",
            },
            { parent: this, aliases: previousReleases(name, "public-url") },
        );
        new aws.lambda.Permission(
            `${name}-public-url-invoke`,
            {
                function: this.function.name,
                action: "lambda:InvokeFunction",
                principal: "*",
                invokedViaFunctionUrl: true,
            },
            { parent: this, aliases: previousReleases(name, "public-url-invoke") },
        );
    }

    private createFunction(name: string, args: SetGetFunctionArgs): aws.lambda.CallbackFunction<unknown, unknown> {
        const logGroup = new aws.cloudwatch.LogGroup(
            functionLogGroupPrefix(name),
            // A key added to an existing group is associated in place (AssociateKmsKey): kms_key_id is not ForceNew.
            { retentionInDays: args.logRetentionDays, kmsKeyId: args.logKmsKeyArn, tags: args.tags },
            { parent: this, aliases: previousReleases(name, "function-logs") },
        );
        const role = new aws.iam.Role(
            `${name}-function-role`,
            {
                assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
                tags: args.tags,
            },
            { parent: this, aliases: previousReleases(name, "function-role") },
        );
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-function-policy`,
            { role: role.id, policy: functionRolePolicy(logGroup.arn, args.redis.user) },
            { parent: this, aliases: previousReleases(name, "function-policy") },
        );

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
                // Set with PutFunctionConcurrency, in place; undefined leaves the function without a reservation.
                reservedConcurrentExecutions: args.reservedConcurrency,
                role,
                vpcConfig: { subnetIds: args.subnetIds, securityGroupIds: [this.securityGroupId] },
                environment: { variables: handlerEnvironment(args.redis, args.durableWrites) },
                loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
                tags: args.tags,
            },
            // Lambda checks at CreateFunction that a VPC function's role may create ENIs; the function names the role,
            // not its policy, so without this the engine may create both at once and the create fails.
            { parent: this, dependsOn: [rolePolicy], aliases: previousReleases(name, "function") },
        );
    }
}
