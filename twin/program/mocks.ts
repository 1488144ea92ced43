import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

/** A resource the program registered, as the engine would have received it. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, any>;
    readonly id: string;
    /** Custom resources are cloud resources; the others are components. */
    readonly custom: boolean;
    readonly urn: string;
    /** The parent's URN; empty for the stack's top-level resources. */
    readonly parentUrn: string;
    /** Resource options as the engine receives them. */
    readonly options: RegistrationOptions;
    /** URNs of the resources this one's inputs use (or that it `dependsOn`): the engine's view of the graph. */
    readonly dependencies: string[];
}

export interface RegistrationOptions {
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly ignoreChanges: string[];
    /** Delete the old resource before creating its replacement (for resources AWS allows only one of). */
    readonly deleteBeforeReplace: boolean;
    /** The URNs its `aliases` name, resolved as the engine resolves them (an alias spec's blanks are this resource's). */
    readonly aliases: string[];
}

/** What a mock monitor's registration request exposes (a protobuf message). */
interface RegisterResourceRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getIgnorechangesList(): string[];
    getDeletebeforereplace(): boolean;
    getDependenciesList(): string[];
    getAliasesList(): AliasMessage[];
}

/** One alias in a registration request: a URN, or a spec whose empty fields default to the resource's own. */
interface AliasMessage {
    hasUrn(): boolean;
    getUrn(): string;
    getSpec():
        | {
              getName(): string;
              getType(): string;
              getStack(): string;
              getProject(): string;
              getParenturn(): string;
              getNoparent(): boolean;
          }
        | undefined;
}

