// Time-ordered UUIDs (RFC 9562 version 7) for keys that are inserted in B-tree indexes at high rate.
import { randomUUID } from 'node:crypto';

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

// The random part comes from randomUUID (a version 4 UUID from Node's buffered CSPRNG, about ten
// times cheaper than building the hex text here): its characters from the one after the version
// nibble on are `xxx-[89ab]xxx-xxxxxxxxxxxx`, 74 random bits with the RFC 9562 variant, which is
// exactly what follows `7` in a version 7 UUID. The time prefix is rebuilt only when the
// millisecond changes.
let prefixMs = -1;
let prefix = '';

/** A new version 7 UUID, lower case, `xxxxxxxx-xxxx-7xxx-[89ab]xxx-xxxxxxxxxxxx`. */
export function uuidv7(now: number = Date.now()): string {
  const ms = Math.max(0, Math.floor(now));
  if (ms !== prefixMs) {
    // 48-bit big-endian millisecond timestamp: 12 hex digits.
    const t = ms.toString(16).padStart(12, '0').slice(-12);
    prefix = `${t.slice(0, 8)}-${t.slice(8, 12)}-7`;
    prefixMs = ms;
  }
  return prefix + randomUUID().slice(15);
}
