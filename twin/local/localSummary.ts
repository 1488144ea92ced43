/** What `npm start` prints once the local system is up: what runs where, and commands to paste. */
import { TUTORIAL_PAIR } from "../../functions/request";
import { LocalSystem } from "./localSystem";
import { renderNodeStatus } from "./nodeStatus";

/** The summary lines; roles are read from the running cluster, not assumed. */
export async function renderSummary(system: LocalSystem, stack: string): Promise<string[]> {
    const { cluster, server, handler } = system;
    const endpoint = `${cluster.configurationEndpoint.host}:${cluster.configurationEndpoint.port}`;
    const topology = await cluster.topology();
    const nodes = topology.map((status) => {
        const where = `${status.node.host}:${status.node.port}`.padEnd(21);
        const role =
            status.role === "primary"
                ? `primary  shard ${status.shard} (slots ${cluster.slotRange(status.shard ?? status.node.shard).join("-")})`
                : `replica  of ${status.primary?.host ?? "?"}`;
        return `    ${where} ${role.padEnd(38)} pid ${status.node.pid}`;
    });
    const access = system.operator ? "Redis users (default off)" : system.authToken ? "AUTH" : "no AUTH";
    const security = [cluster.tls ? "TLS" : "no TLS", access].join(" + ");
    const tlsFlags = cluster.tls ? ` --tls --cacert ${cluster.tls.caPath}` : "";
    const userFlag = system.operator ? ` --user ${system.operator.userName}` : "";
    const secret = system.operator?.password ?? system.authToken;
    const authFlags = secret ? `${userFlag} -a ${secret} --no-auth-warning` : "";
    const status = await renderNodeStatus(cluster, `${tlsFlags}${authFlags}`);
    return [
        `Local system of stack ${stack}:`,
        `  Redis Cluster: ${cluster.shards} shard(s) × (1 primary + ${cluster.replicasPerShard} replica(s)) = ${cluster.nodes.length} nodes, ${security}`,
        ...nodes,
        `  Configuration endpoint: ${endpoint} (the cluster client's seed, as ElastiCache's configuration endpoint)`,
        ...(system.authToken ? [`  AUTH token (generated for this run): ${system.authToken}`] : []),
        ...(system.operator
            ? [
                  `  Operators' Redis user: ${system.operator.userName} (the function has its own, with only what it needs)`,
              ]
            : []),
        ...(cluster.tls ? [`  CA certificate: ${cluster.tls.caPath}`] : []),
        `  Handler: the program's serialized Lambda archive in a bare Node process, pid ${handler.pid}`,
        `  Local Function URL: ${server.url}`,
        "Try it:",
        `  curl '${server.url}'`,
        `  curl '${server.url}?key=hello&value=world'`,
        `  curl -X POST -H 'content-type: application/json' -d '{"key":"hello","value":"world"}' '${server.url}'`,
        `  redis-cli -c${tlsFlags} -h ${cluster.configurationEndpoint.host} -p ${cluster.port}${authFlags} GET ${TUTORIAL_PAIR.key}`,
        ...status,
    ];
}
