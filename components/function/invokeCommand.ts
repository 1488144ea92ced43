import * as pulumi from "@pulumi/pulumi";
import { FunctionUrlAuthType } from "../../config/catalog";

/**
 * A ready-to-paste `curl` that makes the tutorial's call, `GET /` (SET hogehoge=fugafuga, then GET), so a first `up`
 * ends with the answer the tutorial shows: `fugafuga`. An AWS_IAM URL takes SigV4-signed requests from a principal
 * allowed both lambda:InvokeFunctionUrl and lambda:InvokeFunction
 * (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
 */
export function invokeCommandFor(
    functionUrl: pulumi.Input<string>,
    authType: FunctionUrlAuthType,
): pulumi.Output<string> {
    const call = pulumi.interpolate`'${functionUrl}'`;
    return authType === "NONE"
        ? pulumi.interpolate`curl ${call}`
        : pulumi.interpolate`curl --aws-sigv4 "aws:amz:$AWS_REGION:lambda" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN" ${call}`;
}
