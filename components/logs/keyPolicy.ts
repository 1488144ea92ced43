import * as pulumi from "@pulumi/pulumi";

/** Where the key lives and which log groups may use it. */
export interface LogKeyPolicyScope {
    /** `aws`, `aws-cn`, `aws-us-gov`. */
    readonly partition: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    /** The key's region: CloudWatch Logs may use a key only through its service principal in the same region. */
    readonly region: pulumi.Input<string>;
    /**
     * The log groups' names before Pulumi's random suffix (`<prefix>-slow-log`, `<prefix>-function-logs`): the groups
     * are auto-named, and a name is known only once the group exists, which would need the key first.
     */
    readonly logGroupNamePrefixes: readonly string[];
}

/**
 * The key policy of the stack's log key. The account (its root, so IAM policies decide who administers it) holds every
 * right, as in KMS's default key policy; CloudWatch Logs in the key's region may use it only with the encryption
 * context of one of this stack's log groups, whose ARN CloudWatch Logs puts in `kms:EncryptionContext:aws:logs:arn`
 * (the log group ARN without `:*`). Statement and actions as "Encrypt log data in CloudWatch Logs using AWS KMS",
 * step 2: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function logKeyPolicy(scope: LogKeyPolicyScope): pulumi.Output<string> {
    const logGroupArns = scope.logGroupNamePrefixes.map(
        (prefix) =>
            pulumi.interpolate`arn:${scope.partition}:logs:${scope.region}:${scope.accountId}:log-group:${prefix}-*`,
    );
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountAdministersTheKey",
                Effect: "Allow",
                Principal: { AWS: pulumi.interpolate`arn:${scope.partition}:iam::${scope.accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchLogsEncryptsThisStacksLogGroups",
                Effect: "Allow",
                Principal: { Service: pulumi.interpolate`logs.${scope.region}.amazonaws.com` },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": logGroupArns } },
            },
        ],
    });
}
