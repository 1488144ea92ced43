/** The cluster's clients: the operators' host and how they reach it, and the function with its URL. */
import type { StackSettings } from "../settings";
import {
    CLIENT_ACCESS_WAYS,
    ClientAccess,
    ELASTICACHE_MAX_CLIENTS,
    FUNCTION_URL_AUTH_TYPES,
    LAMBDA_DEFAULT_ACCOUNT_CONCURRENCY,
    LAMBDA_UNRESERVED_MINIMUM,
} from "../catalog";
import { MAX_CONNECTIONS_PER_NODE_PER_CONTAINER } from "../../functions/redisClusterOptions";
import { boolean, choice, NOT_THE_CLUSTER, optionalInteger, refused } from "./declaration";

const otherAccess = (settings: StackSettings): ClientAccess =>
    settings.clientAccess === "ssm" ? "instance-connect" : "ssm";
/** Beyond this many instances, one node could be asked for more connections than ElastiCache's fixed maxclients. */
const MAX_FUNCTION_CONCURRENCY = Math.floor(ELASTICACHE_MAX_CLIENTS / MAX_CONNECTIONS_PER_NODE_PER_CONTAINER);
/** The most a reservation can take on an account with Lambda's default quota. */
const DEFAULT_QUOTA_ROOM = LAMBDA_DEFAULT_ACCOUNT_CONCURRENCY - LAMBDA_UNRESERVED_MINIMUM;

const withHost = (settings: StackSettings): Record<string, string> =>
    settings.clientHost ? {} : { clientHost: "true" };

