import * as pulumi from "@pulumi/pulumi";
import { ClientAccess } from "../../config/catalog";

export interface ConnectionCommandsArgs {
    readonly configurationEndpointAddress: pulumi.Input<string>;
    readonly port: pulumi.Input<number>;
    readonly transitEncryption: boolean;
    /** The operators' Redis user (authMode rbac, iam); undefined means the default user and its AUTH token. */
    readonly operatorUserName?: pulumi.Input<string>;
    /** The client host and the way operators reach it; undefined when the stack has no host. */
    readonly clientHost?: { readonly instanceId: pulumi.Input<string>; readonly access: ClientAccess };
}

/**
 * The command that opens a shell on the host. `aws ec2-instance-connect ssh` with `--connection-type eice` pushes a
 * one-time key (SendSSHPublicKey, valid 60 s) and opens a tunnel through the VPC's Instance Connect Endpoint
 * (OpenTunnel), then runs the local OpenSSH client through it; `ec2-user` is the AL2023 AMI's user (and the CLI's
 * default). https://docs.aws.amazon.com/cli/latest/reference/ec2-instance-connect/ssh.html
 */
function connectCommand(host: NonNullable<ConnectionCommandsArgs["clientHost"]>): pulumi.Output<string> {
    return host.access === "instance-connect"
        ? pulumi.interpolate`aws ec2-instance-connect ssh --instance-id ${host.instanceId} --os-user ec2-user --connection-type eice`
        : pulumi.interpolate`aws ssm start-session --target ${host.instanceId}`;
}

/** Ready-to-paste commands for the stack's outputs: a shell on the host, and redis-cli there. */
export function connectionCommands(args: ConnectionCommandsArgs) {
    // -c follows MOVED/ASK redirections; --askpass prompts for the password (`pulumi stack output operatorPassword
    // --show-secrets`) or, with authMode token, the token (`authToken`). --user names the operators' own user.
    const user = args.operatorUserName === undefined ? "" : pulumi.interpolate` --user ${args.operatorUserName}`;
    const tlsFlags = args.transitEncryption ? pulumi.interpolate` --tls${user} --askpass` : "";
    return {
        connectCommand: args.clientHost
            ? connectCommand(args.clientHost)
            : pulumi.output("clientHost is false: no client host in this stack"),
        redisCliCommand: pulumi.interpolate`redis-cli -c${tlsFlags} -h ${args.configurationEndpointAddress} -p ${args.port}`,
    };
}
