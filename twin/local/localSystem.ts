/**
 * The whole system on one machine, in a stack's shape: a real Redis Cluster on loopback (the test harness's, with TLS
 * and AUTH when the stack has in-transit encryption), the Lambda archive the program serializes, running in a bare
 * Node process, and a local Function URL in front of it. Everything started is stopped by `stop()`, by pid.
 */
import { randomBytes } from "crypto";
import { localHandlerEnvironment } from "../archive/localHandlerEnvironment";
import { HANDLER_ENVIRONMENT } from "../../functions/environment";
import { ArchiveProcess } from "../archive/archiveProcess";
import { LambdaArchive, writeLambdaArchive } from "../archive/lambdaArchive";
import { LocalRedisCluster, startRedisCluster } from "../cluster/redisCluster";
import { FunctionUrlServer, FunctionUrlServerOptions, serveFunctionUrl } from "../functionUrl/functionUrlServer";
import { LoadedStack } from "../program/stackSettings";
import { applyRedisUsers, LOCAL_ADMIN_USER } from "../cluster/redisUsers";
import { applyLocalParameters, describeAppliedParameters } from "../cluster/localParameters";

export interface LocalSystemOptions {
    readonly stack: LoadedStack;
    /** Port of the local Function URL. @default a free port */
    readonly port?: number;
    /** Progress, one step at a time. */
    readonly say: (message: string) => void;
    /** Told about each request the local Function URL answers. */
    readonly onRequest?: FunctionUrlServerOptions["onRequest"];
    /**
     * The handler archive, when the caller has already evaluated the program (a rehearsal plans first); built from the
     * stack otherwise (and then removed by `stop()`; a given one stays the caller's).
     */
    readonly archive?: LambdaArchive;
    /**
     * authMode token: start the cluster with the harness's own user all the same, the default user holding the token,
     * so the cluster can later be switched to the program's users (a rehearsal of token → rbac).
     * @default false
     */
    readonly harnessUser?: boolean;
}

export interface LocalSystem {
    readonly cluster: LocalRedisCluster;
    readonly archive: LambdaArchive;
    readonly handler: ArchiveProcess;
    readonly server: FunctionUrlServer;
    /** authMode token: the AUTH token generated for this run; undefined otherwise. */
    readonly authToken?: string;
    /** authMode rbac, iam: the operators' Redis user and its password, as the program declares them. */
    readonly operator?: { readonly userName: string; readonly password: string };
    /** Stops the server, the handler process and every redis-server (waiting until each pid is gone), removes files. */
    stop(): Promise<void>;
}

