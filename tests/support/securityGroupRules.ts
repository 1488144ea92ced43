import { RecordedResource } from "../../twin/program/evaluateProgram";

export const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/** The rules of one direction by name: the group they sit on, what they reach (a group or a prefix list), the ports. */
export function rules(resources: RecordedResource[], type: string): Record<string, Record<string, unknown>> {
    return Object.fromEntries(
        resources
            .filter((resource) => resource.type === type)
            .map((resource) => {
                const { securityGroupId, referencedSecurityGroupId, prefixListId, fromPort, toPort } = resource.inputs;
                return [
                    resource.name,
                    { securityGroupId, to: referencedSecurityGroupId ?? prefixListId, fromPort, toPort },
                ];
            }),
    );
}
