import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { previousReleases } from "../previousRelease";

/**
 * How operators reach the client host (config key `clientAccess`):
 * - `ssm`: Session Manager, through the interface endpoints the {@link Network} creates; the host needs an instance
 *   role with `AmazonSSMManagedInstanceCore` and HTTPS to the endpoints, and accepts no inbound connection at all.
 * - `instance-connect`: SSH through an EC2 Instance Connect Endpoint in the host's subnet; the host needs no role and
 *   accepts SSH from the endpoint's security group only.
 */
export type ClientHostAccessArgs =
    | {
          readonly way: "ssm";
          /**
           * The program's Session Manager interface endpoints' security group: the host adds
           * `<name>-endpoints-from-client-host` on it.
           */
          readonly endpointSecurityGroupId?: pulumi.Input<string>;
          /**
           * In a network the stack was given: its VPC's CIDR, where the network's own Session Manager interface
           * endpoints are; the host sends HTTPS there (their security group must admit it), and nowhere else.
           */
          readonly vpcCidrBlock?: pulumi.Input<string>;
      }
    | { readonly way: "instance-connect" };

/** What the host's instance takes from its access way. */
export interface ClientHostAccess {
    /** The instance profile to attach; undefined when the access way needs no AWS credentials on the host. */
    readonly instanceProfileName?: pulumi.Output<string>;
    /** The EC2 Instance Connect Endpoint, when that is the way in. */
    readonly instanceConnectEndpoint?: aws.ec2transitgateway.InstanceConnectEndpoint;
}

/** Where the access resources go and what they connect. */
export interface AccessContext {
    /** Resource name prefix; every resource is `${name}-<role>`. */
    readonly name: string;
    /** The component that parents every resource created here. */
    readonly parent: pulumi.Resource;
    /** The VPC of the Instance Connect Endpoint's security group. */
    readonly vpcId: pulumi.Input<string>;
    /** The host's subnet: the Instance Connect Endpoint goes there, so no session crosses an AZ (billed per GB). */
    readonly subnetId: pulumi.Input<string>;
    /** The host's own security group. */
    readonly hostSecurityGroupId: pulumi.Input<string>;
    /** Tags on every resource that takes them. */
    readonly tags?: Record<string, string>;
}

const HTTPS = 443;
const SSH = 22;

/** Creates what `access` needs around a host whose security group already exists. */
export function createClientHostAccess(context: AccessContext, access: ClientHostAccessArgs): ClientHostAccess {
    return access.way === "ssm"
        ? allowSessionManager(context, access)
        : { instanceConnectEndpoint: createInstanceConnectEndpoint(context) };
}

/**
 * HTTPS both ways between the host and the Session Manager endpoints when the program created them, and the instance
 * role the SSM agent signs in with.
 */
function allowSessionManager(
    context: AccessContext,
    endpoints: Extract<ClientHostAccessArgs, { way: "ssm" }>,
): ClientHostAccess {
    const { name, parent, tags } = context;
    if (endpoints.endpointSecurityGroupId !== undefined) allowEndpoints(context, endpoints.endpointSecurityGroupId);
    else if (endpoints.vpcCidrBlock !== undefined) allowGivenEndpoints(context, endpoints.vpcCidrBlock);
    const role = new aws.iam.Role(
        `${name}-client-host-role`,
        { assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ec2.amazonaws.com" }), tags },
        { parent, aliases: previousReleases(name, "client-host-role") },
    );
    new aws.iam.RolePolicyAttachment(
        `${name}-client-host-ssm`,
        { role: role.name, policyArn: aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore },
        { parent, aliases: previousReleases(name, "client-host-ssm") },
    );
    const profile = new aws.iam.InstanceProfile(
        `${name}-client-host-profile`,
        { role: role.name, tags },
        { parent, aliases: previousReleases(name, "client-host-profile") },
    );
    return { instanceProfileName: profile.name };
}

/**
 * HTTPS from the host to a given network's VPC, where its own Session Manager endpoints are: the only way out the host
 * gets there besides S3, so a network without such endpoints leaves the host unreachable rather than open.
 */
function allowGivenEndpoints(context: AccessContext, vpcCidrBlock: pulumi.Input<string>): void {
    new aws.vpc.SecurityGroupEgressRule(
        `${context.name}-client-host-to-vpc-endpoints`,
        {
            ipProtocol: "tcp",
            fromPort: HTTPS,
            toPort: HTTPS,
            securityGroupId: context.hostSecurityGroupId,
            cidrIpv4: vpcCidrBlock,
            description: "HTTPS to the network's own Session Manager endpoints in the VPC",
        },
        { parent: context.parent },
    );
}

/** HTTPS both ways between the host and the endpoints (the host is their client: it adds the rule that lets it in, named for itself). */
function allowEndpoints(context: AccessContext, endpointSecurityGroupId: pulumi.Input<string>): void {
    const { name, parent } = context;
    const https = { ipProtocol: "tcp", fromPort: HTTPS, toPort: HTTPS };
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-endpoints-from-client-host`,
        {
            ...https,
            securityGroupId: endpointSecurityGroupId,
            referencedSecurityGroupId: context.hostSecurityGroupId,
            description: "HTTPS from the client host",
        },
        // 0.1.0: Network's `-endpoint-from-host`; kept, or the new rule would duplicate it and AWS refuse it.
        { parent, aliases: previousReleases(name, "endpoints-from-client-host") },
    );
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-client-host-to-endpoints`,
        {
            ...https,
            securityGroupId: context.hostSecurityGroupId,
            referencedSecurityGroupId: endpointSecurityGroupId,
            description: "HTTPS to the SSM interface endpoints",
        },
        // 0.1.0: Network's `-host-to-endpoints`; kept, or the new rule would duplicate it and AWS refuse it.
        { parent, aliases: previousReleases(name, "client-host-to-endpoints") },
    );
}

