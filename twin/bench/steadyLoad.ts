/**
 * A steady stream of calls — `ratePerSecond` of them, each writing a key of its own — issued on schedule whether or
 * not earlier calls have answered (open loop: a slow Redis does not slow real traffic down either), each served by a
 * container of the pool. Every call is recorded with what it answered, so an
 * outage can be measured afterwards and every acknowledged write read back.
 */
import { performance } from "perf_hooks";
import type { ContainerPool } from "./containerPool";
import { getEvent } from "../functionUrl/events";
import hashSlot from "cluster-key-slot";
import { sleep } from "../process/polling";
import type { Invocation } from "../archive/archiveProcess";
import type { Lease } from "./containerPool";

/** One call and what came of it. Times are ms since the load started. */
export interface CallRecord {
    readonly seq: number;
    readonly key: string;
    readonly value: string;
    /** The shard serving the key's slot, or -1 when slots may move (see {@link SteadyLoadOptions.shardOfSlot}). */
    readonly shard: number;
    readonly issuedAt: number;
    readonly completedAt: number;
    /** Which container served it, and whether it had to share it with another call in flight (all were busy). */
    readonly container: number;
    readonly shared: boolean;
    /** HTTP status the handler answered; -1 when it gave no answer at all (process died, IPC timeout). */
    readonly status: number;
    /** The handler's own duration, measured inside its process, ms (NaN without an answer). */
    readonly ms: number;
    /** The handler's log line `outcome` (ok, unavailable, timeout, unreplicated…), or "no answer". */
    readonly outcome: string;
    /** The log line's `error_code` (CONNECTION_CLOSED, SOCKET_TIMEOUT, NOREPLICA…), when it failed. */
    readonly errorCode?: string;
    /** 200 with the value just written read back: the caller was told the write happened. */
    readonly acknowledged: boolean;
}

export interface SteadyLoadOptions {
    readonly ratePerSecond: number;
    /** Keys are `<prefix>:<seq>`; use one prefix per run so no two runs share a key. */
    readonly keyPrefix: string;
    /**
     * The shard that serves a hash slot, when slots never move between shards during the run; without it (a rehearsal
     * moves slots) every record's `shard` is -1.
     */
    readonly shardOfSlot?: (slot: number) => number;
    /** Stop issuing (and count the call as shed) while this many are unanswered: a bound, never reached when healthy. */
    readonly maxInFlight?: number;
}

export class SteadyLoad {
    private readonly records: CallRecord[] = [];
    private readonly inFlight = new Set<Promise<void>>();
    private readonly origin = performance.now();
    private stopped = false;
    private loop: Promise<void> | undefined;
    /** Calls not issued because `maxInFlight` were outstanding. */
    shed = 0;

    constructor(
        private readonly pool: Pick<ContainerPool, "acquire" | "release">,
        private readonly options: SteadyLoadOptions,
    ) {}

    /** Ms since the load was created: the clock every record uses. */
    now(): number {
        return performance.now() - this.origin;
    }

    start(): void {
        this.loop ??= this.run();
    }

    /** Stops issuing, waits for every call in flight, and returns all records in issue order. */
    async stop(): Promise<CallRecord[]> {
        this.stopped = true;
        await this.loop;
        await Promise.all(this.inFlight);
        return [...this.records].sort((a, b) => a.seq - b.seq);
    }

    private async run(): Promise<void> {
        const intervalMs = 1000 / this.options.ratePerSecond;
        const started = this.now();
        for (let seq = 0; !this.stopped; seq++) {
            const due = started + seq * intervalMs;
            const wait = due - this.now();
            if (wait > 0) await sleep(wait);
            if (this.stopped) break;
            if (this.inFlight.size >= (this.options.maxInFlight ?? 1000)) {
                this.shed++;
                continue;
            }
            const call = this.call(seq).finally(() => this.inFlight.delete(call));
            this.inFlight.add(call);
        }
    }

    private async call(seq: number): Promise<void> {
        const key = `${this.options.keyPrefix}:${seq}`;
        const value = `v${seq}-${Math.random().toString(36).slice(2, 10)}`;
        const slot = hashSlot(key);
        const issuedAt = this.now();
        const base = { seq, key, value, shard: this.options.shardOfSlot?.(slot) ?? -1, issuedAt };
        let lease: Lease | undefined;
        try {
            lease = this.pool.acquire();
            const dispatched = { container: lease.index, shared: lease.shared };
            let invocation: Invocation;
            try {
                invocation = await lease.container.invoke(getEvent(key, value));
            } finally {
                this.pool.release(lease);
            }
            const completedAt = this.now();
            const { statusCode, body } = invocation.result;
            // Calls overlap, so this invocation's window may hold other calls' lines too: its own has its slot and status.
            const line = invocation.logLines.find((entry) => entry.slot === slot && entry.status === statusCode);
            let readBack: unknown;
            try {
                readBack = (JSON.parse(body) as { value?: unknown }).value;
            } catch {
                readBack = undefined;
            }
            this.records.push({
                ...base,
                ...dispatched,
                completedAt,
                status: statusCode,
                ms: invocation.ms,
                outcome: typeof line?.outcome === "string" ? line.outcome : statusCode === 200 ? "ok" : "unknown",
                errorCode: typeof line?.error_code === "string" ? line.error_code : undefined,
                acknowledged: statusCode === 200 && readBack === value,
            });
        } catch (error) {
            this.records.push({
                ...base,
                container: lease?.index ?? -1,
                shared: lease?.shared ?? false,
                completedAt: this.now(),
                status: -1,
                ms: NaN,
                outcome: "no answer",
                errorCode: (error as Error).message.slice(0, 120),
                acknowledged: false,
            });
        }
    }
}
