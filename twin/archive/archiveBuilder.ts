/**
 * Builds the handler archive in a child Node process, for callers that must keep @pulumi/* and the program's
 * evaluation out of their own process (the benchmarks, whose measurements it would disturb). `npm start` builds it
 * in-process instead: on 2 busy cores the child's own ts-node and Pulumi start-up made start-up slower.
 * (Pulumi's closure serialization fails on a worker thread, hence a process.)
 */
import { ChildProcess, fork } from "child_process";
import * as path from "path";
import * as fs from "fs";
import type { LambdaArchive } from "./lambdaArchive";
import type { EvaluateOptions } from "../program/evaluateProgram";

type ArchiveData = Omit<LambdaArchive, "remove">;
type ChildAnswer = { ok: true; archive: ArchiveData } | { ok: false; message: string };

const live = new Set<ChildProcess>();

/** Same as `writeLambdaArchive`, in a child process that exits once the archive is written. */
export function buildLambdaArchive(options: EvaluateOptions): Promise<LambdaArchive> {
    return new Promise((resolve, reject) => {
        const child = fork(__filename, [JSON.stringify(options)], {
            execArgv: ["-r", path.join(__dirname, "..", "register.cjs")],
            stdio: ["ignore", "ignore", "pipe", "ipc"],
        });
        live.add(child);
        if (live.size === 1) process.once("exit", killAll);
        let stderr = "";
        child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
        let answer: ChildAnswer | undefined;
        child.once("message", (message: ChildAnswer) => (answer = message));
        child.once("error", reject);
        child.once("exit", (code, signal) => {
            live.delete(child);
            if (answer?.ok) {
                const archive = answer.archive;
                resolve({ ...archive, remove: () => fs.rmSync(archive.dir, { recursive: true, force: true }) });
            } else {
                reject(
                    new Error(
                        answer?.message ??
                            `building the handler archive failed (${signal ?? `exit ${code}`}): ${stderr.trim()}`,
                    ),
                );
            }
        });
    });
}

/** An aborted parent must not leave a builder running. */
function killAll(): void {
    for (const child of live) child.kill("SIGKILL");
}

if (require.main === module && process.send) {
    const send = (answer: ChildAnswer): void => {
        process.send!(answer, () => process.disconnect());
    };
    // Loaded here only: the parent never needs the program's dependencies.
    const { writeLambdaArchive } = require("./lambdaArchive") as typeof import("./lambdaArchive");
    writeLambdaArchive(JSON.parse(process.argv[2]) as EvaluateOptions).then(
        ({ remove: _remove, ...archive }) => send({ ok: true, archive }),
        (error: Error) => send({ ok: false, message: error.stack ?? error.message }),
    );
}
