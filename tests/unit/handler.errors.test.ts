import { expect } from "chai";
import { classifyRedisFailure, deadlineExceeded, replicationNotConfirmed } from "../../functions/redisErrors";

/** An error shaped like the ones ioredis and Node hand out. */
function errorWith(message: string, fields: Record<string, unknown> = {}): Error {
    return Object.assign(new Error(message), fields);
}

describe("handler: failure mapping and key slots", function () {
    describe("classifyRedisFailure", function () {
        const cases: Array<[string, unknown, { kind: string; statusCode: number; code: string }]> = [
            [
                "WRONGPASS reply",
                errorWith("WRONGPASS invalid username-password pair or user is disabled."),
                { kind: "auth", statusCode: 503, code: "WRONGPASS" },
            ],
            [
                "NOAUTH reply",
                errorWith("NOAUTH Authentication required."),
                { kind: "auth", statusCode: 503, code: "NOAUTH" },
            ],
            [
                "every node failed, the last one with WRONGPASS",
                errorWith("Failed to refresh slots cache.", {
                    lastNodeError: errorWith("WRONGPASS invalid username-password pair"),
                }),
                { kind: "auth", statusCode: 503, code: "WRONGPASS" },
            ],
            [
                "every node failed with a closed connection",
                errorWith("Failed to refresh slots cache.", { lastNodeError: errorWith("Connection is closed.") }),
                { kind: "unavailable", statusCode: 503, code: "CONNECTION_CLOSED" },
            ],
            [
                "every node failed with an unknown error (e.g. TLS certificate)",
                errorWith("Failed to refresh slots cache.", {
                    lastNodeError: errorWith("self-signed certificate in certificate chain"),
                }),
                { kind: "unavailable", statusCode: 503, code: "Error" },
            ],
            [
                "command timeout",
                errorWith("Command timed out"),
                { kind: "timeout", statusCode: 503, code: "COMMAND_TIMEOUT" },
            ],
            [
                "socket timeout",
                errorWith("Socket timeout. Expecting data, but didn't receive any in 1000ms."),
                { kind: "timeout", statusCode: 503, code: "SOCKET_TIMEOUT" },
            ],
            [
                "connect timeout",
                errorWith("connect ETIMEDOUT", { code: "ETIMEDOUT", syscall: "connect" }),
                { kind: "timeout", statusCode: 503, code: "ETIMEDOUT" },
            ],
            [
                "our deadline",
                deadlineExceeded("connecting to Redis", 2500),
                { kind: "timeout", statusCode: 503, code: "DEADLINE" },
            ],
            [
                "our deadline after a failed attempt",
                deadlineExceeded(
                    "the SET/GET pipeline",
                    2500,
                    errorWith("Too many Cluster redirections. Last error: Error: Connection is closed."),
                ),
                { kind: "timeout", statusCode: 503, code: "TOO_MANY_REDIRECTIONS" },
            ],
            [
                "connection refused",
                errorWith("connect ECONNREFUSED 127.0.0.1:6379", { code: "ECONNREFUSED", syscall: "connect" }),
                { kind: "unavailable", statusCode: 503, code: "ECONNREFUSED" },
            ],
            [
                "CLUSTERDOWN",
                errorWith("CLUSTERDOWN The cluster is down"),
                { kind: "unavailable", statusCode: 503, code: "CLUSTERDOWN" },
            ],
            [
                "TRYAGAIN",
                errorWith("TRYAGAIN Multiple keys request during rehashing of slot"),
                { kind: "unavailable", statusCode: 503, code: "TRYAGAIN" },
            ],
            [
                "LOADING",
                errorWith("LOADING Redis is loading the dataset in memory"),
                { kind: "unavailable", statusCode: 503, code: "LOADING" },
            ],
            [
                "READONLY",
                errorWith("READONLY You can't write against a read only replica."),
                { kind: "unavailable", statusCode: 503, code: "READONLY" },
            ],
            [
                "OOM",
                errorWith("OOM command not allowed when used memory > 'maxmemory'."),
                { kind: "unavailable", statusCode: 503, code: "OOM" },
            ],
            [
                "cluster not ready",
                errorWith("Cluster isn't ready and enableOfflineQueue options is false"),
                { kind: "unavailable", statusCode: 503, code: "CLUSTER_NOT_READY" },
            ],
            [
                "no replica acknowledged",
                replicationNotConfirmed(0),
                { kind: "unreplicated", statusCode: 503, code: "NOREPLICA" },
            ],
            [
                "a Redis error that is a bug, not an outage",
                errorWith("ERR wrong number of arguments for 'set' command"),
                { kind: "internal", statusCode: 500, code: "ERR" },
            ],
            [
                "a TypeError",
                new TypeError("Cannot read properties of undefined"),
                { kind: "internal", statusCode: 500, code: "TypeError" },
            ],
            ["a thrown string", "boom", { kind: "internal", statusCode: 500, code: "string" }],
        ];
        for (const [name, error, expected] of cases) {
            it(`${name} → ${expected.statusCode} ${expected.kind} (${expected.code})`, function () {
                expect(classifyRedisFailure(error)).to.include(expected);
            });
        }

        it("answers short messages without stack traces or error text", function () {
            for (const [, error] of cases) {
                const { message } = classifyRedisFailure(error);
                expect(message).not.to.match(/\n|at .*\(|Error:/);
                expect(message.length).to.be.below(80);
            }
        });
    });
});
