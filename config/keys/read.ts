/**
 * Single-key validation, from the declarations: each value is read as its kind says, and a bad one is reported with
 * the key, the value given and what is allowed. The key is then marked invalid (its default stands in), so the rules
 * relating keys in config/validate.ts can skip what is already reported.
 */
import type { RawConfig } from "../settings";
import type { BooleanKey, ChoiceKey, IntegerKey, KeyDeclaration, OptionalIntegerKey, TextKey } from "./declaration";
import { CONFIG_KEYS, ConfigKey, declarationOf, DeclaredValues } from "./index";

/** Not given: missing, null, or blank (the CLI hands an unset `""` default as the empty string). */
export function isAbsent(value: unknown): boolean {
    return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

export class Reader {
    private readonly invalidKeys = new Set<string>();

    constructor(
        private readonly raw: RawConfig,
        private readonly problems: string[],
    ) {}

    valid(...keys: string[]): boolean {
        return keys.every((key) => !this.invalidKeys.has(key));
    }

    invalidate(key: string): void {
        this.invalidKeys.add(key);
    }

    /**
     * Every declared key's value (derived keys: their "" default, read by their rule), with the warnings the
     * declarations give for valid values.
     */
    declared(warnings: string[]): DeclaredValues {
        const values: Record<string, unknown> = {};
        for (const key of CONFIG_KEYS) {
            const declaration = declarationOf(key);
            const value = this.read(key, declaration);
            values[key] = value;
            const warning = this.valid(key)
                ? (declaration.warning as ((v: unknown) => string | undefined) | undefined)?.(value)
                : undefined;
            if (warning) warnings.push(warning);
        }
        return values as unknown as DeclaredValues;
    }

    private read(key: ConfigKey, declaration: KeyDeclaration): unknown {
        switch (declaration.kind) {
            case "integer":
                return this.integer(key, declaration);
            case "optionalInteger":
                return this.optionalInteger(key, declaration);
            case "boolean":
                return this.boolean(key, declaration);
            case "choice":
                return this.choice(key, declaration);
            case "text":
                return this.text(key, declaration);
            case "derived":
                return declaration.default;
        }
    }

    private integer(key: string, { default: fallback, min, max, unit }: IntegerKey): number {
        const value = this.raw[key];
        if (isAbsent(value)) return fallback;
        const text = String(value).trim();
        const allowed = `allowed ${min}–${max}${unit ? ` ${unit}` : ""}`;
        if (!/^[+-]?\d+$/.test(text)) {
            return this.fail(key, `${JSON.stringify(value)} is not a whole number; ${allowed}`, fallback);
        }
        const parsed = Number(text);
        if (parsed < min || parsed > max) {
            return this.fail(key, `${parsed} is out of range; ${allowed}`, fallback);
        }
        return parsed;
    }

    /** A whole number in range, or undefined when not given (a bad value then stands in as undefined too). */
    private optionalInteger(key: string, declaration: OptionalIntegerKey): number | undefined {
        if (isAbsent(this.raw[key])) return undefined;
        const { min, unit, unsetMeans } = declaration;
        const value = this.integer(key, {
            ...declaration,
            kind: "integer",
            default: min,
            unit: `${unit}, or unset for ${unsetMeans}`,
        });
        return this.valid(key) ? value : undefined;
    }

    private boolean(key: string, { default: fallback }: BooleanKey): boolean {
        const value = this.raw[key];
        if (isAbsent(value)) return fallback;
        return (
            booleanOf(value) ??
            this.fail(key, `${JSON.stringify(value)} is not a boolean; allowed true or false`, fallback)
        );
    }

    private choice(key: string, declaration: ChoiceKey<string> | ChoiceKey<number>): string | number {
        const fallback = declaration.emptyMeans ?? declaration.default;
        const value = this.raw[key];
        if (isAbsent(value)) return fallback;
        const text = String(value).trim();
        const allowed: readonly (string | number)[] = declaration.allowed;
        const match = allowed.find((candidate) => String(candidate) === text);
        if (match === undefined) {
            return this.fail(key, `${JSON.stringify(value)} is not allowed; allowed ${allowed.join(", ")}`, fallback);
        }
        return match;
    }

    /** Text; an optional one (default "") is undefined when not given. */
    private text(key: string, { default: fallback, pattern, allowedText }: TextKey<string>): string | undefined {
        const settled = fallback === "" ? undefined : fallback;
        const value = this.raw[key];
        if (isAbsent(value)) return settled;
        const text = String(value).trim();
        if (pattern && !pattern.test(text)) {
            return this.fail(key, `${JSON.stringify(value)} is not valid; allowed ${allowedText}`, settled);
        }
        return text;
    }

    private fail<T>(key: string, message: string, fallback: T): T {
        this.problems.push(`${key}: ${message}`);
        this.invalidKeys.add(key);
        return fallback;
    }
}

/** A boolean as YAML (true) or the CLI ("true", " TRUE ") gives it; undefined for anything else. */
export function booleanOf(value: unknown): boolean | undefined {
    if (typeof value === "boolean") return value;
    const text = String(value).trim().toLowerCase();
    return text === "true" ? true : text === "false" ? false : undefined;
}
