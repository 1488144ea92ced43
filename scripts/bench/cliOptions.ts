/** Command-line options of `npm run bench` and `npm run resilience`, parsed strictly: a typo is an error. */

export interface BenchCommandLine {
    /** A tiny run of every code path; its figures mean nothing. */
    readonly quick: boolean;
    /** Where the JSON goes; undefined for the command's default. */
    readonly out?: string;
    /** Where the Markdown report goes (resilience only). */
    readonly doc?: string;
    /** Wait (up to 15 min) until the 1-minute load average is below this before measuring. */
    readonly waitLoad?: number;
    readonly help: boolean;
}

export class UsageError extends Error {}

export function parseBenchCommandLine(argv: readonly string[], allowDoc = false): BenchCommandLine {
    let quick = false;
    let out: string | undefined;
    let doc: string | undefined;
    let waitLoad: number | undefined;
    let help = false;
    for (let i = 0; i < argv.length; i++) {
        const [option, inline] = argv[i].includes("=") ? [argv[i].slice(0, argv[i].indexOf("=")), argv[i].slice(argv[i].indexOf("=") + 1)] : [argv[i], undefined];
        const value = (): string => {
            const next = inline ?? argv[++i];
            if (next === undefined || next.startsWith("--")) throw new UsageError(`${option} needs a value`);
            return next;
        };
        if (option === "--help" || option === "-h") help = true;
        else if (option === "--quick") quick = true;
        else if (option === "--out") out = value();
        else if (option === "--doc" && allowDoc) doc = value();
        else if (option === "--wait-load") {
            const text = value();
            waitLoad = Number(text);
            if (!(waitLoad > 0)) throw new UsageError(`--wait-load takes a load average above 0, e.g. 1.5; got "${text}"`);
        } else throw new UsageError(`unknown option "${argv[i]}"`);
    }
    return { quick, out, doc, waitLoad, help };
}
