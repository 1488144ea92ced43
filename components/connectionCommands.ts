import * as pulumi from "@pulumi/pulumi";
import { FunctionUrlAuthType } from "../config/catalog";

export interface ConnectionCommandsArgs {
    readonly configurationEndpointAddress: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    readonly transitEncryption: boolean;
    /** The operators' Redis user (authMode rbac, iam); undefined means the default user and its AUTH token. */
    readonly operatorUserName?: pulumi.Input<string>;
    readonly functionUrl: pulumi.Input<string>;
    readonly functionUrlAuthType: FunctionUrlAuthType;
    /** Undefined when the stack has no client host. */
    readonly clientInstanceId?: pulumi.Input<string>;
}

/** Ready-to-paste commands for the stack's outputs: a session on the host, redis-cli there, and a call to the URL. */
export function connectionCommands(args: ConnectionCommandsArgs) {
    // -c follows MOVED/ASK redirections; --askpass prompts for the password (`pulumi stack output operatorPassword
    // --show-secrets`) or, with authMode token, the token (`authToken`). --user names the operators' own user.
    const user = args.operatorUserName === undefined ? "" : pulumi.interpolate` --user ${args.operatorUserName}`;
    const tlsFlags = args.transitEncryption ? pulumi.interpolate` --tls${user} --askpass` : "";
    const call = pulumi.interpolate`'${args.functionUrl}?key=hello&value=world'`;
    return {
        ssmSessionCommand: args.clientInstanceId
            ? pulumi.interpolate`aws ssm start-session --target ${args.clientInstanceId}`
            : pulumi.output("clientHost is false: no client host in this stack"),
        redisCliCommand: pulumi.interpolate`redis-cli -c${tlsFlags} -h ${args.configurationEndpointAddress} -p ${args.port}`,
        // An AWS_IAM URL takes SigV4-signed requests from a principal allowed lambda:InvokeFunctionUrl and InvokeFunction.
        invokeCommand:
            args.functionUrlAuthType === "NONE"
                ? pulumi.interpolate`curl ${call}`
                : pulumi.interpolate`curl --aws-sigv4 "aws:amz:$AWS_REGION:lambda" --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN" ${call}`,
    };
}
