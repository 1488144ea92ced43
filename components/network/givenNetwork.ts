import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { givenSubnetProblems, SubnetFacts, zonesOf } from "../../config/givenNetwork";
import type { NetworkPlacement } from "./networkPlacement";

export interface GivenNetworkArgs {
    /** The existing VPC. Config key `vpcId`. */
    readonly vpcId: string;
    /** Its subnets, already checked for form and count (config/givenNetwork.ts). Config key `subnetIds`. */
    readonly subnetIds: readonly string[];
    /** A multi-AZ cluster (`replicaCount` 1 or more) needs the subnets in at least two AZs. */
    readonly multiAz: boolean;
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
    // The provider's region (config or AWS_REGION); asking the data source only when neither names it.
    const region = aws.config.region ? pulumi.output(aws.config.region) : aws.getRegionOutput({}).region;
    return {
        // AWS's managed prefix list of S3 in the region: the host's package egress goes there and nowhere else.
        packageRepository: {
            s3PrefixListId: aws.ec2.getPrefixListOutput({ name: pulumi.interpolate`com.amazonaws.${region}.s3` }).id,
        },
        sessionManager: { vpcCidrBlock: aws.ec2.getVpcOutput({ id: args.vpcId }).cidrBlock },
        vpcId: checked.apply(() => args.vpcId),
        subnetIds: checked.apply((facts) => facts.map((subnet) => subnet.id)),
        availabilityZoneNames: checked.apply(zonesOf),
        clientHostSubnetId: checked.apply((facts) => facts[0].id),
    };
}
