import * as pulumi from "@pulumi/pulumi";
import type { PackageRepositoryEndpoint, SessionManagerEndpoints } from "./network";

/**
 * Where the stack's resources go, as plain ids: what the cache, the function and the client host take, whether the
 * program created the network ({@link Network}) or was given one ({@link givenNetwork}). A program of one's own can
 * build these from its own VPC and pass them to the components the same way.
 */
export interface NetworkPlacement {
    readonly vpcId: pulumi.Output<string>;
    /** The subnets of the cache's subnet group and the function's VPC configuration. */
    readonly subnetIds: pulumi.Output<string[]>;
    /** The subnets' AZs, each once, in the subnets' order. */
    readonly availabilityZoneNames: pulumi.Output<string[]>;
    /** The subnet of the client host and its way in (the Instance Connect Endpoint). */
    readonly clientHostSubnetId: pulumi.Output<string>;
    /**
     * The package repositories (S3): the program's gateway endpoint, or in a given network AWS's managed S3 prefix
     * list, which names S3's addresses whichever route the network takes to them (a gateway endpoint or a NAT).
     */
    readonly packageRepository?: PackageRepositoryEndpoint;
    /** The Session Manager endpoints: the program's own, or a given network's somewhere in its VPC. */
    readonly sessionManager?: SessionManagerEndpoints | GivenSessionManagerEndpoints;
}

/**
 * A given network's own Session Manager interface endpoints, somewhere in its VPC: the host sends HTTPS to the VPC's
 * CIDR, and their security group (the network's, not the program's) must admit it. No route to the internet is
 * assumed or opened.
 */
export interface GivenSessionManagerEndpoints {
    readonly vpcCidrBlock: pulumi.Output<string>;
}
