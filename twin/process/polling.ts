/** One look at the state being waited for: either done (with a value) or not yet, with what is still missing. */
export type Probe<T> = { done: true; value: T } | { done: false; detail: string };

/** Thrown by a probe when waiting longer cannot help (a process died): {@link waitUntil} rethrows it at once. */
export class WaitAborted extends Error {}

/**
 * Calls `probe` every `intervalMs` until it reports done, and throws after `timeoutMs` with the last detail, so a
 * wait never hangs and its failure says what state things were in. A probe that throws counts as "not yet",
 * unless it throws {@link WaitAborted}.
 */
export async function waitUntil<T>(
    what: string,
    timeoutMs: number,
    probe: () => Promise<Probe<T>>,
    intervalMs = 100,
): Promise<T> {
    const started = Date.now();
    let detail = "no answer yet";
    for (;;) {
        try {
            const result = await probe();
            if (result.done) return result.value;
            detail = result.detail;
        } catch (error) {
            if (error instanceof WaitAborted) throw error;
            detail = (error as Error).message;
        }
        if (Date.now() - started >= timeoutMs) {
            throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}: ${detail}`);
        }
        await sleep(intervalMs);
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects with `message` if `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(message)), ms);
        promise.then(
            (value) => {
                clearTimeout(timer);
                resolve(value);
            },
            (error: unknown) => {
                clearTimeout(timer);
                reject(error);
            },
        );
    });
}
