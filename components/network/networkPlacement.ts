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
    /** The S3 gateway endpoint to the package repositories, when the program created it. */
    readonly packageRepository?: PackageRepositoryEndpoint;
    /** The Session Manager endpoints, when the program created them. */
    readonly sessionManager?: SessionManagerEndpoints;
}
