import * as pulumi from "@pulumi/pulumi";

/** The components of earlier releases that were the parents of resources the client host and the function own now. */
const NETWORK = "redis-cluster:network:Network";
const CACHE = "redis-cluster:cache:RedisCluster";
/** 0.1.0 and 0.2.0: one component built both clients; this release splits it into ClientHost and SetGetFunction. */
export const COMPUTE = "redis-cluster:compute:Compute";

/**
 * What release 0.1.0 called the resources 0.2.0 re-parented or renamed: today's name (without the stack's prefix) →
 * that release's parent component and name. In 0.1.0 the security groups of both clients were the Network's; the cache
 * rules were the RedisCluster's, numbered in index.ts's order (client 1 the function, client 2 the host, absent in
 * stacks without one); the host's rules to the Session Manager endpoints and S3 were the Network's. Every other
 * resource of the clients was Compute's then, under the name it has today.
 *
 * An alias is the engine's "this is the resource once registered under that URN": without one, a new URN is a create
 * and the old one a delete, so the security groups would be replaced (a Lambda's group is deleted only once its ENIs
 * are, which can take long or fail) and, were they kept, the rules created again beside the old ones
 * (InvalidPermission.Duplicate).
 *
 * Not listed, on purpose: the RedisCluster's `<prefix>-auth-token` (authMode rbac replaces the shared token; see
 * docs/changing.md §7). tests/unit/upgrade.test.ts checks every URN of 0.1.0 and 0.2.0 against these aliases.
 */
export const RELEASE_0_1_0: Readonly<Record<string, { readonly parentType: string; readonly name: string }>> = {
    "function-sg": { parentType: NETWORK, name: "function-sg" },
    "client-host-sg": { parentType: NETWORK, name: "client-host-sg" },
    "cache-from-function": { parentType: CACHE, name: "from-client-1" },
    "cache-from-client-host": { parentType: CACHE, name: "from-client-2" },
    "function-to-cache": { parentType: CACHE, name: "client-1-to-cache" },
    "client-host-to-cache": { parentType: CACHE, name: "client-2-to-cache" },
    "client-host-to-endpoints": { parentType: NETWORK, name: "host-to-endpoints" },
    "client-host-to-s3": { parentType: NETWORK, name: "host-to-s3" },
    "endpoints-from-client-host": { parentType: NETWORK, name: "endpoint-from-host" },
};

/**
 * The `aliases` option of `<prefix>-<role>`, a resource of the client host or the function: its URN under 0.2.0's
 * Compute (same name and type; 0.1.0's too where Compute had it), and 0.1.0's name under another parent where that
 * release had one. `prefix` is the name index.ts gives every component, so an earlier parent was
 * `<parent type>::<prefix>`, a top-level component. The engine takes the alias that names a resource of the stack's
 * state; the others name nothing and cost nothing.
 */
export function previousReleases(prefix: string, role: string): pulumi.Alias[] {
    const aliases: pulumi.Alias[] = [{ parent: pulumi.createUrn(prefix, COMPUTE) }];
    const first = RELEASE_0_1_0[role];
    if (first !== undefined)
        aliases.push({ name: `${prefix}-${first.name}`, parent: pulumi.createUrn(prefix, first.parentType) });
    return aliases;
}
