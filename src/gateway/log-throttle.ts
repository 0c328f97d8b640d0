// Rate-limits repeated log lines: the first occurrence at once, then one line per interval with the count.

/**
 * During an outage the same failure repeats many times a second (the usage recorder's flush, the
 * change-feed poll). Per key, `hit` emits the first occurrence, suppresses the next ones, and emits
 * again once `intervalMs` has passed since the last line, with `repeated` = how many were suppressed
 * in between. A key quiet for a whole interval starts over (its next occurrence is logged at once).
 */
export class LogThrottle {
  readonly #entries = new Map<string, { since: number; suppressed: number }>();

  constructor(
    private readonly intervalMs = 10_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Calls `emit(repeated)` when this occurrence of `key` is to be logged; counts it otherwise. */
  hit(key: string, emit: (repeated: number) => void): void {
    const t = this.now();
    const e = this.#entries.get(key);
    if (e && t - e.since < this.intervalMs) {
      e.suppressed++;
      return;
    }
    const repeated = e?.suppressed ?? 0;
    if (this.#entries.size >= 1000 && !e) this.#entries.clear();
    this.#entries.set(key, { since: t, suppressed: 0 });
    emit(repeated);
  }
}
