import { expect } from "chai";
import { KEY_CHANGES } from "../../twin/plan/configChanges";
import { JudgedChange, renderTable } from "../../twin/plan/safeChangeGuide";
import type { RehearsalEntry } from "../../twin/rehearse/rehearsalRecord";

const change = { key: "numNodeGroups" as const, ...KEY_CHANGES.numNodeGroups };

function judged(stack: string, to: Record<string, string>, verdict: "update in place" | "replacement"): JudgedChange {
    return {
        change,
        stack,
        label: "1 → 2",
        assessment: { verdict, cluster: verdict, changes: [] },
        from: {},
        to,
    };
}

/** The figures a rehearsal would record, only what the guide reads filled in. */
function rehearsal(stack: string, config: Record<string, string>): RehearsalEntry {
    const phase = { calls: 100, failed: 0, p50Ms: 2, p99Ms: 42.5 };
    return {
        id: `${stack} ${JSON.stringify(config)}`,
        stack,
        from: {},
        config,
        knownKeys: { written: 16384, readBack: 16384, lost: 0 },
        changeSeconds: 9.5,
        calls: { calls: 300, failed: 0, before: phase, during: phase, after: phase },
    } as unknown as RehearsalEntry;
}

describe("safe-change guide: links to rehearsal figures", function () {
    it("an in-place row links to the rehearsal of exactly its change on its stack", function () {
        const table = renderTable(
            [
                judged("dev", { numNodeGroups: "2" }, "update in place"),
                judged("prod", { numNodeGroups: "4" }, "update in place"),
            ],
            [rehearsal("dev", { numNodeGroups: "2" }), rehearsal("prod", { numNodeGroups: "5" })],
        );
        const row = table.split("\n").find((line) => line.startsWith("| `numNodeGroups`"))!;
        const [, dev, prod] = row.split(" | ");
        expect(dev).to.contain("[rehearsed](../bench/rehearsals.json): no call failed, no key lost");
        expect(prod, "a rehearsal of another change").not.to.contain("rehearsed");
    });

    it("a replacement row gets no link", function () {
        const table = renderTable(
            [
                judged("dev", { numNodeGroups: "2" }, "replacement"),
                judged("prod", { numNodeGroups: "4" }, "replacement"),
            ],
            [rehearsal("dev", { numNodeGroups: "2" })],
        );
        expect(table).not.to.contain("rehearsed");
    });
});
