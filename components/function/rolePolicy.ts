import * as pulumi from "@pulumi/pulumi";
import { FunctionRedisUser } from "./cacheAccess";

/**
 * The function role's only policy: its own log group, `elasticache:Connect` for IAM authentication, and the ENIs
 * that put it in the VPC. Explicit and minimal: without a role, CallbackFunction would attach broad managed policies
 * (S3, DynamoDB, …).
 */
export function functionRolePolicy(
    logGroupArn: pulumi.Input<string>,
    user: FunctionRedisUser | undefined,
): pulumi.Output<string> {
    return pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "WriteOwnLogs",
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
                Resource: pulumi.interpolate`${logGroupArn}:*`,
            },
            ...connectStatements(user),
            {
                // The ENIs that put the function in the VPC, on "*" as AWS's AWSLambdaVPCAccessExecutionRole has them.
                // Lambda's guide ("Giving Lambda functions access to resources in an Amazon VPC") requires "*" for
                // DescribeNetworkInterfaces, warns that a DeleteNetworkInterface without all resource ids may cut the
                // function off its VPC, and documents no role scoped to subnets or security groups as working; which
                // subnets and groups a function may use is restricted on its deployer (lambda:SubnetIds,
                // lambda:SecurityGroupIds). docs/security.md §6.
                Sid: "ManageVpcNetworkInterfaces",
                Effect: "Allow",
                Action: [
                    "ec2:CreateNetworkInterface",
                    "ec2:DescribeNetworkInterfaces",
                    "ec2:DescribeSubnets",
                    "ec2:DeleteNetworkInterface",
                    "ec2:AssignPrivateIpAddresses",
                    "ec2:UnassignPrivateIpAddresses",
                ],
                Resource: "*",
            },
        ],
    });
}

/**
 * IAM authentication: `elasticache:Connect` on this replication group and this user only, the two resources the
 * ElastiCache guide's policy names ("Authenticating with IAM", Setup).
 */
function connectStatements(user: FunctionRedisUser | undefined): object[] {
    if (user?.iam === undefined) return [];
    return [
        {
            Sid: "ConnectToRedisAsItsUser",
            Effect: "Allow",
            Action: ["elasticache:Connect"],
            Resource: [user.iam.replicationGroupArn, user.iam.userArn],
        },
    ];
}
