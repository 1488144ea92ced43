import * as pulumi from "@pulumi/pulumi";
import { CacheNetworkAccess } from "../cacheClient";

/** The cluster as the function sees it: where to connect, how to authenticate, and the group to add its rule to. */
export interface CacheAccess extends CacheNetworkAccess {
    /** The configuration endpoint: the cluster client's seed node. */
    readonly configurationEndpointAddress: pulumi.Input<string>;
    readonly transitEncryption: boolean;
    /** The replication group's AUTH token (authMode token), a secret; undefined otherwise. */
    readonly authToken: pulumi.Input<string | undefined>;
    /** The function's own Redis user (authMode rbac, iam); undefined with an AUTH token or no authentication. */
    readonly user?: FunctionRedisUser;
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
