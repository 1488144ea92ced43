import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { previousReleases } from "./previousRelease";

/** The cluster as a client's network sees it: the port, and the security group each client adds its ingress to. */
export interface CacheNetworkAccess {
    readonly port: pulumi.Input<number>;
    /** The cluster's security group: each client adds `<name>-cache-from-<client>` on it. */
    readonly securityGroupId: pulumi.Input<string>;
}

/** The client a security group is created for, and where its resources go. */
export interface CacheClient {
    /** Resource name prefix; every resource is `${name}-<role>`. */
    readonly name: string;
    /** The client's role in names: `function`, `client-host`. */
    readonly client: string;
    /** The security group's description (EC2 replaces a group whose description changes). */
    readonly description: string;
    /** The client's component, the parent of everything created here. */
    readonly parent: pulumi.Resource;
    readonly vpcId: pulumi.Input<string>;
    readonly tags?: Record<string, string>;
}

/**
 * A client's own security group, and both directions of its access to the cache: egress on its own group and the
 * ingress on the cache's group that lets it in, each named for the client (`<name>-cache-from-function`), never by
 * position, so adding or removing a client does not rename (hence replace) another's rule. Returns the group's id.
 */
export function createCacheClientSecurityGroup(client: CacheClient, cache: CacheNetworkAccess): pulumi.Output<string> {
    const { name, parent } = client;
    const role = client.client;
    // 0.1.0 created both clients' groups in Network: the alias keeps them (a Lambda's group is slow to delete).
    const group = new aws.ec2.SecurityGroup(
        `${name}-${role}-sg`,
        { vpcId: client.vpcId, description: client.description, tags: client.tags },
        { parent, aliases: previousReleases(name, `${role}-sg`) },
    );
    const redisPort = { ipProtocol: "tcp", fromPort: cache.port, toPort: cache.port };
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-cache-from-${role}`,
        {
            ...redisPort,
            securityGroupId: cache.securityGroupId,
            referencedSecurityGroupId: group.id,
            description: `Redis from the ${role}`,
        },
        // 0.1.0: RedisCluster's `-from-client-<n>`; kept, or the new rule would duplicate it and AWS refuse it.
        { parent, aliases: previousReleases(name, `cache-from-${role}`) },
    );
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-${role}-to-cache`,
        {
            ...redisPort,
            securityGroupId: group.id,
            referencedSecurityGroupId: cache.securityGroupId,
            description: "Redis to the cluster",
        },
        // 0.1.0: RedisCluster's `-client-<n>-to-cache`; kept, or the new rule would duplicate it and AWS refuse it.
        { parent, aliases: previousReleases(name, `${role}-to-cache`) },
    );
    return group.id;
}
