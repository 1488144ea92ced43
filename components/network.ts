import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";

export interface NetworkArgs {
    /**
     * The VPC's IPv4 block.
     * @default "10.0.0.0/16"
     */
    readonly vpcCidr: string;
    /**
     * How many AZs get an isolated subnet. The first N AZs of the region, as `aws.getAvailabilityZones` lists them —
     * never hard-coded letters. ElastiCache multi-AZ needs at least 2.
     * @default 2
     */
    readonly availabilityZoneCount: number;
    /** Prefix length of each AZ's subnet (and of the AZ's block in the VPC). */
    readonly subnetPrefixLength: number;
    /**
     * Create what the EC2 client host needs: its security group, an S3 gateway endpoint (dnf repositories live in S3)
     * and the ssm, ec2messages and ssmmessages interface endpoints (Session Manager without internet access).
     * @default true
     */
    readonly clientHost: boolean;
    readonly tags?: Record<string, string>;
}

/**
 * The S3 buckets the client host reads through the gateway endpoint: Amazon Linux 2023's package repositories
 * (dnf's mirror list and packages), one bucket per region, `al2023-repos-<region>-de612dc2` — the name AWS gives for
 * endpoint policies in the Application Migration Service network requirements (its AL2023 servers need the same), and
 * the host in AL2023's `/etc/yum.repos.d/amazonlinux.repo` mirror list. Commercial partition (`arn:aws`) only.
 */
const AL2023_REPOSITORY_BUCKET = (region: string) => `al2023-repos-${region}-de612dc2`;

/** The SSM endpoints Session Manager needs when the host has no route to the internet. */
const SESSION_MANAGER_SERVICES = ["ssm", "ec2messages", "ssmmessages"] as const;
const HTTPS = 443;

/**
 * A VPC with isolated subnets only (no NAT gateway, no route to the internet), the client security groups, and the
 * VPC endpoints through which the client host is reached with SSM Session Manager.
 */
