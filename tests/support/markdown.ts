/** Just enough Markdown reading for the documentation tests: headings, their GitHub anchors, links and table rows. */

/** The lines outside fenced code blocks (a `#` in a shell snippet is a comment, not a heading). */
export function proseLines(markdown: string): string[] {
    let fenced = false;
    return markdown.split("\n").filter((line) => {
        if (line.startsWith("```")) {
            fenced = !fenced;
            return false;
        }
        return !fenced;
    });
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, each space a hyphen. */
export function anchorOf(heading: string): string {
    return heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}\p{M} _-]/gu, "")
        .replace(/ /g, "-");
}

export function anchors(markdown: string): Set<string> {
    return new Set(
        proseLines(markdown)
            .map((line) => /^#{1,6} (.+)$/.exec(line)?.[1])
            .filter((heading): heading is string => heading !== undefined)
            .map(anchorOf),
    );
}

/** Relative links (`[text](target)`), without web addresses. */
export function relativeLinks(markdown: string): string[] {
    return [
        ...proseLines(markdown)
            .join("\n")
            .matchAll(/\]\(([^)\s]+)\)/g),
    ]
        .map((match) => match[1])
        .filter((target) => !/^[a-z]+:/.test(target));
}

/** A table's body rows: not its header (which documents may share) nor the `|---|` line under it. */
export function tableRows(markdown: string): string[] {
    const separator = (line: string | undefined) => line !== undefined && /^\|[\s:|-]+\|$/.test(line);
    const lines = proseLines(markdown);
    return lines.filter((line, index) => line.startsWith("|") && !separator(line) && !separator(lines[index + 1]));
}
