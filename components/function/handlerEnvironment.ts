import * as pulumi from "@pulumi/pulumi";
import { HANDLER_ENVIRONMENT } from "../../functions/environment";
import { CacheAccess } from "./cacheAccess";

/**
 * The handler's environment variables: where the cluster is and how to authenticate, nothing captured in the closure.
 * A Redis user (rbac, iam) replaces the AUTH token; without TLS there is neither.
 */
export function handlerEnvironment(redis: CacheAccess, durableWrites: boolean): Record<string, pulumi.Input<string>> {
    const environment: Record<string, pulumi.Input<string>> = {
        [HANDLER_ENVIRONMENT.configurationEndpoint]: redis.configurationEndpointAddress,
        [HANDLER_ENVIRONMENT.port]: pulumi.output(redis.port).apply(String),
        [HANDLER_ENVIRONMENT.tls]: String(redis.transitEncryption),
        [HANDLER_ENVIRONMENT.durableWrites]: String(durableWrites),
    };
    const user = redis.user;
    if (user !== undefined) {
        environment[HANDLER_ENVIRONMENT.username] = user.userName;
        if (user.password !== undefined) environment[HANDLER_ENVIRONMENT.password] = user.password;
        if (user.iam !== undefined) environment[HANDLER_ENVIRONMENT.iamCacheName] = user.iam.replicationGroupId;
    } else if (redis.transitEncryption) {
        environment[HANDLER_ENVIRONMENT.authToken] = pulumi.output(redis.authToken).apply((token) => token ?? "");
    }
    return environment;
}
