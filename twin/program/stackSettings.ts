/**
 * A stack's configuration read and validated exactly as the program does it (`config/stackFiles.ts`,
 * `config/validate.ts`), so local tools refuse what `pulumi up` would refuse, with the program's own message.
 */
import { readStackFiles } from "../../config/stackFiles";
import { ConfigurationError, StackSettings } from "../../config/settings";
import { validateSettings } from "../../config/validate";

export interface LoadedStack {
    readonly stack: string;
    readonly settings: StackSettings;
    /** Valid but worth saying; the program logs the same ones as warnings. */
    readonly warnings: readonly string[];
    /** `aws:region` of the stack; the offline evaluation defaults to us-east-1 without one, as the mocks do. */
    readonly region: string;
    /** Overrides given on the command line, passed on to the evaluation. */
    readonly overrides: Readonly<Record<string, string>>;
}

/** Refusal to run: the message is what the program itself would print (a ConfigurationError's, or the file error). */
export class StackConfigurationError extends Error {}

export function loadStack(stack: string, overrides: Readonly<Record<string, string>> = {}): LoadedStack {
    let files;
    try {
        files = readStackFiles(stack);
    } catch (error) {
        throw new StackConfigurationError((error as Error).message);
    }
    const result = validateSettings(
        { ...files.projectValues, ...overrides },
        { region: files.region, today: new Date() },
    );
    if (!result.settings) throw new StackConfigurationError(new ConfigurationError(result.problems).message);
    return {
        stack,
        settings: result.settings,
        warnings: result.warnings,
        region: files.region ?? "us-east-1",
        overrides,
    };
}
