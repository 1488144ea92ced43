/** The command-line options `npm start` and `npm run plan` share, parsed strictly: a typo is an error, not ignored. */

export interface CommandLine {
    /** The stack whose Pulumi.<stack>.yaml is read. @default "dev" */
    readonly stack: string;
    /** Project configuration overriding the stack file, as `pulumi config set` would (`--config numNodeGroups=3`). */
    readonly config: Readonly<Record<string, string>>;
    /** `npm start`: start, answer once, stop. */
    readonly once: boolean;
    /** `npm start`: the local Function URL's port; undefined picks a free one. */
    readonly port?: number;
    /** `npm run plan`: do not write docs/architecture.md; fail when it is out of date. */
    readonly check: boolean;
    readonly help: boolean;
}

export type Flag = "once" | "port" | "check";

/** Thrown for an option that is unknown or malformed; its message says which and what is expected. */
export class UsageError extends Error {}

export function parseCommandLine(argv: readonly string[], flags: readonly Flag[] = []): CommandLine {
    const config: Record<string, string> = {};
    let stack = "dev";
    let once = false;
    let check = false;
    let port: number | undefined;
    let help = false;
    for (let i = 0; i < argv.length; i++) {
        const [option, inline] = argv[i].startsWith("--") && argv[i].includes("=") ? splitOnce(argv[i], "=") : [argv[i], undefined];
        const value = (): string => {
            const next = inline ?? argv[++i];
            if (next === undefined || next.startsWith("--")) throw new UsageError(`${option} needs a value`);
            return next;
        };
        if (option === "--help" || option === "-h") help = true;
        else if (option === "--stack") stack = value();
        else if (option === "--config") {
            const [key, setting] = splitOnce(value(), "=");
            if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key) || setting === undefined) {
                throw new UsageError(`--config takes key=value with a project key such as numNodeGroups=3, got "${argv[i]}"`);
            }
            config[key] = setting;
        } else if (option === "--once" && flags.includes("once")) once = true;
        else if (option === "--check" && flags.includes("check")) check = true;
        else if (option === "--port" && flags.includes("port")) {
            const text = value();
            port = Number(text);
            if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new UsageError(`--port must be a port number 1-65535, got "${text}"`);
        } else throw new UsageError(`unknown option "${argv[i]}"`);
    }
    if (!/^[A-Za-z0-9._-]+$/.test(stack)) throw new UsageError(`--stack must be a stack name such as dev or prod, got "${stack}"`);
    return { stack, config, once, port, check, help };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
    const index = text.indexOf(separator);
    return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}
