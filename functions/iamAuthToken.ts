/**
 * The ElastiCache IAM authentication token: a SigV4 query-string presigned `GET http://<cache name>/?Action=connect&
 * User=<user id>` (service `elasticache`, valid 15 minutes), without its scheme, sent as the AUTH password of the IAM
 * user. Written with node:crypto only, so the function's archive carries no AWS SDK.
 *
 * Proven byte for byte against botocore's `SigV4QueryAuth` for fixed credentials and time
 * (tests/unit/iamAuthToken.test.ts). What only the cloud proves: that ElastiCache accepts it (see docs/security.md §2).
 * @see https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth-iam.html
 */
import type { IamSettings } from "./environment";

/** ElastiCache accepts a token for 15 minutes after signing; a connection made with it then lives up to 12 hours. */
export const IAM_TOKEN_EXPIRES_SECONDS = 900;

/** Signs a token for `userId` at `now`. Pure apart from the clock passed in. */
export function signIamAuthToken(iam: IamSettings, userId: string, now: Date): string {
    // Required at run time: Pulumi serializes this function by value into the Lambda.
    const { createHash, createHmac } = require("crypto") as typeof import("crypto");
    const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");
    const hmac = (key: Buffer | string, text: string): Buffer =>
        createHmac("sha256", key).update(text, "utf8").digest();
    // RFC 3986 unreserved characters stay, everything else is %XX (what SigV4 and botocore's percent_encode do).
    const encode = (text: string): string =>
        encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

    const amzDate = now
        .toISOString()
        .replace(/[-:]/g, "")
        .replace(/\.\d{3}/, "");
    const day = amzDate.slice(0, 8);
    const scope = `${day}/${iam.region}/elasticache/aws4_request`;
    // The order botocore writes them in: the operation's parameters, then the auth parameters, then the signature.
    const parameters: Array<[string, string]> = [
        ["Action", "connect"],
        ["User", userId],
        ["X-Amz-Algorithm", "AWS4-HMAC-SHA256"],
        ["X-Amz-Credential", `${iam.accessKeyId}/${scope}`],
        ["X-Amz-Date", amzDate],
        ["X-Amz-Expires", String(IAM_TOKEN_EXPIRES_SECONDS)],
        ["X-Amz-SignedHeaders", "host"],
    ];
    if (iam.sessionToken !== undefined) parameters.push(["X-Amz-Security-Token", iam.sessionToken]);
    const encoded = parameters.map(([key, value]) => [encode(key), encode(value)] as const);
    const canonicalQuery = [...encoded]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => `${key}=${value}`)
        .join("&");
    // Over http:// the payload is hashed, not UNSIGNED-PAYLOAD: the hash of the empty body.
    const canonicalRequest = ["GET", "/", canonicalQuery, `host:${iam.cacheName}`, "", "host", sha256("")].join("\n");
    const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256(canonicalRequest)].join("\n");
    const signingKey = hmac(
        hmac(hmac(hmac(`AWS4${iam.secretAccessKey}`, day), iam.region), "elasticache"),
        "aws4_request",
    );
    const signature = createHmac("sha256", signingKey).update(stringToSign, "utf8").digest("hex");
    const query = encoded.map(([key, value]) => `${key}=${value}`).join("&");
    return `${iam.cacheName}/?${query}&X-Amz-Signature=${signature}`;
}
