/**
 * The Redis Cluster hash slot of a key, for the log line. Computed here (CRC16/XMODEM of the key or of its `{hash
 * tag}`, modulo 16384, as the Redis Cluster specification defines) rather than required from ioredis's own
 * dependency, so the handler does not rely on where npm placed a transitive package in the archive.
 */

/** Number of hash slots in a Redis Cluster. */
export const HASH_SLOTS = 16384;

/** The hash slot Redis Cluster assigns to `key` (UTF-8 bytes, honouring a non-empty `{...}` hash tag). */
export function keyHashSlot(key: string): number {
    const bytes = Buffer.from(key, "utf8");
    const open = bytes.indexOf(0x7b); // "{"
    if (open !== -1) {
        const close = bytes.indexOf(0x7d, open + 1); // "}"
        // Only a non-empty tag counts: "{}" hashes the whole key.
        if (close > open + 1) {
            return crc16(bytes.subarray(open + 1, close)) % HASH_SLOTS;
        }
    }
    return crc16(bytes) % HASH_SLOTS;
}

/** CRC16/XMODEM (polynomial 0x1021, initial value 0), bit by bit: keys are at most 1 KiB, a table buys nothing. */
function crc16(bytes: Uint8Array): number {
    let crc = 0;
    for (const byte of bytes) {
        crc ^= byte << 8;
        for (let bit = 0; bit < 8; bit++) {
            crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
        }
    }
    return crc;
}
