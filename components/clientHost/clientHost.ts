import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CacheNetworkAccess, createCacheClientSecurityGroup } from "../cacheClient";
import { previousReleases } from "../previousRelease";
import { ClientHostAccessArgs, createClientHostAccess } from "./clientHostAccess";
import { clientHostUserData } from "./userData";

/** Where the client host goes, how operators reach it, and the package repositories' endpoint (from Network). */
export interface ClientHostArgs {
    /** The VPC of the host's security group. */
    readonly vpcId: pulumi.Input<string>;
    readonly subnetId: pulumi.Input<string>;
    /** The way in (config key `clientAccess`) and, for `ssm`, the endpoints' security group. */
    readonly access: ClientHostAccessArgs;
    /**
     * S3's prefix list (dnf repositories), for the host's HTTPS egress: the program's gateway endpoint's, or AWS's
     * managed list in a network the stack was given (whose own route, a gateway endpoint or a NAT, leads there).
     */
    readonly s3PrefixListId: pulumi.Input<string>;
    /** The S3 gateway endpoint: the host's first boot installs packages through it, so the host is created after it. */
    readonly s3Endpoint?: pulumi.Resource;
    /** The cluster's port and security group: the host adds its own rules to reach it. */
    readonly cache: CacheNetworkAccess;
    /** @default "t4g.nano" (arm64, like the AMI chosen) */
    readonly instanceType?: string;
    /** Tags on every resource that takes them. */
    readonly tags?: Record<string, string>;
}

/** Amazon Linux 2023 for arm64, resolved from AWS's public SSM parameter so no AMI id is hard-coded. */
const CLIENT_HOST_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
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
 * An EC2 host with redis-cli for operators, reached through an EC2 Instance Connect Endpoint or SSM Session Manager.
 * It owns its security group and adds the rules that let it into the cache (and, for Session Manager, into the
 * endpoints), named for itself; the Instance Connect Endpoint, the host's own client, does the same on the host's
 * group.
 */
export class ClientHost extends pulumi.ComponentResource {
    public readonly instanceId: pulumi.Output<string>;
    public readonly securityGroupId: pulumi.Output<string>;

    constructor(name: string, args: ClientHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-cluster:clientHost:ClientHost", name, {}, opts);

        this.securityGroupId = createCacheClientSecurityGroup(
            {
                name,
                client: "client-host",
                description: CLIENT_HOST_SECURITY_GROUP_DESCRIPTIONS[args.access.way],
                parent: this,
                vpcId: args.vpcId,
                tags: args.tags,
            },
            args.cache,
        );
        // The package repositories are S3 buckets: HTTPS to S3's prefix list (the program's gateway endpoint, or AWS's
        // managed list in a given network, whatever route it takes), and to nothing else on the internet.
        const packagesEgress = new aws.vpc.SecurityGroupEgressRule(
            `${name}-client-host-to-s3`,
            {
                ipProtocol: "tcp",
                fromPort: HTTPS,
                toPort: HTTPS,
                securityGroupId: this.securityGroupId,
                prefixListId: args.s3PrefixListId,
                description:
                    args.s3Endpoint !== undefined
                        ? "HTTPS to S3 (package repositories) through the gateway endpoint"
                        : "HTTPS to S3 (package repositories) through the network's own route",
            },
            // 0.1.0: Network's `-host-to-s3`; kept, or the new rule would duplicate it and AWS refuse it.
            { parent: this, aliases: previousReleases(name, "client-host-to-s3") },
        );
        const access = createClientHostAccess(
            {
                name,
                parent: this,
                vpcId: args.vpcId,
                subnetId: args.subnetId,
                hostSecurityGroupId: this.securityGroupId,
                tags: args.tags,
            },
            args.access,
        );
        const ami = aws.ssm.getParameterOutput({ name: CLIENT_HOST_AMI_PARAMETER }, { parent: this }).value;

        const instance = new aws.ec2.Instance(
            `${name}-client-host`,
            {
                ami,
                instanceType: args.instanceType ?? "t4g.nano",
                subnetId: args.subnetId,
                vpcSecurityGroupIds: [this.securityGroupId],
                iamInstanceProfile: access.instanceProfileName,
                userData: clientHostUserData(),
                // IMDSv2 only, one hop: credentials cannot be read through a forwarded request or from a container.
                metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
                rootBlockDevice: { encrypted: true, volumeType: "gp3" },
                tags: { ...args.tags, Name: `${name}-client-host` },
            },
            {
                parent: this,
                aliases: previousReleases(name, "client-host"),
                // A new AMI is published every few weeks; it must not replace the host on the next `pulumi up`.
                ignoreChanges: ["ami"],
                // Its user data's `dnf install` needs the S3 route and the egress rule to it on first boot.
                dependsOn: [...(args.s3Endpoint ? [args.s3Endpoint] : []), packagesEgress],
            },
        );
        this.instanceId = instance.id;
        this.registerOutputs({ instanceId: this.instanceId, securityGroupId: this.securityGroupId });
    }
}
