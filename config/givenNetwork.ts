/**
 * A network the stack is given (config keys `vpcId`, `subnetIds`) instead of the VPC it creates: what the
 * configuration alone can tell is checked before anything is registered; what only the subnets can tell (their VPC,
 * their AZs) is checked by {@link givenSubnetProblems} once they are looked up.
 */

/** ElastiCache's quota of subnets per subnet group ("Quotas for ElastiCache": subnets per subnet group, 20). */
export const MAX_GIVEN_SUBNETS = 20;
/** Subnets a given network needs: one per AZ of a multi-AZ cluster, at least two. */
export const MIN_GIVEN_SUBNETS = 2;

const VPC_ID = /^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

/**
 * Parses `subnetIds`: a list as Pulumi hands structured config (a JSON array string), a JSON array text, a
 * comma-separated text (`subnet-a,subnet-b`), or an array (a YAML list read from a stack file).
 */
export function parseSubnetIds(value: unknown): { subnetIds?: string[]; problem?: string } {
    let list: unknown = value;
    if (typeof value === "string") {
        const text = value.trim();
        if (text.startsWith("[")) {
            try {
                list = JSON.parse(text);
            } catch {
                return {
                    problem: `${JSON.stringify(value)} is not a JSON array; allowed e.g. ["subnet-0a1b2c3d","subnet-4e5f6a7b"]`,
                };
            }
        } else {
            list = text.split(",").map((id) => id.trim());
        }
    }
    if (!Array.isArray(list) || list.some((id) => typeof id !== "string")) {
        return {
            problem: `${JSON.stringify(value)} is not a list of subnet ids; allowed e.g. ["subnet-0a1b2c3d","subnet-4e5f6a7b"]`,
        };
    }
    return { subnetIds: (list as string[]).map((id) => id.trim()) };
}

/** Problems with a given network that the configuration alone shows: both keys or neither, id formats, count. */
export function givenNetworkProblems(vpcId: string | undefined, subnetIds: readonly string[] | undefined): string[] {
    if (vpcId === undefined && subnetIds === undefined) return [];
    if (vpcId === undefined || subnetIds === undefined) {
        const [given, missing] = vpcId === undefined ? ["subnetIds", "vpcId"] : ["vpcId", "subnetIds"];
        return [
            `${missing}: not set but ${given} is; allowed both (an existing network: the VPC and its subnets) or neither ` +
                "(the program creates its own VPC)",
        ];
    }
    const problems: string[] = [];
    if (!VPC_ID.test(vpcId)) {
        problems.push(`vpcId: ${JSON.stringify(vpcId)} is not a VPC id; allowed vpc- and 8 or 17 hexadecimal digits`);
    }
    const malformed = subnetIds.filter((id) => !SUBNET_ID.test(id));
    if (malformed.length > 0) {
        problems.push(
            `subnetIds: ${malformed.map((id) => JSON.stringify(id)).join(", ")} ${malformed.length === 1 ? "is not a subnet id" : "are not subnet ids"}; ` +
                "allowed subnet- and 8 or 17 hexadecimal digits",
        );
    }
    const duplicates = [...new Set(subnetIds.filter((id, index) => subnetIds.indexOf(id) !== index))];
    if (duplicates.length > 0)
        problems.push(`subnetIds: ${duplicates.join(", ")} given more than once; allowed each subnet once`);
    const distinct = new Set(subnetIds).size;
    if (distinct < MIN_GIVEN_SUBNETS || distinct > MAX_GIVEN_SUBNETS) {
        problems.push(
            `subnetIds: ${distinct} subnet${distinct === 1 ? "" : "s"}; allowed ${MIN_GIVEN_SUBNETS}–${MAX_GIVEN_SUBNETS} ` +
                "(at least two, in two AZs, so that a replica can live in another AZ than its primary; 20 is ElastiCache's subnet group quota)",
        );
    }
    return problems;
}

/** A subnet as `aws.ec2.getSubnet` describes it. */
export interface SubnetFacts {
    readonly id: string;
    readonly vpcId: string;
    readonly availabilityZone: string;
}

/** The AZs of the subnets, each once, in the subnets' order. */
export function zonesOf(subnets: readonly SubnetFacts[]): string[] {
    return [...new Set(subnets.map((subnet) => subnet.availabilityZone))];
}

/**
 * Problems only the subnets themselves show: a subnet of another VPC, and fewer than two AZs for a multi-AZ cluster
 * (`replicaCount` 1 or more), which ElastiCache refuses.
 */
export function givenSubnetProblems(vpcId: string, subnets: readonly SubnetFacts[], multiAz: boolean): string[] {
    const problems: string[] = [];
    const elsewhere = subnets.filter((subnet) => subnet.vpcId !== vpcId);
    if (elsewhere.length > 0) {
        problems.push(
            `subnetIds: ${elsewhere.map((subnet) => `${subnet.id} is in ${subnet.vpcId}`).join(", ")}, not in vpcId ${vpcId}; ` +
                "allowed subnets of the given VPC only",
        );
    }
    const zones = zonesOf(subnets);
    if (multiAz && zones.length < 2) {
        problems.push(
            `subnetIds: ${subnets.map((subnet) => subnet.id).join(", ")} are all in ${zones.join(", ")}; a multi-AZ cluster ` +
                "(replicaCount 1 or more) needs subnets in at least 2 availability zones; allowed subnets in two or more AZs, or replicaCount 0",
        );
    }
    return problems;
}
