// Folds refused-request usage events into one row per subject and reason per time window, with a count.
import type { NewTokenUsageEvent } from '../store/records.js';

/*
 * Issue 10 item 5: every refused request used to write a usage row, so an attacker could grow the
 * store at the rate they send requests. Refused events (kind `auth`, outcome `denied`) are now
 * aggregated per fixed window (default 60 s) by subject — pipeline, route, reason, status, client IP,
 * and the consumer / credential kind / jti when the credential was genuine — into one row with
 * `count` and `lastTime`. An unknown credential id (a guessed username) is not part of the subject:
 * the attacker chooses it. At most `maxSubjects` subjects per window are kept apart; beyond that,
 * refusals fold into one overflow row per reason (client IP null), so a window writes at most
 * maxSubjects + (number of reasons) rows whatever the traffic. Allowed events and issuances are
 * recorded one by one as before.
 */

/** Options of the aggregator. */
export interface RefusalAggregatorOptions {
  /** Window length in ms (default 60,000). */
  windowMs?: number;
  /** Distinct subjects kept per window before the overflow row (default 1,000). */
  maxSubjects?: number;
}

interface Bucket {
  row: NewTokenUsageEvent & { count: number };
}

/** True for events the aggregator folds (refusals of gateway requests). */
export function isRefusal(e: NewTokenUsageEvent): boolean {
  return e.kind === 'auth' && e.outcome === 'denied';
}

/** In-memory windows of refusals; `drain()` hands back finished rows. */
export class RefusalAggregator {
  readonly #windowMs: number;
  readonly #maxSubjects: number;
  /** windowStart → subject key → bucket. */
  readonly #windows = new Map<number, Map<string, Bucket>>();

  constructor(options: RefusalAggregatorOptions = {}) {
    this.#windowMs = options.windowMs ?? 60_000;
    this.#maxSubjects = options.maxSubjects ?? 1_000;
  }

  /** Buckets held now (tests). */
  get size(): number {
    let n = 0;
    for (const w of this.#windows.values()) n += w.size;
    return n;
  }

  add(e: NewTokenUsageEvent): void {
    const start = Math.floor(e.time / this.#windowMs) * this.#windowMs;
    let window = this.#windows.get(start);
    if (!window) this.#windows.set(start, (window = new Map()));
    const genuine = e.consumer !== undefined && e.consumer !== null;
    let key = [
      e.reason ?? '',
      e.pipeline ?? '',
      e.route ?? '',
      e.status ?? '',
      e.clientIp ?? '',
      e.consumer ?? '',
      e.credentialKind ?? '',
      genuine ? (e.credentialId ?? '') : '',
      e.jti ?? '',
    ].join('\u0000');
    let overflow = false;
    if (!window.has(key) && window.size >= this.#maxSubjects) {
      key = `overflow\u0000${e.reason ?? ''}`;
      overflow = true;
    }
    const bucket = window.get(key);
    if (bucket) {
      bucket.row.count += 1;
      bucket.row.lastTime = Math.max(bucket.row.lastTime ?? e.time, e.time);
      return;
    }
    const row: NewTokenUsageEvent & { count: number } = overflow
      ? {
          time: e.time,
          kind: e.kind,
          outcome: e.outcome,
          reason: e.reason ?? null,
          count: 1,
          lastTime: e.time,
        }
      : {
          ...e,
          credentialId: genuine ? (e.credentialId ?? null) : null,
          count: 1,
          lastTime: e.time,
        };
    window.set(key, { row });
  }

  /** Rows of windows that ended before `now` (all windows with `all`), oldest first. */
  drain(now: number, all = false): NewTokenUsageEvent[] {
    const out: NewTokenUsageEvent[] = [];
    for (const [start, window] of [...this.#windows].sort((a, b) => a[0] - b[0])) {
      if (!all && start + this.#windowMs > now) continue;
      for (const b of window.values()) out.push(b.row);
      this.#windows.delete(start);
    }
    return out;
  }
}