/** Starts everything; on any failure stops what had started and rethrows. */
export async function startLocalSystem(options: LocalSystemOptions): Promise<LocalSystem> {
    const { settings } = options.stack;
    const withUsers = settings.authMode === "rbac" || settings.authMode === "iam";
    const tokenWithHarnessUser = settings.authMode === "token" && options.harnessUser === true;
    // token: the default user's AUTH token; rbac, iam: the password of the harness's own user (the default user is off).
    const password = settings.authMode === "none" ? undefined : generateToken();
    const authToken = settings.authMode === "token" ? password : undefined;
    const nodes = settings.numNodeGroups * (settings.replicaCount + 1);
    const shape = `${settings.numNodeGroups}×${settings.replicaCount}`;
    const security = withUsers
        ? `TLS + the program's Redis users (authMode ${settings.authMode})`
        : settings.transitEncryption
          ? "TLS + AUTH token"
          : "plain (no TLS, no AUTH)";
    options.say(
        `starting a local Redis Cluster of ${shape} (${settings.numNodeGroups} shard(s) × ${settings.replicaCount} replica(s) = ${nodes} nodes), ${security}; ` +
            "building the handler archive from the program meanwhile",
    );

    // Both are slow for different reasons (processes forming a cluster; the program's evaluation), so they overlap.
    // The evaluation stays in this process: on 2 busy cores, building it in a child (archiveBuilder.ts, with its own
    // ts-node and Pulumi start-up) measured 14-16 s to ready against 11 s in-process.
    const clusterStart = startRedisCluster({
        shards: settings.numNodeGroups,
        replicasPerShard: settings.replicaCount,
        tls: settings.transitEncryption,
        password,
        adminUser: withUsers || tokenWithHarnessUser ? LOCAL_ADMIN_USER : undefined,
        // The harness's last step lists every node; the summary shows them better, after the line below.
        onProgress: (message) => {
            if (!message.startsWith("cluster healthy")) options.say(`cluster: ${message}`);
        },
    }).then((cluster) => {
        options.say(`cluster ${shape} ${settings.transitEncryption ? "TLS" : "plain"} ready on port ${cluster.port}`);
        return cluster;
    });
    const archiveBuild = (
        options.archive
            ? Promise.resolve(options.archive)
            : writeLambdaArchive({ stack: options.stack.stack, config: { ...options.stack.overrides } })
    ).then((archive) => {
        const kb = (bytes: number): string => `${Math.round(bytes / 1024)} KB`;
        options.say(
            `handler archive serialized by the program: ${archive.files.length} files, ${kb(archive.unzippedBytes)} (${kb(archive.zippedBytes)} zipped)`,
        );
        return archive;
    });
    const [clusterResult, archiveResult] = await Promise.allSettled([clusterStart, archiveBuild]);
    const cluster = clusterResult.status === "fulfilled" ? clusterResult.value : undefined;
    const archive = archiveResult.status === "fulfilled" ? archiveResult.value : undefined;

    let handler: ArchiveProcess | undefined;
    let server: FunctionUrlServer | undefined;
    const stop = async (): Promise<void> => {
        const results = await Promise.allSettled([
            (async () => {
                await server?.close();
                await handler?.stop();
            })(),
            cluster?.stop(),
        ]);
        if (!options.archive) archive?.remove();
        const failures = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
        if (failures.length > 0)
            throw new Error(`stopping: ${failures.map((failure) => String(failure.reason)).join("; ")}`);
    };
    try {
        if (clusterResult.status === "rejected") throw clusterResult.reason;
        if (archiveResult.status === "rejected") throw archiveResult.reason;
        if (tokenWithHarnessUser) await cluster!.applyAclUsers([tokenDefaultUser(authToken!)]);
        if (settings.parameters) {
            // What the stack's parameter group gives every ElastiCache node, the same on every local one.
            for (const line of describeAppliedParameters(await applyLocalParameters(cluster!, settings.parameters)))
                options.say(line);
        }
        if (withUsers) {
            await applyRedisUsers(cluster!, archive!.redisUsers);
            options.say(
                `the program's Redis users applied as ACLs on every node: ${archive!.redisUsers.map((user) => `${user.userName} "${user.accessString}"`).join(", ")}`,
            );
        }
        if (settings.authMode === "iam") {
            options.say(
                "authMode iam: ElastiCache would take a SigV4 token the handler signs per connection (elasticache:Connect); a local " +
                    "Redis cannot check one, so here the function's user has a local password instead — same user, same ACL",
            );
        }
        handler = await ArchiveProcess.start({
            archiveDir: archive!.dir,
            // The program points the function at ElastiCache; here it is the local cluster and its token and CA.
            env: localHandlerEnvironment(archive!, cluster!, tokenEnvironment(archive!, authToken)),
        });
        options.say(
            `handler loaded in a bare Node process (pid ${handler.pid}, ${handler.loadMs.toFixed(0)} ms to load and create its cluster client)`,
        );
        const invoker = handler;
        server = await serveFunctionUrl({
            port: options.port,
            invoke: async (event) => (await invoker.invoke(event)).result,
            onRequest: options.onRequest,
        });
        options.say(`local Function URL listening on ${server.url}`);
        const operatorUser = archive!.redisUsers.find((user) => user.userId.endsWith("-operator"));
        const operator =
            withUsers && operatorUser
                ? { userName: operatorUser.userName, password: operatorUser.passwords[0] }
                : undefined;
        return { cluster: cluster!, archive: archive!, handler, server, authToken, operator, stop };
    } catch (error) {
        await stop().catch(() => undefined);
        throw error;
    }
}

/** The default user as ElastiCache's AUTH token makes it: every right, the token as its password. */
export function tokenDefaultUser(token: string): string[] {
    return ["ACL", "SETUSER", "default", "reset", "on", `>${token}`, "~*", "&*", "+@all"];
}

/**
 * The token for a function configured for authMode token, when the cluster also has the harness's user (with which
 * localHandlerEnvironment would give the function no credentials); nothing otherwise.
 */
export function tokenEnvironment(
    archive: Pick<LambdaArchive, "environment">,
    token: string | undefined,
): Record<string, string> {
    return token !== undefined && HANDLER_ENVIRONMENT.authToken in archive.environment
        ? { [HANDLER_ENVIRONMENT.authToken]: token }
        : {};
}

/** Letters and digits only: valid as an ElastiCache AUTH token and safe to paste into a shell. */
function generateToken(): string {
    let token = "";
    while (token.length < 32)
        token += randomBytes(48)
            .toString("base64")
            .replace(/[^A-Za-z0-9]/g, "");
    return token.slice(0, 32);
}