/** A URN as the engine builds it: the parent's qualified type (none for the stack itself) prefixes the type. */
function urnOf(stack: string, project: string, parentUrn: string, type: string, name: string): string {
    const parentType = parentUrn ? parentUrn.split("::")[2] : "";
    const qualifiedType = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
    return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/** What the engine makes of each alias (pkg/resource/deploy: a spec's name, type, stack, project, parent default to the resource's). */
function aliasUrns(request: RegisterResourceRequest): string[] {
    return request.getAliasesList().map((alias) => {
        if (alias.hasUrn()) return alias.getUrn();
        const spec = alias.getSpec();
        const parentUrn = spec?.getNoparent() ? "" : spec?.getParenturn() || request.getParent();
        return urnOf(
            spec?.getStack() || pulumi.getStack(),
            spec?.getProject() || pulumi.getProject(),
            parentUrn,
            spec?.getType() || request.getType(),
            spec?.getName() || request.getName(),
        );
    });
}

/** AZ names per region used by the mocks; a region not listed gets three zones a, b, c. */
const MOCK_ZONES: Record<string, string[]> = {
    "us-east-1": ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
    "us-west-1": ["us-west-1b", "us-west-1c"],
    // Tokyo has no "b" for new accounts: the tutorial's hard-coded letters would not work everywhere.
    "ap-northeast-1": ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
};

export const MOCK_AMI_ID = "ami-0123456789abcdef0";
/** The account the mocks answer for: the one in every mock ARN. */
export const MOCK_ACCOUNT_ID = "123456789012";

/** A subnet as the mocks describe it to `aws.ec2.getSubnet`. */
export interface MockSubnet {
    readonly vpcId?: string;
    readonly availabilityZone: string;
}

/**
 * A generated password under mocks: "mock" and letters and digits derived from the resource's name, `length` long. Two
 * passwords differ, and one resource gets the same value in every evaluation, as a RandomPassword keeps its value.
 */
export function mockPassword(resourceName: string, length: number): string {
    let text = "mock";
    for (let round = 0; text.length < length; round++)
        text += createHash("sha256").update(`${resourceName}#${round}`).digest("hex");
    return text.slice(0, length);
}

/**
 * Pulumi mocks shared by every test: records each registered resource, answers the data sources the program uses,
 * and refuses anything else so a new data source cannot slip in untested.
 */
export class ProgramMocks implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    private readonly registrations = new Map<
        string,
        { custom: boolean; urn: string; parentUrn: string; options: RegistrationOptions; dependencies: string[] }
    >();

    /**
     * @param subnets Subnets `aws.ec2.getSubnet` describes as given. Any other subnet is answered as an account whose
     * subnets belong to the stack's `vpcId` and lie in the region's zone at the id's last hexadecimal digit modulo the
     * zone count (subnet-…1 and subnet-…2 in different AZs, subnet-…1 and subnet-…4 in the same one of three).
     */
    constructor(
        private readonly region: string = "us-east-1",
        private readonly subnets: Readonly<Record<string, MockSubnet>> = {},
    ) {}

    /**
     * Also records what `newResource` is not told: resource options, parent and URN. Call after `setMocks`, with the
     * monitor it installed.
     */
    observe(monitor: { registerResource(request: RegisterResourceRequest, callback: unknown): unknown }): void {
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (request, callback) => {
            const parentUrn = request.getParent();
            this.registrations.set(`${request.getType()}::${request.getName()}`, {
                custom: request.getCustom(),
                urn: urnOf(pulumi.getStack(), pulumi.getProject(), parentUrn, request.getType(), request.getName()),
                parentUrn,
                options: {
                    protect: request.getProtect(),
                    retainOnDelete: request.getRetainondelete(),
                    ignoreChanges: request.getIgnorechangesList(),
                    deleteBeforeReplace: request.getDeletebeforereplace(),
                    aliases: aliasUrns(request),
                },
                dependencies: request.getDependenciesList(),
            });
            return register(request, callback);
        };
    }

    zones(): string[] {
        return MOCK_ZONES[this.region] ?? ["a", "b", "c"].map((letter) => `${this.region}${letter}`);
    }

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
        const id = `${args.name}-id`;
        const registration = this.registrations.get(`${args.type}::${args.name}`) ?? {
            custom: args.custom ?? true,
            urn: "",
            parentUrn: "",
            options: {
                protect: false,
                retainOnDelete: false,
                ignoreChanges: [],
                deleteBeforeReplace: false,
                aliases: [],
            },
            dependencies: [],
        };
        this.resources.push({ type: args.type, name: args.name, inputs: args.inputs, id, ...registration });
        return { id, state: { ...args.inputs, ...this.outputsOf(args) } };
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
        switch (args.token) {
            case "aws:index/getAvailabilityZones:getAvailabilityZones":
                return { names: this.zones(), zoneIds: this.zones().map((_, index) => `use1-az${index + 1}`) };
            case "aws:index/getRegion:getRegion":
                return { name: this.region, region: this.region, id: this.region };
            case "aws:ec2/getSubnet:getSubnet":
                return this.subnet(String(args.inputs.id));
            case "aws:ec2/getPrefixList:getPrefixList":
                return { id: "pl-63a5400a", name: args.inputs.name, cidrBlocks: ["3.5.0.0/19"] };
            case "aws:ec2/getVpc:getVpc":
                return { id: args.inputs.id, cidrBlock: "10.20.0.0/16" };
            case "aws:index/getCallerIdentity:getCallerIdentity":
                return {
                    accountId: MOCK_ACCOUNT_ID,
                    arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/mock`,
                    userId: "AIDAMOCK",
                };
            case "aws:index/getPartition:getPartition":
                return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
            case "aws:ssm/getParameter:getParameter":
                return { name: args.inputs.name, type: "String", value: MOCK_AMI_ID, insecureValue: MOCK_AMI_ID };
            default:
                throw new Error(`Mock not implemented: ${args.token}`);
        }
    }

    private subnet(id: string): Record<string, unknown> {
        const zones = this.zones();
        const known = this.subnets[id];
        const configuredVpc = Object.entries(pulumi.runtime.allConfig()).find(([key]) => key.endsWith(":vpcId"))?.[1];
        const digit = Number.parseInt(id.slice(-1), 16);
        return {
            id,
            arn: `arn:aws:ec2:${this.region}:${MOCK_ACCOUNT_ID}:subnet/${id}`,
            vpcId: known?.vpcId ?? configuredVpc ?? "vpc-0mock",
            availabilityZone: known?.availabilityZone ?? zones[(Number.isNaN(digit) ? 0 : digit) % zones.length],
            cidrBlock: "10.20.0.0/24",
        };
    }

    /** Outputs the cloud would compute; remote components (awsx) are opaque under mocks, so theirs come from here. */
    private outputsOf(args: pulumi.runtime.MockResourceArgs): Record<string, any> {
        const arn = `arn:aws:mock:${this.region}:${MOCK_ACCOUNT_ID}:${args.name}`;
        switch (args.type) {
            case "awsx:ec2:Vpc": {
                const count = Number(args.inputs.numberOfAvailabilityZones ?? 3);
                const subnets = Array.from({ length: count }, (_, index) => `subnet-isolated-${index + 1}`);
                return {
                    vpcId: "vpc-0mock",
                    isolatedSubnetIds: subnets,
                    privateSubnetIds: [],
                    publicSubnetIds: [],
                    routeTables: subnets.map((_, index) => ({ id: `rtb-isolated-${index + 1}` })),
                };
            }
            case "aws:elasticache/replicationGroup:ReplicationGroup":
                return { arn, configurationEndpointAddress: `${args.name}.abc123.clustercfg.use1.cache.amazonaws.com` };
            case "aws:lambda/function:Function":
                return { arn, name: args.name };
            case "aws:lambda/functionUrl:FunctionUrl":
                return { functionUrl: `https://${args.name}.lambda-url.${this.region}.on.aws/` };
            case "aws:ec2/vpcEndpoint:VpcEndpoint":
                return { prefixListId: args.inputs.vpcEndpointType === "Gateway" ? "pl-63a5400a" : undefined };
            // Its `arn` is the topic's, as given: the replication group takes the topic's ARN from it.
            case "aws:sns/topicPolicy:TopicPolicy":
                return {};
            case "random:index/randomPassword:RandomPassword":
                return { result: mockPassword(args.name, Number(args.inputs.length ?? 16)) };
            case "aws:cloudwatch/logGroup:LogGroup":
            case "aws:iam/role:Role":
            case "aws:iam/instanceProfile:InstanceProfile":
            case "aws:elasticache/subnetGroup:SubnetGroup":
                return { arn, name: args.inputs.name ?? args.name };
            default:
                return { arn };
        }
    }
}