/**
 * An EC2 Instance Connect Endpoint in the host's subnet with a security group of its own, and SSH from that group
 * only: egress on the endpoint's group to the host's, and the ingress on the host's group that lets the endpoint in,
 * named for it (the endpoint is the host's client). The endpoint's group needs no ingress rule: traffic from the
 * Instance Connect service reaches it whatever its inbound rules say; who may open a tunnel is decided by IAM
 * (`ec2-instance-connect:OpenTunnel`). https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/eice-security-groups.html
 */
function createInstanceConnectEndpoint(context: AccessContext): aws.ec2transitgateway.InstanceConnectEndpoint {
    const { name, parent, tags } = context;
    const endpointSecurityGroup = new aws.ec2.SecurityGroup(
        `${name}-instance-connect-sg`,
        { vpcId: context.vpcId, description: "EC2 Instance Connect Endpoint: SSH to the client host only", tags },
        { parent, aliases: previousReleases(name, "instance-connect-sg") },
    );
    const ssh = { ipProtocol: "tcp", fromPort: SSH, toPort: SSH };
    new aws.vpc.SecurityGroupEgressRule(
        `${name}-instance-connect-to-client-host`,
        {
            ...ssh,
            securityGroupId: endpointSecurityGroup.id,
            referencedSecurityGroupId: context.hostSecurityGroupId,
            description: "SSH to the client host",
        },
        { parent, aliases: previousReleases(name, "instance-connect-to-client-host") },
    );
    new aws.vpc.SecurityGroupIngressRule(
        `${name}-client-host-from-instance-connect`,
        {
            ...ssh,
            securityGroupId: context.hostSecurityGroupId,
            referencedSecurityGroupId: endpointSecurityGroup.id,
            description: "SSH from the EC2 Instance Connect Endpoint",
        },
        { parent, aliases: previousReleases(name, "client-host-from-instance-connect") },
    );
    return new aws.ec2transitgateway.InstanceConnectEndpoint(
        `${name}-instance-connect`,
        {
            subnetId: context.subnetId,
            securityGroupIds: [endpointSecurityGroup.id],
            // Set, not left to the provider's default (true): the field forces a replacement when it changes. With
            // false the host sees the endpoint's private address, so every packet stays on the subnet's local route;
            // the isolated subnets have no route to an operator's public address. Who connected is in CloudTrail.
            preserveClientIp: false,
            tags,
        },
        // terraform-provider-aws v6.66.0 internal/service/ec2/ec2_instance_connect_endpoint.go: no update
        // but tags — subnet_id, security_group_ids and preserve_client_ip are RequiresReplace. AWS allows one endpoint
        // per VPC (AWS::EC2::InstanceConnectEndpoint docs), so the old one must go before its replacement is created.
        { parent, deleteBeforeReplace: true, aliases: previousReleases(name, "instance-connect") },
    );
}
