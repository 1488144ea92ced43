/**
 * The function's warm containers during a rehearsal. A function update (new environment: credentials, endpoint) is
 * what Lambda does on `UpdateFunctionConfiguration`: new calls go to new containers started with the new environment,
 * calls in flight finish on the old ones, which are then stopped. The load calls through this like a ContainerPool.
 */
import type { ArchiveProcess } from "../archive/archiveProcess";
import { ContainerPool, Lease } from "../bench/containerPool";

interface TaggedLease extends Lease {
    readonly pool: ContainerPool;
}

export class FunctionContainers {
    private current: ContainerPool;
    private readonly inFlight = new Map<ContainerPool, number>();
    private readonly drained = new Map<ContainerPool, () => void>();
    private readonly all: ContainerPool[] = [];

    private constructor(pool: ContainerPool) {
        this.current = pool;
        this.all.push(pool);
    }

    static async start(size: number, start: () => Promise<ArchiveProcess>): Promise<FunctionContainers> {
        return new FunctionContainers(await ContainerPool.create(start, { containers: size }));
    }

    get size(): number {
        return this.current.size;
    }

    /** Calls handed to a container so far. */
    issued = 0;

    acquire(): Lease {
        this.issued++;
        const pool = this.current;
        this.inFlight.set(pool, (this.inFlight.get(pool) ?? 0) + 1);
        return { ...pool.acquire(), pool } as TaggedLease;
    }

    release(lease: Lease): void {
        const { pool } = lease as TaggedLease;
        pool.release(lease);
        const left = (this.inFlight.get(pool) ?? 1) - 1;
        this.inFlight.set(pool, left);
        if (left === 0) this.drained.get(pool)?.();
    }

    /**
     * Starts as many containers with `start` (the new configuration), warms them, routes every new call to them, and
     * stops the old ones once their calls in flight have answered. Resolves when the old ones are stopped.
     */
    async update(start: () => Promise<ArchiveProcess>): Promise<void> {
        const fresh = await ContainerPool.create(start, { containers: this.current.size });
        this.all.push(fresh);
        const old = this.current;
        this.current = fresh;
        if ((this.inFlight.get(old) ?? 0) > 0) await new Promise<void>((resolve) => this.drained.set(old, resolve));
        await old.stop();
    }

    /** Unhandled errors and stderr of every container ever started. */
    problems(): string[] {
        return this.all.flatMap((pool) => pool.problems());
    }

    /** Stops every container ever started (idempotent: a stopped process is left alone). */
    async stop(): Promise<void> {
        await Promise.allSettled(this.all.map((pool) => pool.stop()));
    }
}
