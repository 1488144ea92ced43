/**
 * What the benchmarks run against: a local 3-shard × 1-replica Redis Cluster with TLS and the program's Redis users
 * (the default stack's security: the handler runs under its own least-privilege user), the handler archive the program
 * serializes, and the environment that points one at the other.
 */
import { randomBytes } from "crypto";
import { ArchiveProcess } from "../archive/archiveProcess";
import type { LambdaArchive } from "../archive/lambdaArchive";
import { LocalRedisCluster, startRedisCluster } from "../cluster/redisCluster";
import { buildLambdaArchive } from "../archive/archiveBuilder";
import { applyRedisUsers, LOCAL_ADMIN_USER, withDurableWrites } from "../cluster/redisUsers";

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
        adminUser: LOCAL_ADMIN_USER,
        password: generateToken(),
        onProgress: (step, ms) => say(`cluster: ${step} (${(ms / 1000).toFixed(1)} s)`),
    });
}

/** Applies the archive's Redis users (with WAIT for the function when `durableWrites`) to every node. */
export function applyArchiveUsers(
    cluster: LocalRedisCluster,
    archive: LambdaArchive,
    durableWrites = false,
): Promise<void> {
    return applyRedisUsers(cluster, durableWrites ? withDurableWrites(archive.redisUsers) : archive.redisUsers);
}

/** The dev stack's handler archive, built by the program under mocks in a child process. */
export function buildArchive(): Promise<LambdaArchive> {
    return buildLambdaArchive({ stack: "dev" });
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
    return {
        label: "handler",
        dir: archive.dir,
        entryFile: `${archive.handler.slice(0, dot)}.js`,
        exportName: archive.handler.slice(dot + 1),
    };
}

/** Starts `code` in a fresh bare Node process with `env`; the caller stops it. */
export function startFunction(code: FunctionCode, env: Readonly<Record<string, string>>): Promise<ArchiveProcess> {
    return ArchiveProcess.start({ archiveDir: code.dir, entryFile: code.entryFile, exportName: code.exportName, env });
}
