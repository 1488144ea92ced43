import { expect } from "chai";
import type { FunctionUrlRequestEvent } from "../../twin/functionUrl/functionUrlEvent";
import { FunctionUrlServer, MAX_REQUEST_BYTES, serveFunctionUrl } from "../../twin/functionUrl/functionUrlServer";

/**
 * The local Function URL of `npm start` against a stand-in handler (no Redis): the events it builds from real HTTP
 * requests, and the HTTP answers it makes of what a handler returns.
 */
describe("npm start's local Function URL (payload format 2.0)", () => {
    let server: FunctionUrlServer;
    let events: FunctionUrlRequestEvent[];
    let answer: (event: FunctionUrlRequestEvent) => Promise<unknown>;

    before(async () => {
        server = await serveFunctionUrl({
            invoke: (event) => {
                events.push(event);
                return answer(event);
            },
        });
    });
    beforeEach(() => {
        events = [];
        answer = async () => ({ statusCode: 204, headers: {}, body: "" });
    });
    after(() => server.close());

    it("listens on 127.0.0.1 at a free port when none is given", () => {
        expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\/$/);
        expect(server.port).to.be.greaterThan(0);
    });

    it("passes the raw path and query, the decoded parameters (repeats joined by commas) and the request context", async () => {
        await fetch(`${server.url}some/path?b=2&a=x%20y&b=3&flag`, {
            headers: { "X-Custom": "Value", "User-Agent": "test-agent" },
        });
        const [event] = events;
        expect(event).to.deep.include({
            version: "2.0",
            routeKey: "$default",
            rawPath: "/some/path",
            rawQueryString: "b=2&a=x%20y&b=3&flag",
            isBase64Encoded: false,
        });
        expect(event.queryStringParameters).to.deep.equal({ b: "2,3", a: "x y", flag: "" });
        expect(event.headers["x-custom"]).to.equal("Value");
        expect(event.requestContext.http).to.deep.include({
            method: "GET",
            path: "/some/path",
            userAgent: "test-agent",
            protocol: "HTTP/1.1",
        });
        expect(event.requestContext.http.sourceIp).to.equal("127.0.0.1");
        expect(event.requestContext.requestId).to.match(/^[0-9a-f-]{36}$/);
        expect(event).to.not.have.property("body");
    });

    it("leaves queryStringParameters out when there is no query, and moves cookies to their own field", async () => {
        await fetch(server.url, { headers: { cookie: "a=1; b=2" } });
        expect(events[0]).to.not.have.property("queryStringParameters");
        expect(events[0].cookies).to.deep.equal(["a=1", "b=2"]);
        expect(events[0].headers).to.not.have.property("cookie");
    });

    it("passes a JSON body as text and a binary one base64-encoded", async () => {
        await fetch(server.url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"k":"v"}' });
        await fetch(server.url, {
            method: "POST",
            headers: { "content-type": "application/octet-stream" },
            body: Buffer.from([0, 255, 1]),
        });
        expect(events[0]).to.deep.include({ body: '{"k":"v"}', isBase64Encoded: false });
        expect(events[1]).to.deep.include({ body: Buffer.from([0, 255, 1]).toString("base64"), isBase64Encoded: true });
        expect(events[1].requestContext.http.method).to.equal("POST");
    });

    it("answers with the handler's status, headers, cookies and body, base64-decoded when flagged", async () => {
        answer = async () => ({
            statusCode: 418,
            headers: { "X-Answer": "yes" },
            cookies: ["c=1"],
            body: Buffer.from("bytes").toString("base64"),
            isBase64Encoded: true,
        });
        const response = await fetch(server.url);
        expect(response.status).to.equal(418);
        expect(response.headers.get("x-answer")).to.equal("yes");
        expect(response.headers.get("set-cookie")).to.equal("c=1");
        expect(await response.text()).to.equal("bytes");
    });

    it("answers 200 JSON when the handler returns something other than a response object", async () => {
        answer = async () => ({ hello: "world" });
        const response = await fetch(server.url);
        expect(response.status).to.equal(200);
        expect(response.headers.get("content-type")).to.equal("application/json");
        expect(await response.json()).to.deep.equal({ hello: "world" });
    });

    it("answers 502 when the invocation fails, as a Function URL does", async () => {
        answer = async () => {
            throw new Error("handler crashed");
        };
        const response = await fetch(server.url);
        expect(response.status).to.equal(502);
        expect(await response.json()).to.deep.equal({ Message: "Internal Server Error" });
    });

    it("refuses a request body over 6 MB with 413, without invoking the handler", async () => {
        const response = await fetch(server.url, {
            method: "POST",
            headers: { "content-type": "text/plain" },
            body: "x".repeat(MAX_REQUEST_BYTES + 1),
        });
        expect(response.status).to.equal(413);
        expect(events).to.have.length(0);
    });

    it("refuses a port already in use with a message saying what to do", async () => {
        const error = await serveFunctionUrl({ port: server.port, invoke: answer }).then(
            () => undefined,
            (rejection: Error) => rejection,
        );
        expect(error?.message).to.include(`port ${server.port} on 127.0.0.1 is in use`);
    });
});
