/** An inclusive range of hash slots, `[first, last]`. */
export type SlotRange = readonly [number, number];

/** One line of `CLUSTER NODES`: how the answering node sees one member of the cluster. */
export interface ClusterNodesEntry {
    readonly id: string;
    /** Announced address; empty while the node is unknown (`noaddr`). */
    readonly host: string;
    readonly port: number;
    readonly flags: readonly string[];
    readonly role: "primary" | "replica";
    /** For a replica, the id of the primary it replicates. */
    readonly primaryId?: string;
    readonly myself: boolean;
    /** `fail` or `pfail` (`fail?`): the answering node cannot reach it. */
    readonly failing: boolean;
    /** Still joining, or address unknown: the cluster has not formed around it yet. */
    readonly joining: boolean;
    readonly linkConnected: boolean;
    /** Slots it serves, in order; slots being migrated (`[n->-id]`) are left out. */
    readonly slots: readonly SlotRange[];
}

/** Parses the text of `CLUSTER NODES` (format documented at https://redis.io/commands/cluster-nodes/). */
export function parseClusterNodes(text: string): ClusterNodesEntry[] {
    return text
        .split("\n")
        .map((line) => line.trim())
        .filter((line) => line.length > 0)
        .map(parseLine);
}

function parseLine(line: string): ClusterNodesEntry {
    const [id, address, flagText, primary, , , , linkState, ...slotFields] = line.split(" ");
    if (id === undefined || linkState === undefined) throw new Error(`Unexpected CLUSTER NODES line: ${line}`);
    // address is ip:port@busport[,hostname]
    const hostPort = address.split("@")[0];
    const colon = hostPort.lastIndexOf(":");
    const flags = flagText.split(",");
    const slots: SlotRange[] = slotFields
        .filter((field) => !field.startsWith("["))
        .map((field) => {
            const [first, last] = field.split("-").map(Number);
            return [first, last ?? first] as const;
        });
    return {
        id,
        host: hostPort.slice(0, colon),
        port: Number(hostPort.slice(colon + 1)),
        flags,
        role: flags.includes("master") ? "primary" : "replica",
        primaryId: primary === "-" ? undefined : primary,
        myself: flags.includes("myself"),
        failing: flags.includes("fail") || flags.includes("fail?"),
        joining: flags.includes("handshake") || flags.includes("noaddr"),
        linkConnected: linkState === "connected",
        slots,
    };
}

/**
 * A canonical text of who serves which slots ("first-last=id" joined by spaces), so two nodes' views can be
 * compared for equality.
 */
export function slotMapSignature(entries: readonly ClusterNodesEntry[]): string {
    return entries
        .filter((entry) => entry.role === "primary")
        .flatMap((entry) => entry.slots.map(([first, last]) => ({ first, text: `${first}-${last}=${entry.id}` })))
        .sort((a, b) => a.first - b.first)
        .map((range) => range.text)
        .join(" ");
}

/** A canonical text of every node's role and primary, so two nodes' views can be compared for equality. */
export function roleMapSignature(entries: readonly Pick<ClusterNodesEntry, "id" | "role" | "primaryId">[]): string {
    return entries
        .map((entry) => `${entry.id}:${entry.role}${entry.primaryId ? `<${entry.primaryId}` : ""}`)
        .sort()
        .join(" ");
}

/** The id of the primary that serves `slot` in this view, if any. */
export function ownerOfSlot(entries: readonly ClusterNodesEntry[], slot: number): string | undefined {
    return entries.find(
        (entry) => entry.role === "primary" && entry.slots.some(([first, last]) => first <= slot && slot <= last),
    )?.id;
}

/** Parses `INFO` / `CLUSTER INFO` text into its `field:value` pairs. */
export function parseInfo(text: string): Record<string, string> {
    const fields: Record<string, string> = {};
    for (const line of text.split("\n")) {
        const colon = line.indexOf(":");
        if (colon > 0 && !line.startsWith("#")) fields[line.slice(0, colon)] = line.slice(colon + 1).trim();
    }
    return fields;
}
