import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The provider's region (`aws:region` or AWS_REGION), for the services' names (`com.amazonaws.<region>.s3`): read from
 * the configuration, and asked of the data source only when the configuration does not name it.
 */
export function providerRegion(opts?: pulumi.InvokeOutputOptions): pulumi.Output<string> {
    return aws.config.region ? pulumi.output(aws.config.region) : aws.getRegionOutput({}, opts).region;
}
