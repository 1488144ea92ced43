/**
 * Turns a Function URL event into "SET this key to this value" or a 4xx answer. Pure: a bad request is rejected
 * here, before anything touches Redis.
 */
import { ALLOWED_METHODS, FunctionUrlEvent } from "./http";

/** What `GET /` without parameters writes: the tutorial's own pair, kept so the tutorial's smoke test still passes. */
export const TUTORIAL_PAIR = { key: "hogehoge", value: "fugafuga" } as const;

/** Longest key accepted, in UTF-8 bytes. Longer keys are answered 413 (same status as an oversized value). */
export const MAX_KEY_BYTES = 1024;

/** Largest value accepted, in UTF-8 bytes. Larger values are answered 413. */
export const MAX_VALUE_BYTES = 64 * 1024;

/** A request that passed validation. */
export interface SetGetRequest {
    readonly ok: true;
    readonly method: string;
    readonly key: string;
    readonly value: string;
}

/** A request answered without touching Redis. */
export interface RejectedRequest {
    readonly ok: false;
    readonly method: string;
    readonly statusCode: 400 | 404 | 405 | 413;
    readonly error: string;
}

export type ParsedRequest = SetGetRequest | RejectedRequest;

/**
 * Validates a Function URL event:
 * - `GET /` without parameters → the tutorial's pair;
 * - `GET /?key=K&value=V` → K, V (both or neither);
 * - `POST /` with a JSON object body `{"key": "K", "value": "V"}` (base64 when `isBase64Encoded`);
 * - anything else → a 4xx with a short message.
 */
export function parseRequest(event: FunctionUrlEvent): ParsedRequest {
    const method = (event.requestContext?.http?.method ?? "GET").toUpperCase();
    if (!(ALLOWED_METHODS as readonly string[]).includes(method)) {
        return reject(method, 405, `method ${method} is not allowed; use GET or POST`);
    }
    const path = event.rawPath ?? event.requestContext?.http?.path ?? "/";
    if (path !== "/" && path !== "") {
        return reject(method, 404, "not found: only / is served");
    }
    const pair = method === "POST" ? readJsonBody(event) : readQuery(event);
    if ("error" in pair) {
        return reject(method, 400, pair.error);
    }
    return validatePair(method, pair.key, pair.value);
}

type Pair = { key: unknown; value: unknown } | { error: string };

function readQuery(event: FunctionUrlEvent): Pair {
    const params = queryParameters(event);
    const key = params.key;
    const value = params.value;
    if (key === undefined && value === undefined) {
        return { ...TUTORIAL_PAIR };
    }
    return { key, value };
}

/**
 * Function URLs give decoded `queryStringParameters` (repeated names joined by commas); hand-written events may
 * carry only `rawQueryString`, so fall back to parsing it.
 */
function queryParameters(event: FunctionUrlEvent): Readonly<Record<string, string | undefined>> {
    if (event.queryStringParameters) {
        return event.queryStringParameters;
    }
    const raw = event.rawQueryString ?? "";
    return raw === "" ? {} : Object.fromEntries(new URLSearchParams(raw));
}

function readJsonBody(event: FunctionUrlEvent): Pair {
    const raw = event.body ?? "";
    const text = event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
    let parsed: unknown;
    try {
        parsed = JSON.parse(text);
    } catch {
        return { error: 'body must be JSON: {"key": "...", "value": "..."}' };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        return { error: 'body must be a JSON object: {"key": "...", "value": "..."}' };
    }
    const record = parsed as Record<string, unknown>;
    return { key: record.key, value: record.value };
}

function validatePair(method: string, key: unknown, value: unknown): ParsedRequest {
    if (key === undefined || value === undefined) {
        return reject(method, 400, "give both key and value, or (GET only) neither");
    }
    if (typeof key !== "string" || typeof value !== "string") {
        return reject(method, 400, "key and value must be strings");
    }
    if (key === "") {
        return reject(method, 400, "key must not be empty");
    }
    // A lone UTF-16 surrogate cannot be stored as UTF-8: Redis would hand back U+FFFD instead of what was sent.
    if (!isWellFormed(key) || !isWellFormed(value)) {
        return reject(method, 400, "key and value must be valid Unicode text");
    }
    if (Buffer.byteLength(key, "utf8") > MAX_KEY_BYTES) {
        return reject(method, 413, `key is longer than ${MAX_KEY_BYTES} bytes`);
    }
    if (Buffer.byteLength(value, "utf8") > MAX_VALUE_BYTES) {
        return reject(method, 413, `value is longer than ${MAX_VALUE_BYTES} bytes`);
    }
    return { ok: true, method, key, value };
}

function isWellFormed(text: string): boolean {
    return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

function reject(method: string, statusCode: RejectedRequest["statusCode"], error: string): RejectedRequest {
    return { ok: false, method, statusCode, error };
}
