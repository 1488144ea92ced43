/**
 * What the benchmarks run against: a local 3-shard × 1-replica Redis Cluster with TLS and AUTH (the default stack's
 * security), the handler archive the program serializes, and the environment that points one at the other.
 */
import { randomBytes } from "crypto";
import { HANDLER_ENVIRONMENT } from "../../functions/environment";
import { ArchiveProcess } from "../../tests/support/archiveProcess";
import type { LambdaArchive } from "../../tests/support/lambdaArchive";
import { LocalRedisCluster, startRedisCluster } from "../../tests/support/redisCluster";
import { buildLambdaArchive } from "../lib/archiveBuilder";

/** The shape every benchmark uses. */
export const BENCH_SHAPE = { shards: 3, replicasPerShard: 1 } as const;

/** Hex: letters and digits only, valid as an ElastiCache AUTH token. */
export function generateToken(): string {
    return randomBytes(16).toString("hex");
}

export function startBenchCluster(say: (message: string) => void): Promise<LocalRedisCluster> {
    return startRedisCluster({
        ...BENCH_SHAPE,
        tls: true,
        password: generateToken(),
        onProgress: (step, ms) => say(`cluster: ${step} (${(ms / 1000).toFixed(1)} s)`),
    });
}

/** The dev stack's handler archive, built by the program under mocks in a child process. */
export function buildArchive(): Promise<LambdaArchive> {
    return buildLambdaArchive({ stack: "dev" });
}

/**
 * The function's environment as the program sets it, pointed at the local cluster: its address, port, token, and the
 * throw-away CA through `NODE_EXTRA_CA_CERTS` (the handler verifies certificates as it would against ElastiCache).
 * The baseline gets the same environment, so both verify TLS the same way.
 */
export function handlerEnvironment(
    archive: LambdaArchive,
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

/** Where a Lambda-shaped module lives: a directory, the file in it and its export, as `handler` settings name them. */
export interface FunctionCode {
    readonly label: string;
    readonly dir: string;
    readonly entryFile: string;
    readonly exportName: string;
}

/** The archive's own entry point, from the function's `handler` setting (`<file>.<export>`). */
export function archiveCode(archive: LambdaArchive): FunctionCode {
    const dot = archive.handler.lastIndexOf(".");
    return { label: "handler", dir: archive.dir, entryFile: `${archive.handler.slice(0, dot)}.js`, exportName: archive.handler.slice(dot + 1) };
}

/** Starts `code` in a fresh bare Node process with `env`; the caller stops it. */
export function startFunction(code: FunctionCode, env: Readonly<Record<string, string>>): Promise<ArchiveProcess> {
    return ArchiveProcess.start({ archiveDir: code.dir, entryFile: code.entryFile, exportName: code.exportName, env });
}
