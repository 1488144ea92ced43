/**
 * The one command-line parser of every script (`npm start`, `npm run plan`, `bench`, `resilience`), strict: an
 * option the script does not take is an error, not ignored. Each script names the options it accepts.
 */
export interface CommandLine {
    /** The stack whose Pulumi.<stack>.yaml is read. @default "dev" */
    readonly stack: string;
    /** Project configuration overriding the stack file, as `pulumi config set` would (`--config numNodeGroups=3`). */
    readonly config: Readonly<Record<string, string>>;
    /** `npm run rehearse`: the settings the running cluster has before the change, over the stack file (`--from`). */
    readonly from: Readonly<Record<string, string>>;
    /** `npm run rehearse`: rehearse the scaler's next step (`--scale-out`, `--scale-in`) instead of a config change. */
    readonly scale?: "out" | "in";
    /** `npm run rehearse --scale-…`: the count to scale, `shards` or `replicas`; undefined for the stack's own. */
    readonly dimension?: "shards" | "replicas";
    /** `npm run rehearse --scale-…`: the count the scaler has reached; undefined for the default. */
    readonly at?: number;
    /** `npm start`: start, answer once, stop. */
    readonly once: boolean;
    /** `npm start`: the local Function URL's port; undefined picks a free one. */
    readonly port?: number;
    /** `npm run plan`: write nothing; fail when a generated doc is out of date. */
    readonly check: boolean;
    /** bench and resilience: a tiny run of every code path; its figures mean nothing. */
    readonly quick: boolean;
    /** bench and resilience: where the JSON goes; undefined for the command's default. */
    readonly out?: string;
    /** resilience: where the Markdown report goes; undefined for the command's default. */
    readonly doc?: string;
    /** bench and resilience: wait (up to 15 min) until the 1-minute load average is below this before measuring. */
    readonly waitLoad?: number;
    readonly help: boolean;
}

/** The options a script may accept besides `--help`. */
export type Option =
    | "stack"
    | "config"
    | "from"
    | "once"
    | "port"
    | "check"
    | "quick"
    | "out"
    | "doc"
    | "wait-load"
    | "scale-out"
    | "scale-in"
    | "dimension"
    | "at";

/** Thrown for an option that is unknown or malformed; its message says which and what is expected. */
export class UsageError extends Error {}

export function parseCommandLine(argv: readonly string[], accepted: readonly Option[]): CommandLine {
    const config: Record<string, string> = {};
    const from: Record<string, string> = {};
    let stack = "dev";
    let once = false;
    let check = false;
    let quick = false;
    let port: number | undefined;
    let out: string | undefined;
    let doc: string | undefined;
    let waitLoad: number | undefined;
    let scale: "out" | "in" | undefined;
    let dimension: "shards" | "replicas" | undefined;
    let at: number | undefined;
    let help = false;
    for (let i = 0; i < argv.length; i++) {
        const [option, inline] =
            argv[i].startsWith("--") && argv[i].includes("=") ? splitOnce(argv[i], "=") : [argv[i], undefined];
        const value = (): string => {
            const next = inline ?? argv[++i];
            if (next === undefined || next.startsWith("--")) throw new UsageError(`${option} needs a value`);
            return next;
        };
        const name = option.startsWith("--") ? (option.slice(2) as Option) : undefined;
        if (option === "--help" || option === "-h") help = true;
        else if (name === undefined || !accepted.includes(name)) throw new UsageError(`unknown option "${argv[i]}"`);
        else if (name === "stack") stack = value();
        else if (name === "config" || name === "from") {
            const [key, setting] = splitOnce(value(), "=");
            if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key) || setting === undefined) {
                throw new UsageError(
                    `--${name} takes key=value with a project key such as numNodeGroups=3, got "${argv[i]}"`,
                );
            }
            (name === "config" ? config : from)[key] = setting;
        } else if (name === "scale-out" || name === "scale-in") {
            const direction = name === "scale-out" ? "out" : "in";
            if (scale !== undefined && scale !== direction)
                throw new UsageError("--scale-out and --scale-in: give one, the scaler takes one step at a time");
            scale = direction;
        } else if (name === "dimension") {
            const text = value();
            if (text !== "shards" && text !== "replicas")
                throw new UsageError(`--dimension takes shards or replicas, got "${text}"`);
            dimension = text;
        } else if (name === "at") {
            const text = value();
            at = Number(text);
            if (!/^\d+$/.test(text))
                throw new UsageError(`--at takes a whole number of shards or replicas, got "${text}"`);
        } else if (name === "once") once = true;
        else if (name === "check") check = true;
        else if (name === "quick") quick = true;
        else if (name === "out") out = value();
        else if (name === "doc") doc = value();
        else if (name === "port") {
            const text = value();
            port = Number(text);
            if (!/^\d+$/.test(text) || port < 1 || port > 65535)
                throw new UsageError(`--port must be a port number 1-65535, got "${text}"`);
        } else {
            const text = value();
            waitLoad = Number(text);
            if (!(waitLoad > 0))
                throw new UsageError(`--wait-load takes a load average above 0, e.g. 1.5; got "${text}"`);
        }
    }
    if (!/^[A-Za-z0-9._-]+$/.test(stack))
        throw new UsageError(`--stack must be a stack name such as dev or prod, got "${stack}"`);
    if ((dimension !== undefined || at !== undefined) && scale === undefined)
        throw new UsageError("--dimension and --at go with --scale-out or --scale-in");
    return { stack, config, from, scale, dimension, at, once, port, check, quick, out, doc, waitLoad, help };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
    const index = text.indexOf(separator);
    return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + 1)];
}
