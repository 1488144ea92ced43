import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { providerRegion } from "./providerRegion";
import type { NetworkPlacement } from "./networkPlacement";

/** No field has a default here: index.ts passes every value from the validated configuration (defaults: Pulumi.yaml). */
export interface NetworkArgs {
    /** The VPC's IPv4 block. Config key `vpcCidr`. */
    readonly vpcCidr: string;
    /**
     * How many AZs get an isolated subnet. The first N AZs of the region, as `aws.getAvailabilityZones` lists them —
     * never hard-coded letters. ElastiCache multi-AZ needs at least 2. Config key `availabilityZoneCount`.
     */
    readonly availabilityZoneCount: number;
    /**
     * Prefix length of each AZ's subnet (and of the AZ's block in the VPC), derived from `vpcCidr` and
     * `availabilityZoneCount` (config/cidr.ts).
     */
    readonly subnetPrefixLength: number;
    /**
     * Create the S3 gateway endpoint a host without internet access installs its packages through (dnf repositories
     * live in S3), limited to Amazon Linux 2023's repository bucket (see {@link PackageRepositoryEndpoint}).
     * Config key `clientHost`.
     */
    readonly packageRepositoryEndpoint: boolean;
    /**
     * Create what a host without internet access needs to be reached through SSM Session Manager: the ssm,
     * ec2messages and ssmmessages interface endpoints, behind a security group that admits nobody until a client adds
     * its own rule (see {@link SessionManagerEndpoints}). Config keys `clientHost` and `clientAccess: ssm`.
     */
    readonly sessionManagerEndpoints: boolean;
    /** Tags on every resource that takes them. */
    readonly tags?: Record<string, string>;
}

/** What a client of the package repositories' gateway endpoint needs to reach it. */
export interface PackageRepositoryEndpoint {
    /** The S3 gateway endpoint's prefix list: a client adds an HTTPS egress rule to it. */
    readonly s3PrefixListId: pulumi.Output<string>;
    /**
     * The S3 gateway endpoint itself, when the program created it: a host whose first boot installs packages through
     * it must be created after it (its inputs do not name it, so the engine would otherwise create both at once).
     */
    readonly s3Endpoint?: pulumi.Resource;
}

/** What a client of the Session Manager endpoints needs to let itself in. */
export interface SessionManagerEndpoints {
    /** The interface endpoints' security group: a client adds an HTTPS ingress rule from its own group. */
    readonly endpointSecurityGroupId: pulumi.Output<string>;
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

/**
 * A VPC with isolated subnets only (no NAT gateway, no route to the internet) and, optionally, the VPC endpoints a
 * host there needs: the S3 gateway to its package repositories, and the interface endpoints through which it is reached
 * with SSM Session Manager. (The EC2 Instance Connect Endpoint, the other way in, is the host's own: it is a client of
 * the host's SSH port, see components/clientHost/clientHostAccess.ts.) It creates no client's security group: each component that
 * reaches the cluster owns its own, so adding or removing one client never touches another's.
 */
export class Network extends pulumi.ComponentResource implements NetworkPlacement {
    public readonly vpcId: pulumi.Output<string>;
    /** One isolated subnet per AZ, in the order of `availabilityZoneNames`. */
    public readonly isolatedSubnetIds: pulumi.Output<string[]>;
    /** The isolated subnets, as every network hands them to the components. */
    public readonly subnetIds: pulumi.Output<string[]>;
    /** The AZs the subnets are in: the region's first `availabilityZoneCount`, as awsx picks them. */
    public readonly availabilityZoneNames: pulumi.Output<string[]>;
    /** The S3 gateway endpoint to the package repositories, when `packageRepositoryEndpoint` is on. */
    public readonly packageRepository?: PackageRepositoryEndpoint;
    /** The Session Manager endpoints, when `sessionManagerEndpoints` is on. */
    public readonly sessionManager?: SessionManagerEndpoints;
    /** The subnet the client host uses, and the way in to it: the SSM interface endpoints or the Instance Connect Endpoint. */
    public readonly clientHostSubnetId: pulumi.Output<string>;
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
        this.subnetIds = this.isolatedSubnetIds;
        this.clientHostSubnetId = this.isolatedSubnetIds.apply((ids) => ids[0]);
        // awsx takes the first N names of the same data source, so these are the subnets' AZs in order.
        this.availabilityZoneNames = aws
            .getAvailabilityZonesOutput({}, { parent: this })
            .apply((zones) => (zones.names ?? []).slice(0, args.availabilityZoneCount));

        if (args.packageRepositoryEndpoint || args.sessionManagerEndpoints) {
            const region = providerRegion({ parent: this });
            if (args.packageRepositoryEndpoint) {
                this.packageRepository = this.createPackageRepositoryEndpoint(name, region, args.tags);
            }
            if (args.sessionManagerEndpoints) {
                this.sessionManager = this.createSessionManagerEndpoints(name, region, args.tags);
            }
        }

        this.registerOutputs({
            vpcId: this.vpcId,
            isolatedSubnetIds: this.isolatedSubnetIds,
            availabilityZoneNames: this.availabilityZoneNames,
            endpointSecurityGroupId: this.sessionManager?.endpointSecurityGroupId,
        });
    }

    /** The S3 gateway endpoint, limited to the Amazon Linux 2023 repositories. */
    private createPackageRepositoryEndpoint(
        name: string,
        region: pulumi.Output<string>,
        tags: Record<string, string> | undefined,
    ): PackageRepositoryEndpoint {
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
        return { s3PrefixListId: s3Endpoint.prefixListId, s3Endpoint };
    }

    /** The SSM interface endpoints and their security group (no rules: clients add theirs). */
    private createSessionManagerEndpoints(
        name: string,
        region: pulumi.Output<string>,
        tags: Record<string, string> | undefined,
    ): SessionManagerEndpoints {
        const endpointSecurityGroup = new aws.ec2.SecurityGroup(
            `${name}-endpoint-sg`,
            { vpcId: this.vpcId, description: "SSM interface endpoints: HTTPS from the client host only", tags },
            { parent: this },
        );
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
        return { endpointSecurityGroupId: endpointSecurityGroup.id };
    }
}
