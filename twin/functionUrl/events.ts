/**
 * Function URL events (payload format 2.0) as AWS sends them, for the handler's tests, `npm start` and the
 * benchmarks. Only the fields AWS always sets plus what the request needs.
 */
import type { FunctionUrlEvent } from "../../functions/http";
import { functionUrlEventFor } from "./functionUrlEvent";

export interface EventOptions {
    /** Query parameters; encoded into `rawQueryString` and copied, decoded, into `queryStringParameters`. */
    readonly query?: Readonly<Record<string, string>>;
    /** Request body: a string as is, anything else JSON-encoded. */
    readonly body?: unknown;
    /** Send the body as `application/octet-stream`, which a Function URL passes base64-encoded. */
    readonly base64?: boolean;
    /** @default "/" */
    readonly path?: string;
    readonly headers?: Readonly<Record<string, string>>;
}

/**
 * A Function URL event for `method` (any string: the handler must refuse what it does not serve), built by the same
 * {@link functionUrlEventFor} that turns `npm start`'s HTTP requests into events.
 */
export function functionUrlEvent(method: string, options: EventOptions = {}): FunctionUrlEvent {
    const query = new URLSearchParams(options.query ?? {}).toString();
    const text =
        options.body === undefined
            ? undefined
            : typeof options.body === "string"
              ? options.body
              : JSON.stringify(options.body);
    // A Function URL base64-encodes a body whose content type is not text: an octet stream asks for exactly that.
    const contentType =
        text === undefined ? {} : { "content-type": options.base64 ? "application/octet-stream" : "application/json" };
    return functionUrlEventFor(
        {
            method,
            target: `${options.path ?? "/"}${query ? `?${query}` : ""}`,
            headers: { host: "abcdefghij.lambda-url.us-east-1.on.aws", ...contentType, ...options.headers },
            body: Buffer.from(text ?? "", "utf8"),
        },
        `test-${Math.random().toString(16).slice(2)}`,
    );
}

/** `GET /?key=K&value=V`. */
export function getEvent(key: string, value: string): FunctionUrlEvent {
    return functionUrlEvent("GET", { query: { key, value } });
}

/** `POST /` with the JSON body `{"key": K, "value": V}`. */
export function postEvent(key: string, value: string, base64 = false): FunctionUrlEvent {
    return functionUrlEvent("POST", { body: { key, value }, base64 });
}
