import { HANDLER_ENVIRONMENT } from "../../functions/environment";
import { LambdaArchive } from "./lambdaArchive";
import { LocalRedisCluster } from "../cluster/redisCluster";
import { localIamStandIn } from "../cluster/redisUsers";

/**
 * The function's environment as the program sets it, pointed at a local cluster instead of ElastiCache: its address,
 * port, TLS, credentials, and its throw-away CA through `NODE_EXTRA_CA_CERTS` (the handler verifies certificates as it
 * would against ElastiCache). One definition for the tests, `npm start` and the benchmarks.
 *
 * Credentials follow how the cluster was started: with an admin user (the program's users applied, authMode rbac or
 * iam) the function keeps its own user and password from the program — under iam, the local stand-in password instead
 * of IAM tokens (a local Redis cannot check one); with a bare password (authMode token) it gets that token; without
 * one, no credentials.
 */
export function localHandlerEnvironment(
    archive: Pick<LambdaArchive, "environment">,
    cluster: LocalRedisCluster,
    overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
    const {
        [HANDLER_ENVIRONMENT.authToken]: _token,
        [HANDLER_ENVIRONMENT.username]: username,
        [HANDLER_ENVIRONMENT.password]: password,
        [HANDLER_ENVIRONMENT.iamCacheName]: iamCacheName,
        ...rest
    } = archive.environment;
    let credentials: Record<string, string> = {};
    if (cluster.adminUser !== undefined && username !== undefined) {
        const secret = iamCacheName !== undefined ? localIamStandIn(username) : password;
        credentials = {
            [HANDLER_ENVIRONMENT.username]: username,
            ...(secret !== undefined ? { [HANDLER_ENVIRONMENT.password]: secret } : {}),
        };
    } else if (cluster.password !== undefined && cluster.adminUser === undefined) {
        credentials = { [HANDLER_ENVIRONMENT.authToken]: cluster.password };
    }
    return {
        ...rest,
        [HANDLER_ENVIRONMENT.configurationEndpoint]: cluster.configurationEndpoint.host,
        [HANDLER_ENVIRONMENT.port]: String(cluster.port),
        [HANDLER_ENVIRONMENT.tls]: String(cluster.tls !== undefined),
        ...credentials,
        ...(cluster.tls ? { NODE_EXTRA_CA_CERTS: cluster.tls.caPath } : {}),
        ...overrides,
    };
}
