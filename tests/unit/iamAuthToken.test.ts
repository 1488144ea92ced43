/**
 * The IAM auth token the handler signs with node:crypto, compared byte for byte with what AWS's own signer (botocore's
 * SigV4QueryAuth, Debian's python3-botocore) produces for the same credentials and time.
 */
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as path from "path";
import { IamSettings } from "../../functions/environment";
import { IAM_TOKEN_EXPIRES_SECONDS, signIamAuthToken } from "../../functions/iamAuthToken";

const BOTOCORE_SIGNER = path.join(__dirname, "..", "support", "botocoreIamToken.py");

function botocoreToken(iam: IamSettings, userId: string, time: string): string {
    const input = JSON.stringify({ ...iam, sessionToken: iam.sessionToken ?? null, userId, time });
    const run = spawnSync("python3", [BOTOCORE_SIGNER], { input, encoding: "utf8", timeout: 20_000 });
    if (run.status !== 0) {
        throw new Error(
            `botocore signer failed (apt-get install -y python3-botocore): ${run.error?.message ?? ""} ${run.stderr}`,
        );
    }
    return run.stdout.trim();
}

const ROLE_CREDENTIALS: IamSettings = {
    cacheName: "redis-dev-cache-1a2b3c4",
    region: "us-east-1",
    accessKeyId: "ASIAEXAMPLEKEYID1234",
    secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    // Session tokens carry "/", "+" and "=": the percent-encoding must match AWS's exactly.
    sessionToken: "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+example=",
};

describe("IAM auth token (SigV4 presigned connect request)", function () {
    this.timeout(60_000);

    const cases: Array<[string, IamSettings, string, string]> = [
        [
            "Lambda role credentials (with a session token)",
            ROLE_CREDENTIALS,
            "redis-dev-function",
            "2026-11-30T01:02:03Z",
        ],
        [
            "long-term keys (no session token), another region and day",
            { ...ROLE_CREDENTIALS, region: "eu-west-1", sessionToken: undefined },
            "redis-prod-function",
            "2027-02-28T23:59:59Z",
        ],
        [
            "a user id with characters to encode",
            { ...ROLE_CREDENTIALS, cacheName: "c-1" },
            "user.with_odd~chars",
            "2026-01-01T00:00:00Z",
        ],
    ];
    for (const [what, iam, userId, time] of cases) {
        it(`matches botocore byte for byte: ${what}`, function () {
            const ours = signIamAuthToken(iam, userId, new Date(time));
            expect(ours).to.equal(botocoreToken(iam, userId, time));
        });
    }

    it("has the shape ElastiCache documents: host = replication group id, Action=connect, the user, 15 minutes", function () {
        const token = signIamAuthToken(ROLE_CREDENTIALS, "redis-dev-function", new Date("2026-11-30T01:02:03Z"));
        const url = new URL(`http://${token}`);
        expect(url.host).to.equal(ROLE_CREDENTIALS.cacheName);
        expect(url.searchParams.get("Action")).to.equal("connect");
        expect(url.searchParams.get("User")).to.equal("redis-dev-function");
        expect(url.searchParams.get("X-Amz-Expires")).to.equal(String(IAM_TOKEN_EXPIRES_SECONDS)).and.equal("900");
        expect(url.searchParams.get("X-Amz-Credential")).to.equal(
            "ASIAEXAMPLEKEYID1234/20261130/us-east-1/elasticache/aws4_request",
        );
        expect(token).not.to.contain(ROLE_CREDENTIALS.secretAccessKey);
    });

    it("changes with the time, so each connection gets a fresh token", function () {
        const first = signIamAuthToken(ROLE_CREDENTIALS, "u", new Date("2026-11-30T01:02:03Z"));
        const second = signIamAuthToken(ROLE_CREDENTIALS, "u", new Date("2026-11-30T01:02:04Z"));
        expect(first).not.to.equal(second);
    });
});
