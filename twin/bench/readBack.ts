/** Reads every key the load wrote back from the cluster, to find acknowledged writes that were lost. */
import type { LocalRedisCluster } from "../cluster/redisCluster";
import type { CallRecord } from "./steadyLoad";

export interface ReadBackFigures {
    /** Acknowledged writes read back. */
    readonly ackedChecked: number;
    /** Acknowledged writes whose key is missing or holds another value: the caller was told "done", Redis forgot. */
    readonly lostAcked: number;
    /** Up to 20 of them, for the record. */
    readonly lostAckedKeys: readonly string[];
    /** Failed calls whose write is stored all the same: a 503 does not mean "not written". */
    readonly failedButStored: number;
    readonly failedChecked: number;
}

const BATCH = 100;

/** Call once the cluster is healthy (or failed over) again; reads from each key's current primary. */
export async function readBack(cluster: LocalRedisCluster, records: readonly CallRecord[]): Promise<ReadBackFigures> {
    return cluster.withClusterClient(
        async (client) => {
            const stored = new Map<string, string | null>();
            for (let i = 0; i < records.length; i += BATCH) {
                const batch = records.slice(i, i + BATCH);
                const values = await Promise.all(batch.map((record) => client.get(record.key)));
                batch.forEach((record, index) => stored.set(record.key, values[index]));
            }
            const acked = records.filter((record) => record.acknowledged);
            const failed = records.filter((record) => !record.acknowledged);
            const lost = acked.filter((record) => stored.get(record.key) !== record.value);
            return {
                ackedChecked: acked.length,
                lostAcked: lost.length,
                lostAckedKeys: lost.slice(0, 20).map((record) => record.key),
                failedButStored: failed.filter((record) => stored.get(record.key) === record.value).length,
                failedChecked: failed.length,
            };
        },
        { enableOfflineQueue: true },
    );
}
