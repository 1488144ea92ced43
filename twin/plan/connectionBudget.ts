/**
 * The function's worst case of connections on one cache node, beside what the node accepts: every instance Lambda may
 * run at once (its reserved concurrency, or without one the account's whole default quota) holding the most
 * connections one container opens to a node. Printed by `npm run plan` for each stack.
 */
import {
    ELASTICACHE_MAX_CLIENTS,
    LAMBDA_DEFAULT_ACCOUNT_CONCURRENCY,
    LAMBDA_UNRESERVED_MINIMUM,
} from "../../config/catalog";
import { MAX_CONNECTIONS_PER_NODE_PER_CONTAINER } from "../../functions/redisClusterOptions";

export interface ConnectionBudget {
    /** The instances counted: the reservation, or the default account quota without one. */
    readonly instances: number;
    readonly reserved: boolean;
    readonly perNode: number;
    readonly nodeLimit: number;
}

export function connectionBudget(functionConcurrency: number | undefined): ConnectionBudget {
    const instances = functionConcurrency ?? LAMBDA_DEFAULT_ACCOUNT_CONCURRENCY;
    return {
        instances,
        reserved: functionConcurrency !== undefined,
        perNode: instances * MAX_CONNECTIONS_PER_NODE_PER_CONTAINER,
        nodeLimit: ELASTICACHE_MAX_CLIENTS,
    };
}

export function renderConnectionBudget(nodeType: string, functionConcurrency: number | undefined): string[] {
    const budget = connectionBudget(functionConcurrency);
    const share = ((budget.perNode / budget.nodeLimit) * 100).toFixed(1);
    const instances = budget.reserved
        ? `functionConcurrency ${budget.instances}, reserved`
        : `no functionConcurrency: bounded only by the account's concurrency, ${budget.instances} by Lambda's default quota`;
    return [
        `Connections per cache node, worst case (${instances}):`,
        `  ${budget.instances} instances × ${MAX_CONNECTIONS_PER_NODE_PER_CONTAINER} connections each (the client's own, and one more while it refreshes the slot map) = ` +
            `${budget.perNode.toLocaleString("en-US")} of the ${budget.nodeLimit.toLocaleString("en-US")} a ${nodeType} node accepts (${share}%; ElastiCache's maxclients, the same on every node type).`,
        ...(budget.reserved
            ? [
                  `  The reservation needs ${budget.instances} + ${LAMBDA_UNRESERVED_MINIMUM} of the region's concurrency quota (Lambda keeps ${LAMBDA_UNRESERVED_MINIMUM} unreserved).`,
              ]
            : []),
    ];
}
