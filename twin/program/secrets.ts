/** Pulumi's wire marker for a secret value, as mocks receive secret inputs. */
const SECRET_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Whether an input value reached the engine as a secret, and its plain value. */
export function unwrapSecret(value: unknown): { secret: boolean; value: any } {
    if (value !== null && typeof value === "object" && (value as Record<string, unknown>)[SECRET_KEY] === SECRET_SIG) {
        return { secret: true, value: (value as { value: unknown }).value };
    }
    return { secret: false, value };
}
