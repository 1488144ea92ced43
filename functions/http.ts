/**
 * The slice of the Lambda Function URL contract (payload format 2.0) the handler uses, and the one way it answers.
 * Declared here rather than imported from `@types/aws-lambda` so `functions/` depends on nothing at run time.
 */

/** A Function URL request event (payload format 2.0); only the fields the handler reads. */
export interface FunctionUrlEvent {
    readonly rawPath?: string;
    readonly rawQueryString?: string;
    readonly queryStringParameters?: Readonly<Record<string, string | undefined>> | null;
    readonly headers?: Readonly<Record<string, string | undefined>> | null;
    readonly body?: string | null;
    readonly isBase64Encoded?: boolean;
    readonly requestContext?: {
        readonly http?: { readonly method?: string; readonly path?: string };
        readonly requestId?: string;
    };
}

/** The structured response a Function URL turns into an HTTP response. */
export interface FunctionUrlResult {
    statusCode: number;
    headers: Record<string, string>;
    body: string;
}

/** The part of the Lambda context object the handler uses; optional so tests and scripts can omit it. */
export interface LambdaContextLike {
    readonly awsRequestId?: string;
    getRemainingTimeInMillis?(): number;
}

/** Methods the handler serves; everything else is answered 405 with this list in `Allow`. */
export const ALLOWED_METHODS = ["GET", "POST"] as const;

/**
 * Builds a JSON response. Every answer goes through here so all carry `content-type: application/json`, and none is
 * cached: a GET here writes to Redis, so a cached answer would hide a write that did not happen.
 */
export function jsonResponse(
    statusCode: number,
    body: Readonly<Record<string, unknown>>,
    extraHeaders: Readonly<Record<string, string>> = {},
): FunctionUrlResult {
    return {
        statusCode,
        headers: { "content-type": "application/json", "cache-control": "no-store", ...extraHeaders },
        body: JSON.stringify(body),
    };
}
