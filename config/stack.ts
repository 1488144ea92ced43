import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT_NAME } from "./project";
import { ConfigurationError, StackSettings } from "./settings";
import { validateSettings } from "./validate";

/**
 * Reads and validates the stack's configuration, synchronously and before any resource is registered.
 * Throws a `pulumi.RunError` listing every problem (Pulumi prints it without a stack trace).
 */
export function readStackSettings(): StackSettings {
    const result = validateSettings(readProjectConfig(), { region: aws.config.region, today: new Date() });
    for (const warning of result.warnings) pulumi.log.warn(warning);
    if (!result.settings) throw new pulumi.RunError(new ConfigurationError(result.problems).message);
    return result.settings;
}

/**
 * The project's raw configuration values. Keys are looked up under `redis-cluster:` (Pulumi.yaml's name) and, when the
 * program runs under another project name (a test harness's default), under that name too.
 */
function readProjectConfig(): Record<string, unknown> {
    const namespaces = [...new Set([PROJECT_NAME, pulumi.getProject()])];
    const raw: Record<string, unknown> = {};
    for (const namespace of namespaces) {
        const prefix = `${namespace}:`;
        for (const [fullKey, value] of Object.entries(pulumi.runtime.allConfig())) {
            const key = fullKey.startsWith(prefix) ? fullKey.slice(prefix.length) : undefined;
            if (key !== undefined && !(key in raw)) raw[key] = value;
        }
    }
    return raw;
}
