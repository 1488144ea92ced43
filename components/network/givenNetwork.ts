import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { givenSubnetProblems, SubnetFacts, zonesOf } from "../../config/givenNetwork";
import type { NetworkPlacement } from "./networkPlacement";
import { providerRegion } from "./providerRegion";

export interface GivenNetworkArgs {
    /** The existing VPC. Config key `vpcId`. */
    readonly vpcId: string;
    /** Its subnets, already checked for form and count (config/givenNetwork.ts). Config key `subnetIds`. */
    readonly subnetIds: readonly string[];
    /** A multi-AZ cluster (`replicaCount` 1 or more) needs the subnets in at least two AZs. */
    readonly multiAz: boolean;
    /** The client host's package repositories: S3's managed prefix list, looked up only for a host. */
    readonly packageRepository: boolean;
    /** The client host's Session Manager endpoints, the network's own in its VPC: its CIDR, looked up only for `ssm`. */
    readonly sessionManager: boolean;
}

/**
 * An existing network as the components take it: no VPC, subnet or endpoint is created. The subnets are looked up
 * (`aws.ec2.getSubnet`), so their AZs are read, not assumed; a subnet of another VPC, or one AZ for a multi-AZ
 * cluster, fails the program with a message naming `subnetIds`. Every id handed on waits for that check, so no
 * resource placed in the network is registered before it passes.
 */
export function givenNetwork(args: GivenNetworkArgs): NetworkPlacement {
    const subnets = pulumi.all(args.subnetIds.map((id) => aws.ec2.getSubnetOutput({ id })));
    const checked = subnets.apply((found): SubnetFacts[] => {
        const facts = found.map((subnet) => ({
            id: subnet.id,
            vpcId: subnet.vpcId,
            availabilityZone: subnet.availabilityZone,
        }));
        const problems = givenSubnetProblems(args.vpcId, facts, args.multiAz);
        if (problems.length > 0) throw new pulumi.RunError(`Invalid existing network:\n  - ${problems.join("\n  - ")}`);
        return facts;
    });
    return {
        // AWS's managed prefix list of S3 in the region: the host's package egress goes there and nowhere else.
        packageRepository: args.packageRepository
            ? {
                  s3PrefixListId: aws.ec2.getPrefixListOutput({
                      name: pulumi.interpolate`com.amazonaws.${providerRegion()}.s3`,
                  }).id,
              }
            : undefined,
        sessionManager: args.sessionManager
            ? { vpcCidrBlock: aws.ec2.getVpcOutput({ id: args.vpcId }).cidrBlock }
            : undefined,
        vpcId: checked.apply(() => args.vpcId),
        subnetIds: checked.apply((facts) => facts.map((subnet) => subnet.id)),
        availabilityZoneNames: checked.apply(zonesOf),
        clientHostSubnetId: checked.apply((facts) => facts[0].id),
    };
}
