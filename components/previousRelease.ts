import * as pulumi from "@pulumi/pulumi";

/** Release 0.1.0's components that were the parents of resources this release moved into Compute. */
const NETWORK = "redis-cluster:network:Network";
const CACHE = "redis-cluster:cache:RedisCluster";

/**
 * What release 0.1.0 called the resources this release re-parents or renames: today's name (without the stack's
 * prefix) → that release's parent component and name. In 0.1.0 the security groups of both clients were the Network's;
 * the cache rules were the RedisCluster's, numbered in index.ts's order (client 1 the function, client 2 the host,
 * absent in stacks without one); the host's rules to the Session Manager endpoints and S3 were the Network's.
 *
 * An alias is the engine's "this is the resource once registered under that URN": without one, a new URN is a create
 * and the old one a delete, so the security groups would be replaced (a Lambda's group is deleted only once its ENIs
 * are, which can take long or fail) and, were they kept, the rules created again beside the old ones
 * (InvalidPermission.Duplicate).
 *
 * Not listed, on purpose: the RedisCluster's `<prefix>-auth-token` (authMode rbac replaces the shared token; see
 * docs/operations.md §12). tests/unit/upgrade.test.ts checks every URN of 0.1.0 against this list.
 */
export const PREVIOUS_RELEASE: Readonly<Record<string, { readonly parentType: string; readonly name: string }>> = {
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
 * The `aliases` option of `<prefix>-<role>`: release 0.1.0's name under its parent then, or none for a resource that
 * release did not have. `prefix` is the name index.ts gives every component, so 0.1.0's parent was
 * `<parent type>::<prefix>`, a top-level component.
 */
export function previousRelease(prefix: string, role: string): pulumi.Alias[] {
    const previous = PREVIOUS_RELEASE[role];
    if (previous === undefined) return [];
    return [{ name: `${prefix}-${previous.name}`, parent: pulumi.createUrn(prefix, previous.parentType) }];
}
