/** Number of hash slots in a Redis Cluster. */
export const SLOT_COUNT = 16384;

const CRC16_TABLE = (() => {
    const table = new Uint16Array(256);
    for (let byte = 0; byte < 256; byte++) {
        let crc = byte << 8;
        for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
        table[byte] = crc;
    }
    return table;
})();

/**
 * The cluster hash slot of `key`: CRC16/XMODEM of the key (or of its non-empty `{hash tag}`) modulo 16384, as
 * specified by the Redis Cluster spec. Lets tests choose keys for a given shard without asking a server.
 */
export function hashSlot(key: string | Buffer): number {
    let bytes = typeof key === "string" ? Buffer.from(key, "utf8") : key;
    const open = bytes.indexOf(0x7b); // "{"
    if (open !== -1) {
        const close = bytes.indexOf(0x7d, open + 1); // "}"
        if (close > open + 1) bytes = bytes.subarray(open + 1, close);
    }
    let crc = 0;
    for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff];
    return crc % SLOT_COUNT;
}
