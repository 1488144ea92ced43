/**
 * authMode iam, as far as it can be proven without AWS: the archive the program serializes, run in a bare Node process
 * with the credentials Lambda would give it, sends `HELLO 3 AUTH <its user> <token>` with a token signed for that very
 * connection (checked by re-signing it for the time it names), and a new one on the next connection. A stand-in server
 * records the handshake and refuses it, as ElastiCache would refuse a token it cannot verify; that the real ElastiCache
 * accepts the token stays on paper (docs/security.md §2).
 */
import { expect } from "chai";
import * as net from "net";
import { HANDLER_ENVIRONMENT } from "../../functions/environment";
import { signIamAuthToken } from "../../functions/iamAuthToken";
import { ArchiveProcess } from "../../twin/archive/archiveProcess";
import { getEvent } from "../../twin/functionUrl/events";
import { LambdaArchive, writeLambdaArchive } from "../../twin/archive/lambdaArchive";

const CREDENTIALS = {
    AWS_REGION: "eu-west-1",
    AWS_ACCESS_KEY_ID: "ASIAEXAMPLEKEYID1234",
    AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    AWS_SESSION_TOKEN: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH+example=",
};

/** A RESP server that records every command it receives and answers each with WRONGPASS. */
function startRefusingServer(): Promise<{ port: number; commands: string[][]; close(): Promise<void> }> {
    const commands: string[][] = [];
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => undefined);
        let buffered = "";
        socket.setEncoding("utf8");
        socket.on("data", (chunk: string) => {
            buffered += chunk;
            for (;;) {
                const parsed = parseArray(buffered);
                if (!parsed) break;
                buffered = buffered.slice(parsed.length);
                commands.push(parsed.args);
                socket.write("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            }
        });
    });
    return new Promise((resolve) =>
        server.listen(0, "127.0.0.1", () =>
            resolve({
                port: (server.address() as net.AddressInfo).port,
                commands,
                close: () => {
                    for (const socket of sockets) socket.destroy();
                    return new Promise((done) => server.close(() => done()));
                },
            }),
        ),
    );
}

/** One RESP array of bulk strings at the start of `text`, or undefined when it is not complete yet. */
function parseArray(text: string): { args: string[]; length: number } | undefined {
    const header = /^\*(\d+)\r\n/.exec(text);
    if (!header) return undefined;
    let offset = header[0].length;
    const args: string[] = [];
    for (let index = 0; index < Number(header[1]); index++) {
        const bulk = /^\$(\d+)\r\n/.exec(text.slice(offset));
        if (!bulk) return undefined;
        const start = offset + bulk[0].length;
        const size = Number(bulk[1]);
        if (Buffer.byteLength(text.slice(start)) < size + 2) return undefined;
        args.push(text.slice(start, start + size));
        offset = start + size + 2;
    }
    return { args, length: offset };
}

describe("authMode iam: the serialized handler's handshake", function () {
    this.timeout(120_000);
    let archive: LambdaArchive;
    let server: Awaited<ReturnType<typeof startRefusingServer>>;
    let fn: ArchiveProcess | undefined;

    before(async function () {
        archive = await writeLambdaArchive({
            stack: "dev",
            config: { authMode: "iam", engine: "valkey", engineVersion: "8.1" },
        });
        server = await startRefusingServer();
    });

    after(async function () {
        await fn?.stop();
        await server?.close();
        archive?.remove();
    });

    it("authenticates as its user with a token signed for each connection, and no password exists anywhere", async function () {
        expect(archive.environment).to.not.have.any.keys(HANDLER_ENVIRONMENT.password, HANDLER_ENVIRONMENT.authToken);
        const user = archive.environment[HANDLER_ENVIRONMENT.username];
        const cacheName = archive.environment[HANDLER_ENVIRONMENT.iamCacheName];
        expect(user).to.equal("redis-dev-function");
        fn = await ArchiveProcess.start({
            archiveDir: archive.dir,
            env: {
                ...archive.environment,
                ...CREDENTIALS,
                [HANDLER_ENVIRONMENT.configurationEndpoint]: "127.0.0.1",
                [HANDLER_ENVIRONMENT.port]: String(server.port),
                [HANDLER_ENVIRONMENT.tls]: "false",
            },
        });
        const first = await fn.invoke(getEvent("k", "v"));
        await new Promise((resolve) => setTimeout(resolve, 1100));
        const second = await fn.invoke(getEvent("k", "v"));
        for (const call of [first, second]) {
            expect(call.result.statusCode).to.equal(503);
            expect(JSON.parse(call.result.body)).to.deep.equal({ error: "Redis refused the credentials" });
        }

        // Node connections authenticate with HELLO 3 AUTH <user> <token>, the slot map's refresher connections
        // (RESP2) with AUTH <user> <token>.
        const credentials = server.commands.flatMap((command) => {
            const name = command[0].toUpperCase();
            if (name === "HELLO") return [command.slice(3, 5)];
            return name === "AUTH" ? [command.slice(1, 3)] : [];
        });
        expect(credentials.length, "a handshake per connection attempt").to.be.at.least(2);
        for (const [name] of credentials) expect(name).to.equal(user);
        const tokens = credentials.map(([, token]) => token);
        for (const token of tokens) {
            const url = new URL(`http://${token}`);
            const amzDate = url.searchParams.get("X-Amz-Date")!;
            const signedAt = new Date(
                `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
            );
            expect(Math.abs(Date.now() - signedAt.getTime()), "signed for this connection, not earlier").to.be.below(
                60_000,
            );
            const iam = {
                cacheName,
                region: CREDENTIALS.AWS_REGION,
                accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID,
                secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY,
                sessionToken: CREDENTIALS.AWS_SESSION_TOKEN,
            };
            expect(token).to.equal(signIamAuthToken(iam, user, signedAt));
        }
        expect(new Set(tokens).size, "connections a second apart get different tokens").to.be.at.least(2);
        expect(server.commands.flat().join(" ")).to.not.include(CREDENTIALS.AWS_SECRET_ACCESS_KEY);
    });
});
