/**
 * Handler processes standing in for Lambda containers. Lambda gives each call an execution environment of its own and
 * starts more when all are busy; a 2-core machine cannot run the fifty or so a failover would need at 50 calls/s
 * (a first attempt spent the whole machine on them and starved the very Redis failover being measured). So a fixed
 * set of containers is started and warmed before the load: a call goes to the most recently freed idle one (warm
 * reuse, as Lambda does), and only when none is idle does it share the container with the fewest calls in flight.
 * Shared calls are counted: when there are few, each call had a container to itself, as on Lambda.
 */
import type { ArchiveProcess } from "../archive/archiveProcess";
import { getEvent } from "../functionUrl/events";

export interface PoolSettings {
    /** Containers started (and called once) before the load begins. */
    readonly containers: number;
}

export interface Lease {
    readonly container: ArchiveProcess;
    /** Index of the container, in start order. */
    readonly index: number;
    /** Every container was busy: this call shares one with another call in flight. */
    readonly shared: boolean;
}

export class ContainerPool {
    private readonly all: ArchiveProcess[] = [];
    private readonly inFlight: number[] = [];
    /** Idle containers, most recently freed last. */
    private readonly idle: number[] = [];
    /** Calls that found every container busy. */
    sharedCalls = 0;
    /** Most calls in flight at once. */
    peakInFlight = 0;
    private current = 0;

    private constructor() {}

    /** Starts `containers` processes, each answering one call, a few at a time (each start is CPU-heavy). */
    static async create(start: () => Promise<ArchiveProcess>, settings: PoolSettings): Promise<ContainerPool> {
        const pool = new ContainerPool();
        try {
            for (let first = 0; first < settings.containers; first += 4) {
                const batch = Array.from({ length: Math.min(4, settings.containers - first) }, async (_, offset) => {
                    const container = await start();
                    pool.all.push(container);
                    const call = await container.invoke(getEvent(`warmup:${first + offset}`, "warm"));
                    if (call.result.statusCode !== 200)
                        throw new Error(
                            `a container's warm-up call answered ${call.result.statusCode} ${call.result.body}`,
                        );
                });
                await Promise.all(batch);
            }
        } catch (error) {
            await pool.stop();
            throw error;
        }
        pool.inFlight.push(...pool.all.map(() => 0));
        pool.idle.push(...pool.all.map((_, index) => index));
        return pool;
    }

    get size(): number {
        return this.all.length;
    }

    acquire(): Lease {
        let index = this.idle.pop();
        const shared = index === undefined;
        if (index === undefined) {
            this.sharedCalls++;
            index = this.inFlight.indexOf(Math.min(...this.inFlight));
        }
        this.inFlight[index]++;
        this.current++;
        this.peakInFlight = Math.max(this.peakInFlight, this.current);
        return { container: this.all[index], index, shared };
    }

    release(lease: Lease): void {
        this.current--;
        if (--this.inFlight[lease.index] === 0) this.idle.push(lease.index);
    }

    /** Unhandled errors and stderr output of every container: a healthy handler has none. */
    problems(): string[] {
        return this.all.flatMap((container, index) => [
            ...container.unhandled.map(
                (problem) => `container ${index}: ${problem.kind}: ${problem.name}: ${problem.message}`,
            ),
            ...(container.stderr ? [`container ${index} stderr: ${container.stderr.trim()}`] : []),
        ]);
    }

    async stop(): Promise<void> {
        await Promise.allSettled(this.all.map((container) => container.stop()));
    }
}
