/** Progress lines a person can follow: `[ 1.2s] cluster 3×2 TLS ready`, timed from the process start. */

/** Seconds since this process started, as `[ 1.2s]`, so the first line already shows the Node and ts-node start-up. */
export function timestamp(): string {
    return `[${process.uptime().toFixed(1).padStart(5)}s]`;
}

export function step(message: string): void {
    console.log(`${timestamp()} ${message}`);
}
