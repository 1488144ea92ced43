/**
 * A generated part of a hand-written document: the text between a begin and an end marker comment is the generator's,
 * the rest the author's. Replacing it leaves the markers in place, so the next run finds them again.
 */
export interface SectionMarkers {
    readonly begin: string;
    readonly end: string;
}

/** `document` with the text between the markers replaced by `lines`; throws, naming `where`, when a marker is missing. */
export function withGeneratedSection(
    document: string,
    markers: SectionMarkers,
    lines: readonly string[],
    where: string,
): string {
    const start = document.indexOf(markers.begin);
    const stop = start === -1 ? -1 : document.indexOf(markers.end, start);
    if (start === -1 || stop === -1)
        throw new Error(`${where}: the generated section's markers are missing:\n${markers.begin}\n${markers.end}`);
    return `${document.slice(0, start + markers.begin.length)}\n${lines.join("\n")}\n${document.slice(stop)}`;
}
