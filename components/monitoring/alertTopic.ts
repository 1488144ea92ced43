import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AlertTopicArgs {
    /**
     * One e-mail address to subscribe. SNS mails a confirmation link first; until it is followed the subscription
     * stays "pending confirmation" and nothing is delivered to it.
     * @default undefined (no subscription: subscribe on-call tooling to the `topicArn` output instead)
     * @example "oncall@example.com"
     */
    readonly email?: string;
    readonly tags?: Record<string, string>;
}

/**
 * The one SNS topic every alarm (ALARM and OK) and the replication group's own events (failover, node replacement,
 * maintenance) are sent to. Created before the cluster, because the replication group names it
 * (`notificationTopicArn`, through {@link AlertTopic.eventTopicArn}, after the topic's policy); the alarms come later, in {@link Monitoring}.
 *
 * Not encrypted at rest, by necessity: ElastiCache cannot publish to an encrypted topic at all ("The Amazon SNS topic
 * you are publishing to cannot be encrypted", https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ElastiCacheSNS.html),
 * and CloudWatch alarms cannot publish to one encrypted with the AWS managed key `alias/aws/sns`, whose key policy
 * cannot grant the CloudWatch service principal `kms:GenerateDataKey*`/`kms:Decrypt`
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html, "compatibility with AWS services"). The messages
 * carry metric values, node ids and event names, never cached data; the topic policy limits who may publish.
 */
export class AlertTopic extends pulumi.ComponentResource {
    public readonly topicArn: pulumi.Output<string>;
    /**
     * The topic's ARN as its policy's output: known only once the policy exists, so a replication group given this one
     * is created (or modified) after ElastiCache is allowed to publish. AWS marks a topic ElastiCache cannot publish to
     * inactive, which disassociates it from the cluster (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ElastiCacheSNS.html),
     * and the provider never reads the topic's status back (replication_group.go sets notification_topic_arn only),
     * so a cluster created first would stay silent with no diff to show it.
     */
    public readonly eventTopicArn: pulumi.Output<string>;
    public readonly topic: aws.sns.Topic;

    constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-cluster:monitoring:AlertTopic", name, {}, opts);

        this.topic = new aws.sns.Topic(
            `${name}-alerts`,
            { displayName: "Redis cluster alarms and events", tags: args.tags },
            { parent: this },
        );
        const policy = new aws.sns.TopicPolicy(
            `${name}-alerts-policy`,
            { arn: this.topic.arn, policy: publishPolicy(this.topic.arn) },
            { parent: this },
        );
        if (args.email) {
            new aws.sns.TopicSubscription(
                `${name}-alerts-email`,
                { topic: this.topic.arn, protocol: "email", endpoint: args.email },
                { parent: this },
            );
        }

        this.topicArn = this.topic.arn;
        this.eventTopicArn = policy.arn;
        this.registerOutputs({ topicArn: this.topicArn, eventTopicArn: this.eventTopicArn });
    }
}

/**
 * Who may publish: ElastiCache's event notifications, which AWS documents as requiring the `AWS:SourceOwner` condition
 * (a topic policy using `aws:SourceAccount` makes ElastiCache mark the topic inactive:
 * https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ECEvents.SNS.html), and CloudWatch alarms of this account
 * and region only. The account, region and partition come from the topic's own ARN: no extra data source.
 */
function publishPolicy(topicArn: pulumi.Output<string>): pulumi.Output<string> {
    return topicArn.apply((arn) => {
        const [, partition, , region, account] = arn.split(":");
        return JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ElastiCacheEvents",
                    Effect: "Allow",
                    Principal: { AWS: "*" },
                    Action: "SNS:Publish",
                    Resource: arn,
                    Condition: { StringEquals: { "AWS:SourceOwner": account } },
                },
                {
                    Sid: "CloudWatchAlarmsOfThisAccount",
                    Effect: "Allow",
                    Principal: { Service: "cloudwatch.amazonaws.com" },
                    Action: "SNS:Publish",
                    Resource: arn,
                    Condition: {
                        ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
                        StringEquals: { "aws:SourceAccount": account },
                    },
                },
            ],
        });
    });
}
