/**
 * The redirection the handler follows itself (functions/redirection.ts): which replies carry one, and what is sent to
 * the node it names. Stand-in node connections record the pipeline; the real path runs in
 * tests/integration/clusterReshape.test.ts on a slot left MIGRATING.
 */
import { expect } from "chai";
import type { Cluster } from "ioredis";
import { redirectionIn, writeAtRedirection } from "../../functions/redirection";

type Reply = [Error | null, unknown];

/** A node connection that records each pipeline's commands and answers each command with `answer`. */
function nodeLike(host: string, port: number, answer: (command: string) => Reply) {
    const sent: string[][] = [];
    return {
        options: { host, port },
        sent,
        pipeline() {
            const commands: string[] = [];
            sent.push(commands);
            const pipeline = {
                asking: () => (commands.push("asking"), pipeline),
                set: () => (commands.push("set"), pipeline),
                wait: () => (commands.push("wait"), pipeline),
                get: () => (commands.push("get"), pipeline),
                exec: async () => commands.map(answer),
            };
            return pipeline;
        },
    };
}

const fine = (command: string): Reply => [null, command === "wait" ? 1 : command === "get" ? "v" : "OK"];

function clusterLike(nodes: ReturnType<typeof nodeLike>[], created?: ReturnType<typeof nodeLike>) {
    const opened: object[] = [];
    const cluster = {
        nodes: () => nodes,
        connectionPool: { findOrCreate: (node: object) => (opened.push(node), created) },
    };
    return { cluster: cluster as unknown as Cluster, opened };
}

describe("handler: following a redirection ioredis left in a pipeline", function () {
    describe("redirectionIn", function () {
        it("finds ASK and MOVED with the node they name, the first one if several", function () {
            const ask: Reply = [new Error("ASK 866 127.0.0.3:6379"), null];
            const moved: Reply = [new Error("MOVED 866 node-0002-001.example.cache.amazonaws.com:6380"), null];
            expect(redirectionIn([ask, [null, 0], ask])).to.deep.equal({ asking: true, host: "127.0.0.3", port: 6379 });
            expect(redirectionIn([[null, "OK"], moved])).to.deep.equal({
                asking: false,
                host: "node-0002-001.example.cache.amazonaws.com",
                port: 6380,
            });
        });

        it("finds none in replies without one: success, other errors, a discarded pipeline", function () {
            expect(
                redirectionIn([
                    [null, "OK"],
                    [null, 1],
                    [null, "v"],
                ]),
            ).to.equal(undefined);
            expect(redirectionIn([[new Error("CLUSTERDOWN The cluster is down"), null]])).to.equal(undefined);
            expect(redirectionIn([[new Error("ASKED 1 nowhere"), null]])).to.equal(undefined);
            expect(redirectionIn(null)).to.equal(undefined);
        });
    });

    describe("writeAtRedirection", function () {
        it("after ASK: ASKING before SET and before GET, WAIT between, on the node named; replies without ASKING's", async function () {
            const other = nodeLike("127.0.0.2", 6379, fine);
            const importing = nodeLike("127.0.0.3", 6379, fine);
            const { cluster } = clusterLike([other, importing]);
            const replies = await writeAtRedirection(
                cluster,
                { asking: true, host: "127.0.0.3", port: 6379 },
                "k",
                "v",
                500,
            );
            expect(importing.sent).to.deep.equal([["asking", "set", "wait", "asking", "get"]]);
            expect(other.sent).to.deep.equal([]);
            expect(replies).to.deep.equal([
                [null, "OK"],
                [null, 1],
                [null, "v"],
            ]);
        });

        it("after MOVED: SET, GET and no ASKING; no WAIT without durable writes", async function () {
            const owner = nodeLike("127.0.0.3", 6379, fine);
            const { cluster } = clusterLike([owner]);
            const replies = await writeAtRedirection(
                cluster,
                { asking: false, host: "127.0.0.3", port: 6379 },
                "k",
                "v",
                undefined,
            );
            expect(owner.sent).to.deep.equal([["set", "get"]]);
            expect(replies).to.have.length(2);
        });

        it("opens the connection through ioredis's pool when it has none to that node (a primary that owns no slot yet)", async function () {
            const joined = nodeLike("127.0.0.7", 6379, fine);
            const { cluster, opened } = clusterLike([nodeLike("127.0.0.2", 6379, fine)], joined);
            await writeAtRedirection(cluster, { asking: true, host: "127.0.0.7", port: 6379 }, "k", "v", 500);
            expect(opened).to.deep.equal([{ host: "127.0.0.7", port: 6379 }]);
            expect(joined.sent).to.have.length(1);
        });

        it("throws the refusal when the node refuses ASKING (a user without +asking)", async function () {
            const refusing = nodeLike("127.0.0.3", 6379, (command) =>
                command === "asking"
                    ? [new Error("NOPERM this user has no permissions to run the 'asking' command"), null]
                    : fine(command),
            );
            const { cluster } = clusterLike([refusing]);
            let thrown: unknown;
            try {
                await writeAtRedirection(cluster, { asking: true, host: "127.0.0.3", port: 6379 }, "k", "v", 500);
            } catch (error) {
                thrown = error;
            }
            expect((thrown as Error | undefined)?.message).to.match(/^NOPERM/);
        });
    });
});
