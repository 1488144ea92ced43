/**
 * bench/rehearsals.json: one entry per rehearsed change, keyed by the stack and its sorted overrides, merged so a
 * later run of the same change replaces its entry and leaves the others. Field names are stable: reviewers and the
 * safe-change guide read them.
 */
import * as fs from "fs";
import * as path from "path";
import type { Verdict } from "../plan/replicationGroupChanges";
import type { CallFigures } from "./figures";
import type { LoadSettings, RehearsalResult, StepTiming } from "./runRehearsal";
import type { ExpectedShape, ShapeAfter } from "./shapeCheck";

export const REHEARSALS_FILE = path.resolve(__dirname, "..", "..", "bench", "rehearsals.json");

export interface RehearsalEntry {
    /** `<stack> <key>=<value> …` (sorted), with `from <key>=<value> …` when the run started from other settings. */
    readonly id: string;
    readonly stack: string;
    readonly from: Readonly<Record<string, string>>;
    readonly config: Readonly<Record<string, string>>;
    /** The scaler's step (`--scale-out`, `--scale-in`) rather than a config change: `config` is then the stack's. */
    readonly scale?: "out" | "in";
    /** The keys the change alters: the safe-change guide's rows. */
    readonly changedKeys: readonly string[];
    /** The model's verdict (worst over every resource) and the replication group's. */
    readonly verdict: Verdict;
    readonly clusterVerdict: Verdict;
    readonly steps: readonly StepTiming[];
    readonly calls: CallFigures;
    readonly knownKeys: RehearsalResult["knownKeys"];
    readonly changeSeconds: number;
    readonly wallSeconds: number;
    readonly shape: Pick<ShapeAfter, "shards" | "replicasPerShard" | "slotsCovered" | "keysOnTheirShard"> & {
        readonly expected: ExpectedShape;
        readonly matches: boolean;
    };
    readonly load: Required<LoadSettings>;
    readonly at: string;
    readonly machine: { readonly cores: number; readonly cpuModel: string; readonly loadAverage: readonly number[] };
    readonly redisServer: string;
}

export function rehearsalId(
    stack: string,
    config: Readonly<Record<string, string>>,
    from: Readonly<Record<string, string>> = {},
): string {
    const pairs = (values: Readonly<Record<string, string>>) =>
        Object.keys(values)
            .sort()
            .map((key) => `${key}=${values[key]}`)
            .join(" ");
    return [stack, pairs(config), ...(Object.keys(from).length > 0 ? [`from ${pairs(from)}`] : [])].join(" ");
}

export function readRehearsals(file = REHEARSALS_FILE): RehearsalEntry[] {
    if (!fs.existsSync(file)) return [];
    return (JSON.parse(fs.readFileSync(file, "utf8")) as { rehearsals: RehearsalEntry[] }).rehearsals;
}

/** Merges `entry` into the file (replacing one with the same id), sorted by id. */
export function recordRehearsal(entry: RehearsalEntry, file = REHEARSALS_FILE): void {
    const entries = [...readRehearsals(file).filter((known) => known.id !== entry.id), entry].sort((a, b) =>
        a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    fs.writeFileSync(file, JSON.stringify({ rehearsals: entries }, null, 2) + "\n");
}
