/** Types of `cluster-key-slot` (ioredis's own dependency, declared in package.json), which ships none. */
declare module "cluster-key-slot" {
    /** The Redis Cluster hash slot of a key: CRC16 of the key, or of its non-empty `{hash tag}`, modulo 16384. */
    function calculateSlot(key: string | Buffer): number;
    export = calculateSlot;
}
