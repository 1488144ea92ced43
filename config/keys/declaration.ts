/**
 * The shape of a configuration key's declaration: everything the program, the docs and the local tools need to know
 * about one key, in one place. Pulumi.yaml's `config:` block, README's configuration table, the typed settings, the
 * single-key validation, the safe-change guide's rows and the rehearsal's refusals are all derived from these.
 *
 * The guide's callbacks take the validated settings, whose type is itself derived from the declarations: annotate
 * their return type (`(s): string => …`), or TypeScript reports the declarations as referring to themselves.
 */
import type { AlarmThresholds } from "../alarms";
import type { StackSettings } from "../settings";

/** A change of the key that the safe-change guide evaluates on dev and prod and judges by the provider's rules. */
export interface KeyChange {
    /** What the row says was done, e.g. "1 → 2". */
    readonly label: (settings: StackSettings) => string;
    /** Overrides applied before (on top of the stack's own configuration); none = the stack as shipped. */
    readonly from?: (settings: StackSettings) => Record<string, string>;
    /** Overrides applied after. */
    readonly to: (settings: StackSettings) => Record<string, string>;
    /** What the provider's rules do not say and the reader needs (AWS behaviour, limits, links). */
    readonly note: string;
}

/** A change beyond the representative one; `row` is the key the guide files it under when not this one. */
export interface FurtherChange extends KeyChange {
    readonly row?: string;
}

/** Whether a local Redis Cluster can show a change of the key; otherwise why not (one line, after "cannot be rehearsed locally: "). */
export type Rehearsal = "shown" | { readonly refused: string };

export const refused = (reason: string): Rehearsal => ({ refused: reason });

/** The reason shared by keys that change only what a local cluster does not have. */
export const NOT_THE_CLUSTER = "changes nothing the cluster or the function's calls can show locally";

interface Common<T> {
    /** One line for Pulumi.yaml and README: what it is, what is allowed, what the default gives. */
    readonly description: string;
    /** The guide's representative change of this key. */
    readonly change: KeyChange;
    /** Further guide rows about this key (a stack in another state, a combination with another key). */
    readonly furtherChanges?: readonly FurtherChange[];
    readonly rehearsal: Rehearsal;
    /** A warning about a valid value on its own (what a later `pulumi up` cannot undo, an exposure). */
    warning?(value: T): string | undefined;
}

/** A whole number in a range; `unit` completes "allowed min–max <unit>" in the error message. */
export interface IntegerKey extends Common<number> {
    readonly kind: "integer";
    readonly default: number;
    readonly min: number;
    readonly max: number;
    readonly unit: string;
}

/**
 * A whole number in a range, or nothing: a default of "" (Pulumi.yaml then declares it a string, the only type whose
 * default can be empty) leaves the setting undefined, which `unsetMeans` completes in the error message.
 */
export interface OptionalIntegerKey extends Common<number | undefined> {
    readonly kind: "optionalInteger";
    readonly default: "";
    readonly min: number;
    readonly max: number;
    readonly unit: string;
    /** What leaving the key unset gives, e.g. "no reservation". */
    readonly unsetMeans: string;
}

/** An alarm threshold: an integer key gathered into `StackSettings.alarmThresholds` under `threshold`. */
export interface ThresholdKey extends IntegerKey {
    readonly threshold: keyof AlarmThresholds;
}

export interface BooleanKey extends Common<boolean> {
    readonly kind: "boolean";
    readonly default: boolean;
}

/**
 * One of a fixed list. A default of "" (so that the CLI's merge of project defaults still lets the program tell "not
 * set" from "set") needs `emptyMeans`, the value applied then.
 */
export type ChoiceKey<T extends string | number> = Common<T> & {
    readonly kind: "choice";
    readonly allowed: readonly T[];
} & (
        | { readonly default: NoInfer<T>; readonly emptyMeans?: undefined }
        | { readonly default: ""; readonly emptyMeans: NoInfer<T> }
    );

/**
 * Free text matching `pattern` (described by `allowedText` in the error message), or any text when the value is
 * checked by a rule in config/validate.ts. A default of "" means optional: the setting is undefined when empty.
 */
export interface TextKey<D extends string> extends Common<string> {
    readonly kind: "text";
    readonly default: D;
    readonly pattern?: RegExp;
    readonly allowedText?: string;
}

/** Read by a cross-key rule in config/validate.ts (its value depends on another key); "" derives it. */
export interface DerivedKey extends Common<string> {
    readonly kind: "derived";
    readonly default: "";
}

export type KeyDeclaration =
    IntegerKey | OptionalIntegerKey | BooleanKey | ChoiceKey<string> | ChoiceKey<number> | TextKey<string> | DerivedKey;

/**
 * The validated value a declaration gives. Told apart by `kind` (and the fields that carry the value's type) rather
 * than by whole declarations, because a declaration's guide callbacks take the settings this type builds.
 */
export type ValueOf<D> = D extends { readonly kind: "integer" }
    ? number
    : D extends { readonly kind: "optionalInteger" }
      ? number | undefined
      : D extends { readonly kind: "boolean" }
        ? boolean
        : D extends { readonly kind: "choice"; readonly allowed: readonly (infer T)[] }
          ? T
          : D extends { readonly kind: "text"; readonly default: infer Default }
            ? Default extends ""
                ? string | undefined
                : string
            : D extends { readonly kind: "derived" }
              ? string
              : never;

type Fields<D> = Omit<D, "kind">;

export const integer = (declaration: Fields<IntegerKey>): IntegerKey => ({ kind: "integer", ...declaration });
export const optionalInteger = (declaration: Fields<OptionalIntegerKey>): OptionalIntegerKey => ({
    kind: "optionalInteger",
    ...declaration,
});
export const threshold = (declaration: Fields<ThresholdKey>): ThresholdKey => ({ kind: "integer", ...declaration });
export const boolean = (declaration: Fields<BooleanKey>): BooleanKey => ({ kind: "boolean", ...declaration });
export const choice = <T extends string | number>(declaration: DistributiveFields<ChoiceKey<T>>): ChoiceKey<T> =>
    ({ kind: "choice", ...declaration }) as ChoiceKey<T>;
export const text = <D extends string>(declaration: Fields<TextKey<D>>): TextKey<D> => ({
    kind: "text",
    ...declaration,
});
export const derived = (declaration: Fields<DerivedKey>): DerivedKey => ({ kind: "derived", ...declaration });

type DistributiveFields<D> = D extends unknown ? Omit<D, "kind"> : never;

/** Pulumi.yaml's type of a key. */
export function yamlType(declaration: KeyDeclaration): "integer" | "boolean" | "string" {
    switch (declaration.kind) {
        case "integer":
            return "integer";
        case "boolean":
            return "boolean";
        case "choice":
            return typeof declaration.allowed[0] === "number" ? "integer" : "string";
        default:
            return "string";
    }
}