export const CLIENT_KEYS = {
    /** The EC2 client host with redis-cli, and the way operators reach it (`clientAccess`). */
    clientHost: boolean({
        default: true,
        description:
            "The EC2 client host with redis-cli and the endpoint operators reach it through (clientAccess); false saves their cost.",
        change: {
            label: (s): string => `${s.clientHost} → ${!s.clientHost}`,
            to: (s): Record<string, string> => ({ clientHost: String(!s.clientHost) }),
            note: "Adds or removes the EC2 host, its security group and rules, the S3 gateway endpoint and its `clientAccess` way's resources; the cluster is untouched.",
        },
        rehearsal: refused(`the client host ${NOT_THE_CLUSTER}`),
    }),
    /**
     * How operators reach the client host; see `CLIENT_ACCESS_WAYS`. Meaningless (and ignored) without a host.
     * "" (Pulumi.yaml's default) so that the CLI's merge of project defaults still lets the program tell "not set" from
     * "set" and warn only about a value it ignores; it means instance-connect: the same shell as Session Manager's for
     * none of its hourly endpoint charges.
     */
    clientAccess: choice({
        allowed: CLIENT_ACCESS_WAYS,
        default: "",
        emptyMeans: "instance-connect",
        description:
            "How operators reach the client host: instance-connect (SSH through an EC2 Instance Connect Endpoint, no hourly charge) or ssm (Session Manager through three interface endpoints, billed per hour). Empty means instance-connect; ignored, with a warning, when clientHost is false.",
        change: {
            // Judged with a client host: without one (prod as shipped) the key is ignored, with a warning.
            label: (s): string =>
                `${s.clientAccess} → ${otherAccess(s)}${s.clientHost ? "" : " (with clientHost: true)"}`,
            from: (s): Record<string, string> => withHost(s),
            to: (s): Record<string, string> => ({ ...withHost(s), clientAccess: otherAccess(s) }),
            note: "One way's resources are deleted and the other's created (SSM interface endpoints, their group, the host's role and profile ↔ the EC2 Instance Connect Endpoint, its group, the SSH rules). The host's security group is replaced (its description names the way in); the host moves to the new group in place. The endpoint is `deleteBeforeReplace`: one per VPC.",
        },
        rehearsal: refused(`the way into the client host ${NOT_THE_CLUSTER}`),
    }),
    functionUrlAuthType: choice({
        allowed: FUNCTION_URL_AUTH_TYPES,
        default: "AWS_IAM",
        description: "AWS_IAM (signed requests) or NONE (public; logs a warning).",
        warning: (authType) =>
            authType === "NONE"
                ? "functionUrlAuthType: NONE makes the function URL public: anyone on the internet can invoke it and write to the cluster"
                : undefined,
        change: {
            label: () => "AWS_IAM → NONE",
            to: () => ({ functionUrlAuthType: "NONE" }),
            note: "Also needs `allowPublicFunctionUrl` in the stack's policy config.",
        },
        rehearsal: refused("the rehearsal calls the function directly; the Function URL's IAM check is not part of it"),
    }),
    /**
     * The function's reserved concurrency: the most instances it runs at once (each holds a connection to the nodes it
     * calls), so a burst or a misbehaving caller is throttled by Lambda instead of piling connections onto the nodes.
     * Unset: no reservation, the account's unreserved pool bounds it. Lambda refuses a reservation that would leave the
     * account fewer than 100 unreserved, so on an account whose whole quota is 100 or less (new accounts may start
     * lower, e.g. 10) any value fails.
     * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html
     */
    functionConcurrency: optionalInteger({
        default: "",
        min: 1,
        max: MAX_FUNCTION_CONCURRENCY,
        unit:
            `concurrent instances (Lambda keeps ${LAMBDA_UNRESERVED_MINIMUM} of the account's concurrency unreserved, so ` +
            `at most the account's quota minus ${LAMBDA_UNRESERVED_MINIMUM}; new accounts may have less than ` +
            `${LAMBDA_UNRESERVED_MINIMUM} in all, where no value is accepted)`,
        unsetMeans: "no reservation",
        description:
            `The function's reserved concurrency, 1-${MAX_FUNCTION_CONCURRENCY} instances (at most ${MAX_CONNECTIONS_PER_NODE_PER_CONTAINER} connections each to a node, within ElastiCache's ${ELASTICACHE_MAX_CLIENTS}); empty for none. ` +
            `Lambda keeps ${LAMBDA_UNRESERVED_MINIMUM} of the account's concurrency unreserved, and new accounts may have less than that in all (any reservation then fails); docs/security.md.`,
        warning: (concurrency) =>
            concurrency !== undefined && concurrency > DEFAULT_QUOTA_ROOM
                ? `functionConcurrency: ${concurrency} is more than an account with Lambda's default quota of ` +
                  `${LAMBDA_DEFAULT_ACCOUNT_CONCURRENCY} can reserve (${DEFAULT_QUOTA_ROOM}: ${LAMBDA_UNRESERVED_MINIMUM} stay ` +
                  'unreserved); raise the region\'s "Concurrent executions" quota first, or `pulumi up` fails'
                : undefined,
        change: {
            label: (s): string => `${s.functionConcurrency ?? "none"} → 50`,
            to: (): Record<string, string> => ({ functionConcurrency: "50" }),
            note: `PutFunctionConcurrency on the function, in place; the cluster is untouched. Refused by Lambda if the account would keep fewer than ${LAMBDA_UNRESERVED_MINIMUM} unreserved. Unsetting it removes the reservation.`,
        },
        rehearsal: refused(
            "the rehearsal starts the function's containers itself; Lambda's throttling is not part of it",
        ),
    }),
    /** The Lambda confirms each SET with `WAIT 1` on the key's primary (see functions/README.md). */
    durableWrites: boolean({
        default: false,
        description:
            "The Lambda confirms each SET with WAIT 1 (a replica has the write) before answering 200; 503 if none did in time.",
        change: {
            label: (s): string => `${s.durableWrites} → ${!s.durableWrites}`,
            to: (s): Record<string, string> => ({ durableWrites: String(!s.durableWrites) }),
            note: "The function's environment variable; the cluster is untouched.",
        },
        rehearsal: "shown",
    }),
};
