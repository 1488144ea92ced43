import { HANDLER_ENVIRONMENT } from "../../functions/environment";
import { LambdaArchive } from "./lambdaArchive";
import { LocalRedisCluster } from "../cluster/redisCluster";

/**
 * The function's environment as the program sets it, pointed at a local cluster instead of ElastiCache: its address,
 * port, TLS, token, and its throw-away CA through `NODE_EXTRA_CA_CERTS` (the handler verifies certificates as it
 * would against ElastiCache). One definition for the tests, `npm start` and the benchmarks.
 */
export function localHandlerEnvironment(
    archive: Pick<LambdaArchive, "environment">,
    cluster: LocalRedisCluster,
    overrides: Readonly<Record<string, string>> = {},
): Record<string, string> {
    return {
        ...archive.environment,
        [HANDLER_ENVIRONMENT.configurationEndpoint]: cluster.configurationEndpoint.host,
        [HANDLER_ENVIRONMENT.port]: String(cluster.port),
        [HANDLER_ENVIRONMENT.tls]: String(cluster.tls !== undefined),
        [HANDLER_ENVIRONMENT.authToken]: cluster.password ?? "",
        ...(cluster.tls ? { NODE_EXTRA_CA_CERTS: cluster.tls.caPath } : {}),
        ...overrides,
    };
}
