/**
 * Function URL events (payload format 2.0) as AWS sends them, for the handler's tests, `npm start` and the
 * benchmarks. Only the fields AWS always sets plus what the request needs.
 */
import type { FunctionUrlEvent } from "../../functions/http";

export interface EventOptions {
    /** Query parameters; encoded into `rawQueryString` and copied, decoded, into `queryStringParameters`. */
    readonly query?: Readonly<Record<string, string>>;
    /** Request body: a string as is, anything else JSON-encoded. */
    readonly body?: unknown;
    /** Send the body base64-encoded with `isBase64Encoded: true`, as Function URLs do for non-text content types. */
    readonly base64?: boolean;
    /** @default "/" */
    readonly path?: string;
    readonly headers?: Readonly<Record<string, string>>;
}

/** A Function URL event for `method` (any string: the handler must refuse what it does not serve). */
export function functionUrlEvent(method: string, options: EventOptions = {}): FunctionUrlEvent {
    const path = options.path ?? "/";
    const query = options.query ?? {};
    const rawQueryString = new URLSearchParams(query).toString();
    const text = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    return {
        rawPath: path,
        rawQueryString,
        ...(Object.keys(query).length > 0 ? { queryStringParameters: { ...query } } : {}),
        headers: {
            host: "abcdefghij.lambda-url.us-east-1.on.aws",
            ...(text === undefined ? {} : { "content-type": "application/json" }),
            ...options.headers,
        },
        ...(text === undefined
            ? {}
            : { body: options.base64 ? Buffer.from(text, "utf8").toString("base64") : text, isBase64Encoded: options.base64 ?? false }),
        requestContext: {
            http: { method, path },
            requestId: `test-${Math.random().toString(16).slice(2)}`,
        },
    };
}

/** `GET /?key=K&value=V`. */
export function getEvent(key: string, value: string): FunctionUrlEvent {
    return functionUrlEvent("GET", { query: { key, value } });
}

/** `POST /` with the JSON body `{"key": K, "value": V}`. */
export function postEvent(key: string, value: string, base64 = false): FunctionUrlEvent {
    return functionUrlEvent("POST", { body: { key, value }, base64 });
}
