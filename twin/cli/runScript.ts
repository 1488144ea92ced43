import { StackConfigurationError } from "../program/stackSettings";
import { CommandLine, Option, parseCommandLine, UsageError } from "./commandLine";

export interface Script {
    /** How the script is called, for messages: "npm start", "npm run plan". */
    readonly name: string;
    /** Printed for `--help` and after a usage error. */
    readonly usage: string;
    /** The options the script accepts besides `--help`. */
    readonly options: readonly Option[];
    /** The script's work; resolves with the process's exit code. */
    readonly main: (args: CommandLine) => Promise<number>;
}

/**
 * The one runner of every script: parses the command line, answers `--help`, runs `main`, and maps failures to exit
 * codes — 2 for a usage error (with the usage), 1 for an invalid stack configuration (the program's own message, no
 * stack trace: it is the user's input, not a bug) and for any other failure (with its stack). It exits explicitly
 * because a script's child processes and sockets must not keep a finished command alive.
 */
export function runScript(script: Script): void {
    const run = async (): Promise<number> => {
        const args = parseCommandLine(process.argv.slice(2), script.options);
        if (args.help) {
            console.log(script.usage);
            return 0;
        }
        return script.main(args);
    };
    run().then(exit, (error: unknown) => {
        if (error instanceof UsageError) {
            console.error(`${error.message}\n${script.usage}`);
            exit(2);
        } else if (error instanceof StackConfigurationError) {
            console.error(error.message);
            exit(1);
        } else {
            console.error(`${script.name} failed: ${(error as Error).stack ?? String(error)}`);
            exit(1);
        }
    });
}

/** Exits once stdout and stderr have flushed, so a piped reader gets every line. */
function exit(code: number): void {
    process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}
