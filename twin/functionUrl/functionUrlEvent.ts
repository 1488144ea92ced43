/**
 * The Lambda Function URL contract (payload format 2.0), both ways: an HTTP request becomes the event a Function URL
 * would send, and what the handler returns becomes the HTTP response a Function URL would send back.
 * Reference: "Invoking Lambda function URLs" in the AWS Lambda developer guide (request and response payloads).
 */
import type { IncomingMessage } from "http";

/** The request event as a Function URL sends it. */
export interface FunctionUrlRequestEvent {
    readonly version: "2.0";
    readonly routeKey: "$default";
    readonly rawPath: string;
    readonly rawQueryString: string;
    readonly cookies?: string[];
    readonly headers: Record<string, string>;
    readonly queryStringParameters?: Record<string, string>;
    readonly requestContext: {
        readonly accountId: string;
        readonly apiId: string;
        readonly domainName: string;
        readonly domainPrefix: string;
        readonly http: {
            readonly method: string;
            readonly path: string;
            readonly protocol: string;
            readonly sourceIp: string;
            readonly userAgent: string;
        };
        readonly requestId: string;
        readonly routeKey: "$default";
        readonly stage: "$default";
        readonly time: string;
        readonly timeEpoch: number;
    };
    readonly body?: string;
    readonly isBase64Encoded: boolean;
}

/** What goes back on the wire. */
export interface HttpAnswer {
    readonly statusCode: number;
    readonly headers: Record<string, string | string[]>;
    readonly body: Buffer;
}

/** Function URLs pass these bodies as text; any other content type arrives base64-encoded. */
function isTextContentType(contentType: string | undefined): boolean {
    const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
    return type.startsWith("text/") || /^application\/(json|javascript|xml|[\w.+-]+\+(json|xml))$/.test(type);
}

/** An HTTP request as a Function URL receives it: what the event is built from. */
export interface HttpRequest {
    readonly method: string;
    /** Path and query, as on the request line (`/?key=k`). */
    readonly target: string;
    readonly headers: Readonly<Record<string, string | string[] | undefined>>;
    readonly body: Buffer;
    /** @default "HTTP/1.1" */
    readonly protocol?: string;
    /** @default "127.0.0.1" */
    readonly sourceIp?: string;
}

/** The event a Function URL would build from an HTTP request (node's `IncomingMessage` through {@link functionUrlEventFrom}). */
export function functionUrlEventFor(
    request: HttpRequest,
    requestId: string,
    now = new Date(),
): FunctionUrlRequestEvent {
    const { target, body } = request;
    const queryStart = target.indexOf("?");
    const rawPath = queryStart === -1 ? target : target.slice(0, queryStart);
    const rawQueryString = queryStart === -1 ? "" : target.slice(queryStart + 1);

    // Repeated headers and query parameters are joined with commas; cookies move to their own field.
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
        if (value === undefined || name === "cookie") continue;
        headers[name] = Array.isArray(value) ? value.join(",") : value;
    }
    const cookieHeader = request.headers.cookie;
    const cookies = (Array.isArray(cookieHeader) ? cookieHeader.join(";") : (cookieHeader ?? ""))
        .split(";")
        .map((cookie) => cookie.trim())
        .filter(Boolean);
    const query: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(rawQueryString))
        query[name] = name in query ? `${query[name]},${value}` : value;

    const domainName = headers.host ?? "127.0.0.1";
    const text = isTextContentType(headers["content-type"]);
    return {
        version: "2.0",
        routeKey: "$default",
        rawPath,
        rawQueryString,
        ...(cookies.length > 0 ? { cookies } : {}),
        headers,
        ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
        requestContext: {
            accountId: "anonymous",
            apiId: "local",
            domainName,
            domainPrefix: domainName.split(".")[0],
            http: {
                method: request.method,
                path: rawPath,
                protocol: request.protocol ?? "HTTP/1.1",
                sourceIp: request.sourceIp ?? "127.0.0.1",
                userAgent: headers["user-agent"] ?? "",
            },
            requestId,
            routeKey: "$default",
            stage: "$default",
            time: formatTime(now),
            timeEpoch: now.getTime(),
        },
        ...(body.length > 0 ? { body: text ? body.toString("utf8") : body.toString("base64") } : {}),
        isBase64Encoded: body.length > 0 && !text,
    };
}

/** The event a Function URL would build from this request. */
export function functionUrlEventFrom(
    request: IncomingMessage,
    body: Buffer,
    requestId: string,
    now = new Date(),
): FunctionUrlRequestEvent {
    return functionUrlEventFor(
        {
            method: request.method ?? "GET",
            target: request.url ?? "/",
            headers: request.headers,
            body,
            protocol: `HTTP/${request.httpVersion}`,
            sourceIp: request.socket.remoteAddress ?? "127.0.0.1",
        },
        requestId,
        now,
    );
}

/**
 * The HTTP response a Function URL makes of the handler's result: a result with `statusCode` is used as is
 * (headers, cookies, body, base64 when `isBase64Encoded`); anything else is sent as a 200 JSON body.
 */
export function httpAnswerFrom(result: unknown): HttpAnswer {
    const value = result as {
        statusCode?: unknown;
        headers?: Record<string, unknown>;
        cookies?: unknown;
        body?: unknown;
        isBase64Encoded?: unknown;
    } | null;
    if (value === null || typeof value !== "object" || typeof value.statusCode !== "number") {
        return {
            statusCode: 200,
            headers: { "content-type": "application/json" },
            body: Buffer.from(JSON.stringify(result ?? null)),
        };
    }
    const headers: Record<string, string | string[]> = {};
    for (const [name, header] of Object.entries(value.headers ?? {})) headers[name.toLowerCase()] = String(header);
    if (Array.isArray(value.cookies) && value.cookies.length > 0) headers["set-cookie"] = value.cookies.map(String);
    const body =
        typeof value.body === "string" ? value.body : value.body === undefined ? "" : JSON.stringify(value.body);
    return {
        statusCode: value.statusCode,
        headers,
        body: Buffer.from(body, value.isBase64Encoded === true ? "base64" : "utf8"),
    };
}

/** `27/Nov/2026:21:30:00 +0000`, the request time format Function URL events carry. */
function formatTime(date: Date): string {
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const two = (value: number): string => String(value).padStart(2, "0");
    return `${two(date.getUTCDate())}/${months[date.getUTCMonth()]}/${date.getUTCFullYear()}:${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())} +0000`;
}
