import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logKeyPolicy } from "./keyPolicy";

export interface LogEncryptionKeyArgs {
    /** The names, before Pulumi's suffix, of the log groups that may use the key (one ARN pattern each). */
    readonly logGroupNamePrefixes: readonly string[];
    readonly tags?: Record<string, string>;
}

/**
 * Days a deleted key waits before KMS destroys it, the most KMS allows: logs written under the key stay readable that
 * long after `logEncryption: kms → default`, and a mistaken delete can be cancelled.
 */
const DELETION_WINDOW_DAYS = 30;

/**
 * The stack's customer-managed KMS key for its log groups (`logEncryption: kms`): symmetric (the only kind CloudWatch
 * Logs takes), rotated automatically, usable by CloudWatch Logs in the stack's region for the stack's log groups only.
 * $1 a month (AWS KMS pricing); revoking CloudWatch Logs' access, or deleting the key, makes what it encrypted
 * unreadable.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export class LogEncryptionKey extends pulumi.ComponentResource {
    /** What a log group's `kmsKeyId` takes. */
    public readonly keyArn: pulumi.Output<string>;
    public readonly key: aws.kms.Key;

    constructor(name: string, args: LogEncryptionKeyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-cluster:logs:LogEncryptionKey", name, {}, opts);
        const invoke = { parent: this };
        const [identity, partition, region] = [
            aws.getCallerIdentityOutput({}, invoke),
            aws.getPartitionOutput({}, invoke),
            aws.getRegionOutput({}, invoke),
        ];
        this.key = new aws.kms.Key(
            `${name}-logs-key`,
            {
                description: `Encrypts the log groups of ${name} (CloudWatch Logs only)`,
                enableKeyRotation: true,
                deletionWindowInDays: DELETION_WINDOW_DAYS,
                policy: logKeyPolicy({
                    partition: partition.partition,
                    accountId: identity.accountId,
                    region: region.region,
                    logGroupNamePrefixes: args.logGroupNamePrefixes,
                }),
                tags: args.tags,
            },
            { parent: this },
        );
        this.keyArn = this.key.arn;
        this.registerOutputs({ keyArn: this.keyArn });
    }
}
