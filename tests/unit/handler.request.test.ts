import { expect } from "chai";
import { MAX_KEY_BYTES, MAX_VALUE_BYTES, parseRequest, TUTORIAL_PAIR } from "../../functions/request";
import { functionUrlEvent, getEvent, postEvent } from "../../twin/functionUrl/events";

describe("handler: request parsing and validation", function () {
    describe("requests that reach Redis", function () {
        it("GET / without parameters writes the tutorial's pair", function () {
            expect(parseRequest(functionUrlEvent("GET"))).to.deep.equal({ ok: true, method: "GET", ...TUTORIAL_PAIR });
            expect(TUTORIAL_PAIR).to.deep.equal({ key: "hogehoge", value: "fugafuga" });
        });

        it("GET /?key=K&value=V takes both from the query string, decoded", function () {
            expect(parseRequest(getEvent("user:1 {tag}", "a&b=c ü"))).to.deep.equal({
                ok: true,
                method: "GET",
                key: "user:1 {tag}",
                value: "a&b=c ü",
            });
        });

        it("reads rawQueryString when queryStringParameters is absent (hand-written events)", function () {
            const event = { ...functionUrlEvent("GET"), rawQueryString: "key=k%20x&value=v%2Bw" };
            expect(parseRequest(event)).to.include({ ok: true, key: "k x", value: "v+w" });
        });

        it("accepts an empty value (only the key must be non-empty)", function () {
            expect(parseRequest(getEvent("k", ""))).to.include({ ok: true, key: "k", value: "" });
        });

        it("POST / takes key and value from a JSON body, plain or base64-encoded", function () {
            for (const base64 of [false, true]) {
                expect(parseRequest(postEvent("k", "v ✓", base64)), `base64=${base64}`).to.deep.equal({
                    ok: true,
                    method: "POST",
                    key: "k",
                    value: "v ✓",
                });
            }
        });

        it("treats the method case-insensitively and an event without requestContext as GET /", function () {
            expect(parseRequest(functionUrlEvent("post", { body: { key: "k", value: "v" } }))).to.include({
                ok: true,
                method: "POST",
            });
            expect(parseRequest({})).to.deep.equal({ ok: true, method: "GET", ...TUTORIAL_PAIR });
        });

        it("accepts a key of exactly the limit and a value of exactly the limit", function () {
            const parsed = parseRequest(postEvent("k".repeat(MAX_KEY_BYTES), "v".repeat(MAX_VALUE_BYTES)));
            expect(parsed.ok).to.equal(true);
        });
    });

    describe("bad requests (answered without touching Redis)", function () {
        const cases: Array<[string, ReturnType<typeof functionUrlEvent>, number, RegExp]> = [
            ["body that is not JSON", functionUrlEvent("POST", { body: "key=k&value=v" }), 400, /must be JSON/],
            ["empty POST body", functionUrlEvent("POST"), 400, /must be JSON/],
            ["JSON body that is not an object", functionUrlEvent("POST", { body: ["k", "v"] }), 400, /JSON object/],
            ["JSON null body", functionUrlEvent("POST", { body: "null" }), 400, /JSON object/],
            ["key that is not a string", functionUrlEvent("POST", { body: { key: 1, value: "v" } }), 400, /strings/],
            [
                "value that is not a string",
                functionUrlEvent("POST", { body: { key: "k", value: { a: 1 } } }),
                400,
                /strings/,
            ],
            ["null value", functionUrlEvent("POST", { body: { key: "k", value: null } }), 400, /strings/],
            ["empty key", getEvent("", "v"), 400, /key must not be empty/],
            ["only a key (GET)", functionUrlEvent("GET", { query: { key: "k" } }), 400, /both key and value/],
            ["only a value (GET)", functionUrlEvent("GET", { query: { value: "v" } }), 400, /both key and value/],
            ["only a key (POST)", functionUrlEvent("POST", { body: { key: "k" } }), 400, /both key and value/],
            ["POST without key and value", functionUrlEvent("POST", { body: {} }), 400, /both key and value/],
            [
                "lone surrogate in the value",
                functionUrlEvent("POST", { body: '{"key":"k","value":"\\ud800"}' }),
                400,
                /Unicode/,
            ],
            ["key over 1 KiB", postEvent("k".repeat(MAX_KEY_BYTES + 1), "v"), 413, /key is longer than 1024 bytes/],
            ["key over 1 KiB in UTF-8 bytes", postEvent("é".repeat(513), "v"), 413, /key is longer/],
            [
                "value over 64 KiB",
                postEvent("k", "v".repeat(MAX_VALUE_BYTES + 1)),
                413,
                /value is longer than 65536 bytes/,
            ],
            ["path other than /", functionUrlEvent("GET", { path: "/favicon.ico" }), 404, /only \/ is served/],
        ];
        for (const [name, event, statusCode, message] of cases) {
            it(`${name} → ${statusCode}`, function () {
                const parsed = parseRequest(event);
                expect(parsed.ok).to.equal(false);
                if (parsed.ok) return;
                expect(parsed.statusCode).to.equal(statusCode);
                expect(parsed.error).to.match(message);
            });
        }

        for (const method of ["PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]) {
            it(`${method} → 405`, function () {
                expect(parseRequest(functionUrlEvent(method, { body: { key: "k", value: "v" } }))).to.include({
                    ok: false,
                    statusCode: 405,
                    method,
                });
            });
        }
    });
});
