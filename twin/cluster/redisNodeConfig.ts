import { CLUSTER_BUS_OFFSET } from "./loopbackPorts";
import { TlsMaterial } from "./tlsCertificates";

/** What one node's redis.conf depends on. */
export interface RedisNodeConfigInput {
    readonly host: string;
    readonly port: number;
    readonly dir: string;
    readonly clusterNodeTimeoutMs: number;
    readonly password?: string;
    /**
     * With `password`: the harness's own user, with every right; the `default` user is then switched off from the
     * start, as a user group with a disabled default does on ElastiCache, and replicas replicate as this user.
     */
    readonly adminUser?: string;
    readonly tls?: TlsMaterial;
}

/** The text of one cluster node's redis.conf. */
export function redisNodeConfig(input: RedisNodeConfigInput): string {
    const lines = [
        `bind ${input.host}`,
        // Nodes share one port, as on ElastiCache; each announces its own address, or peers would learn the
        // address a connection happened to come from and the cluster would never form.
        `cluster-announce-ip ${input.host}`,
        `cluster-port ${input.port + CLUSTER_BUS_OFFSET}`,
        "cluster-enabled yes",
        "cluster-config-file nodes.conf",
        `cluster-node-timeout ${input.clusterNodeTimeoutMs}`,
        `dir ${quote(input.dir)}`,
        `logfile ${quote(`${input.dir}/redis.log`)}`,
        "daemonize no",
        // Nothing persisted: each run starts empty and writes nothing outside its temp dir.
        'save ""',
        "appendonly no",
        // Replicas sync straight from memory; the default 5 s delay (waiting for more replicas) would slow startup.
        "repl-diskless-sync yes",
        "repl-diskless-sync-delay 0",
        "repl-diskless-load on-empty-db",
        // Redis 7 refuses DEBUG to everyone by default; allowed here so that the ACL, not this switch, is what refuses
        // it to the function's user (tests/integration/accessControl.test.ts).
        "enable-debug-command yes",
    ];
    if (input.tls) {
        lines.push(
            "port 0",
            `tls-port ${input.port}`,
            `tls-cert-file ${quote(input.tls.certPath)}`,
            `tls-key-file ${quote(input.tls.keyPath)}`,
            `tls-ca-cert-file ${quote(input.tls.caPath)}`,
            // ElastiCache in-transit encryption does not ask clients for certificates.
            "tls-auth-clients no",
            "tls-cluster yes",
            "tls-replication yes",
        );
    } else {
        lines.push(`port ${input.port}`);
    }
    if (input.password !== undefined && input.adminUser !== undefined) {
        // ACLs are per node: every node gets the same users. With the default user off, a replica must name a user
        // allowed to replicate (PSYNC, REPLCONF) when it connects to its primary.
        lines.push(
            "user default off resetkeys -@all",
            `user ${input.adminUser} on ${quote(`>${input.password}`)} ~* &* +@all`,
            `masteruser ${input.adminUser}`,
            `masterauth ${quote(input.password)}`,
        );
    } else if (input.password !== undefined) {
        // Replicas authenticate to their primary with the same token, as on ElastiCache.
        lines.push(`requirepass ${quote(input.password)}`, `masterauth ${quote(input.password)}`);
    }
    return `${lines.join("\n")}\n`;
}

/** A redis.conf double-quoted string: backslash and double quote escaped, nothing else needs it. */
function quote(value: string): string {
    return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