export class Network extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    /** One isolated subnet per AZ, in the order of `availabilityZoneNames`. */
    public readonly isolatedSubnetIds: pulumi.Output<string[]>;
    /** The AZs the subnets are in: the region's first `availabilityZoneCount`, as awsx picks them. */
    public readonly availabilityZoneNames: pulumi.Output<string[]>;
    /** The Lambda function's security group; the cache allows it in. */
    public readonly functionSecurityGroupId: pulumi.Output<string>;
    /** The client host's security group, when `clientHost` is on. */
    public readonly clientHostSecurityGroupId?: pulumi.Output<string>;
    /** The subnet the client host and the interface endpoints use. */
    public readonly clientHostSubnetId: pulumi.Output<string>;
    /**
     * What the client host's first boot needs before the host exists: the S3 gateway endpoint (its route) and the egress
     * rule to it, which its user data uses to `dnf install`. The host's inputs do not name them, so the engine would
     * otherwise create them in parallel with the host. Empty without a client host.
     */
    public readonly clientHostPrerequisites: pulumi.Resource[] = [];
    public readonly vpc: awsx.ec2.Vpc;

    constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("redis-cluster:network:Network", name, {}, opts);
        this.vpc = new awsx.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: args.vpcCidr,
                numberOfAvailabilityZones: args.availabilityZoneCount,
                subnetStrategy: "Auto",
                availabilityZoneCidrMask: args.subnetPrefixLength,
                subnetSpecs: [{ type: "Isolated", name: "isolated", cidrMask: args.subnetPrefixLength }],
                natGateways: { strategy: "None" },
                // Interface endpoints with private DNS need both.
                enableDnsHostnames: true,
                enableDnsSupport: true,
                tags: args.tags,
            },
            { parent: this },
        );
        this.vpcId = this.vpc.vpcId;
        // A remote component's outputs are only what its provider (or a test's mock) returns: tolerate absence.
        this.isolatedSubnetIds = this.vpc.isolatedSubnetIds.apply((ids) => ids ?? []);
        this.clientHostSubnetId = this.isolatedSubnetIds.apply((ids) => ids[0]);
        // awsx takes the first N names of the same data source, so these are the subnets' AZs in order.
        this.availabilityZoneNames = aws
            .getAvailabilityZonesOutput({}, { parent: this })
            .apply((zones) => (zones.names ?? []).slice(0, args.availabilityZoneCount));

        const functionSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-function-sg`,
            { vpcId: this.vpcId, description: "Lambda function: egress to the cache only", tags: args.tags },
            { parent: this },
        );
        this.functionSecurityGroupId = functionSecurityGroup.id;

        if (args.clientHost) {
            this.clientHostSecurityGroupId = this.createSessionManagerAccess(name, args.tags);
        }

        this.registerOutputs({
            vpcId: this.vpcId,
            isolatedSubnetIds: this.isolatedSubnetIds,
            availabilityZoneNames: this.availabilityZoneNames,
            functionSecurityGroupId: this.functionSecurityGroupId,
            clientHostSecurityGroupId: this.clientHostSecurityGroupId,
        });
    }

    /** The host's security group and the endpoints it talks to; returns the host's security group id. */
    private createSessionManagerAccess(name: string, tags: Record<string, string> | undefined): pulumi.Output<string> {
        // The provider's region (config or AWS_REGION); asking the data source only when neither names it.
        const region = aws.config.region
            ? pulumi.output(aws.config.region)
            : aws.getRegionOutput({}, { parent: this }).region;
        const hostSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-client-host-sg`,
            { vpcId: this.vpcId, description: "Redis client host: egress to the cache, SSM endpoints and S3", tags },
            { parent: this },
        );
        const endpointSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-endpoint-sg`,
            { vpcId: this.vpcId, description: "SSM interface endpoints: HTTPS from the client host only", tags },
            { parent: this },
        );
        new aws.vpc.SecurityGroupIngressRule(
            `${name}-endpoint-from-host`,
            {
                securityGroupId: endpointSecurityGroup.id,
                referencedSecurityGroupId: hostSecurityGroup.id,
                ipProtocol: "tcp",
                fromPort: HTTPS,
                toPort: HTTPS,
                description: "HTTPS from the client host",
            },
            { parent: this },
        );
        new aws.vpc.SecurityGroupEgressRule(
            `${name}-host-to-endpoints`,
            {
                securityGroupId: hostSecurityGroup.id,
                referencedSecurityGroupId: endpointSecurityGroup.id,
                ipProtocol: "tcp",
                fromPort: HTTPS,
                toPort: HTTPS,
                description: "HTTPS to the SSM interface endpoints",
            },
            { parent: this },
        );

        // dnf's Amazon Linux repositories are S3 buckets: a gateway endpoint serves them without internet access.
        const s3Endpoint = new aws.ec2.VpcEndpoint(
            `${name}-s3`,
            {
                vpcId: this.vpcId,
                serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: this.vpc.routeTables.apply((tables) => (tables ?? []).map((table) => table.id)),
                // Without a policy a gateway endpoint reaches every bucket of every account: limited to what the host
                // reads, it cannot carry data out to a bucket of someone else's.
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Sid: "AmazonLinux2023Repositories",
                            Effect: "Allow",
                            Principal: "*",
                            Action: "s3:GetObject",
                            Resource: pulumi.interpolate`arn:aws:s3:::${region.apply(AL2023_REPOSITORY_BUCKET)}/*`,
                        },
                    ],
                }),
                tags,
            },
            { parent: this },
        );
        const hostToS3 = new aws.vpc.SecurityGroupEgressRule(
            `${name}-host-to-s3`,
            {
                securityGroupId: hostSecurityGroup.id,
                prefixListId: s3Endpoint.prefixListId,
                ipProtocol: "tcp",
                fromPort: HTTPS,
                toPort: HTTPS,
                description: "HTTPS to S3 (package repositories) through the gateway endpoint",
            },
            { parent: this },
        );

        this.clientHostPrerequisites.push(s3Endpoint, hostToS3);

        // Interface endpoints bill per AZ-hour: one AZ, the host's, is all Session Manager needs.
        for (const service of SESSION_MANAGER_SERVICES) {
            new aws.ec2.VpcEndpoint(
                `${name}-${service}`,
                {
                    vpcId: this.vpcId,
                    serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: [this.clientHostSubnetId],
                    securityGroupIds: [endpointSecurityGroup.id],
                    tags,
                },
                { parent: this },
            );
        }
        return hostSecurityGroup.id;
    }
}
