/**
 * The prefix of every resource name, from the stack name. Auto-named ElastiCache ids allow only lowercase letters,
 * digits and single hyphens and at most 40 characters (Pulumi adds an 8-character suffix), while stack names may hold
 * capitals, dots and underscores: so the stack name is folded and shortened.
 */
export function resourcePrefix(stack: string): string {
    const folded = stack
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
    return `redis-${folded.slice(0, 16).replace(/-+$/, "") || "stack"}`;
}
