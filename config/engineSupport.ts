import {
    ENGINE_STANDARD_SUPPORT_ENDS,
    EXTENDED_SUPPORT_SURCHARGE,
    EXTENDED_SUPPORT_WARNING_DAYS,
    Engine,
} from "./catalog";

const DAY_MS = 24 * 60 * 60 * 1000;

/** The last day of standard support of an engine version (`YYYY-MM-DD`), when AWS announced one. */
export function standardSupportEnds(engine: Engine, version: string): string | undefined {
    return ENGINE_STANDARD_SUPPORT_ENDS[`${engine} ${version.split(".")[0]}`];
}

/**
 * A warning for a version that is in, or within `EXTENDED_SUPPORT_WARNING_DAYS` of, ElastiCache Extended Support,
 * which AWS bills on top of every node-hour. Pure: `today` is passed in, so the result is reproducible.
 */
export function extendedSupportWarning(engine: Engine, version: string, today: Date): string | undefined {
    const lastDay = standardSupportEnds(engine, version);
    if (lastDay === undefined) return undefined;
    const chargedFrom = new Date(Date.parse(`${lastDay}T00:00:00Z`) + DAY_MS);
    const daysLeft = Math.ceil((chargedFrom.getTime() - today.getTime()) / DAY_MS);
    if (daysLeft > EXTENDED_SUPPORT_WARNING_DAYS) return undefined;
    const from = chargedFrom.toISOString().slice(0, 10);
    const when =
        daysLeft > 0
            ? `leaves ElastiCache standard support on ${lastDay}; from ${from}`
            : `has been out of ElastiCache standard support since ${lastDay}; since ${from}`;
    const percent = (share: number) => `${Math.round(share * 100)} %`;
    return (
        `engineVersion: ${engine} ${version} ${when} AWS bills Extended Support on top of every node-hour ` +
        `(+${percent(EXTENDED_SUPPORT_SURCHARGE.firstTwoYears)} of the on-demand price in years 1–2, ` +
        `+${percent(EXTENDED_SUPPORT_SURCHARGE.thirdYear)} in year 3). Way out: upgrade in place to a version in ` +
        `standard support (engineVersion 7.1, or engine valkey with engineVersion 8.1; docs/changing.md §3, §5)`
    );
}
