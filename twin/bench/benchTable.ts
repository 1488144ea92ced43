/** The table `npm run bench` prints: one row per variant, one column per measurement, then ratios and goals. Pure. */
import { BenchResults, LABELS } from "./benchRun";

function ms(value: number | undefined): string {
    return value === undefined || !Number.isFinite(value) ? "" : `${value.toFixed(value < 10 ? 2 : 0)} ms`;
}

function perSecond(value: number | undefined): string {
    return value === undefined ? "" : `${value.toFixed(0)}/s`;
}

function micros(value: number | undefined): string {
    return value === undefined ? "" : `${value.toFixed(0)} µs`;
}

function find<T extends { readonly label: string }>(items: readonly T[], label: string): T | undefined {
    return items.find((item) => item.label === label);
}

function goal(results: BenchResults, name: string): string {
    const entry = results.goals[name];
    return entry ? `${entry.goal} ${entry.met ? "met" : "MISSED"}` : "";
}

function columns(rows: string[][]): string[] {
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
    const lines = rows.map((row) =>
        row
            .map((cell, i) => (cell ?? "").padEnd(widths[i]))
            .join("  ")
            .trimEnd(),
    );
    lines.splice(1, 0, widths.map((width) => "-".repeat(width)).join("  "));
    return lines;
}

export function renderBenchTable(results: BenchResults): string {
    const { cold, warm, concurrency, archive } = results.raw;
    const header = [
        "",
        `cold (median of ${results.settings.coldRuns})`,
        `warm p50 (${warm.iterations})`,
        "warm p99",
        `calls/s, ${concurrency.concurrency} in flight`,
        "CPU/call",
    ];
    const variantRows = Object.values(LABELS).map((label) => [
        label,
        ms(find(cold, label)?.medianTotalMs),
        ms(find(warm.variants, label)?.p50Ms),
        ms(find(warm.variants, label)?.p99Ms),
        perSecond(find(concurrency.variants, label)?.callsPerSecond),
        micros(find(concurrency.variants, label)?.cpuMicrosPerCall),
    ]);
    const ratios = [
        "ratio handler ÷ bare (pipelined)",
        String(results.coldRatio),
        String(results.warmRatio),
        "",
        String(results.concurrencyRatio),
        "",
    ];
    const goals = [
        "goal",
        goal(results, "coldRatio"),
        goal(results, "warmRatio"),
        "",
        goal(results, "concurrencyRatio"),
        "",
    ];
    const lines = columns([header, ...variantRows, ratios, goals]);
    lines.push(
        "",
        `handler CPU per call ÷ bare ioredis's, ${concurrency.concurrency} in flight: ${results.cpuPerCallRatio}`,
        `archive: ${archive.zippedBytes} B zipped, ${archive.unzippedBytes} B unzipped, ${archive.files} files, ${archive.pulumiFiles} from @pulumi — ${goal(results, "archiveZippedBytes")}`,
    );
    const { machine, loadAverage } = results;
    lines.push(
        `${machine.cores} cores (${machine.cpuModel}), Node ${machine.node}; load average ${loadAverage.start.join(" ")} at start, ${loadAverage.end.join(" ")} at end`,
    );
    return lines.join("\n");
}
