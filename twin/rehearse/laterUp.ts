/**
 * What a later `pulumi up` with the unchanged configuration does after the scaler moved a count: the state holds the
 * live count (as `pulumi refresh`, or `up --refresh`, reads it back: the provider's Read sets num_node_groups and
 * replicas_per_node_group from AWS), the program still declares the configured one, and the safe-change model judges
 * the two with the replication group's `ignoreChanges`.
 */
import { SCALED_INPUTS } from "../../components/cache/autoScaling";
import type { ScaledDimension } from "../../config/autoScaling";
import { assessChange, ChangeAssessment, REPLICATION_GROUP, RegisteredResource } from "../plan/replicationGroupChanges";
import { awsSlots } from "../plan/safeChangeGuide";

/** The program's resources with the replication group as the state holds it after the scaler's step. */
export function stateAfterScaling(
    resources: readonly RegisteredResource[],
    dimension: ScaledDimension,
    count: number,
): RegisteredResource[] {
    return resources.map((resource) =>
        resource.type === REPLICATION_GROUP
            ? { ...resource, inputs: { ...resource.inputs, [SCALED_INPUTS[dimension]]: count } }
            : resource,
    );
}

/** The model's verdict on `up` with the program as evaluated, from the state after the scaler's step. */
export function laterUpAfterScaling(
    resources: readonly RegisteredResource[],
    dimension: ScaledDimension,
    count: number,
): ChangeAssessment {
    return assessChange(stateAfterScaling(resources, dimension, count), resources, awsSlots);
}
