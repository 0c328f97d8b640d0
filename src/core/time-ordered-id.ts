// Time-ordered UUIDs (RFC 9562 version 7) for keys that are inserted in B-tree indexes at high rate.
import { randomFillSync } from 'node:crypto';

/*
 * Execution keys and usage-event ids are the keys of store indexes written on every request. A random
 * (version 4) UUID lands on a random page of the index, so each batch dirties as many pages as it has
 * rows and the cost per row grows with the table (bench/gateway-monitoring.md: ~60 µs of SQLite CPU
 * per execution and log line at 100,000 rows, against ~17 µs with these). A version 7 UUID starts
 * with the Unix time in milliseconds, so new keys append to the right edge of the index. The other
 * 74 bits are random (from the CSPRNG): keys stay unguessable in practice and unique across nodes.
 * Within one millisecond, keys of one process are not ordered (the index is still appended to, in a
 * page or two).
 */

const POOL_IDS = 256;
const pool = Buffer.allocUnsafe(10 * POOL_IDS);
let offset = pool.length;
const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A new version 7 UUID, lower case, `xxxxxxxx-xxxx-7xxx-[89ab]xxx-xxxxxxxxxxxx`. */
export function uuidv7(now: number = Date.now()): string {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const r = offset;
  offset += 10;
  const ms = Math.max(0, Math.floor(now));
  // 48-bit big-endian millisecond timestamp: 12 hex digits.
  const t = ms.toString(16).padStart(12, '0').slice(-12);
  return (
    `${t.slice(0, 8)}-${t.slice(8, 12)}-` +
    `7${HEX[pool[r]! & 0x0f]![1]}${HEX[pool[r + 1]!]}-` +
    `${HEX[(pool[r + 2]! & 0x3f) | 0x80]}${HEX[pool[r + 3]!]}-` +
    `${HEX[pool[r + 4]!]}${HEX[pool[r + 5]!]}${HEX[pool[r + 6]!]}${HEX[pool[r + 7]!]}${HEX[pool[r + 8]!]}${HEX[pool[r + 9]!]}`
  );
}
