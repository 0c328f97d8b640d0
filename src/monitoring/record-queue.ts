// A bounded in-memory queue that writes records to the store in batches, off the request path.
/*
 * The usage recorder's design (src/security/tokens/usage-recorder.ts): push() only appends, so a
 * request never waits for the store; a timer (or a full batch, via setImmediate) writes batches in
 * the background, yielding to the event loop between them. A failed write puts the batch back at
 * the head and is retried on the next tick. The queue is bounded by count and by bytes: beyond
 * either bound the OLDEST records are dropped and counted (a store outage or an overload costs
 * monitoring records, never requests or memory). close() writes everything that is left.
 */

/** Options of a RecordQueue. */
export interface RecordQueueOptions<T> {
  /** Writes one batch (one transaction). */
  write(batch: T[]): Promise<void>;
  /** Approximate size of a record in bytes (for the byte bound). */
  sizeOf?(record: T): number;
  flushIntervalMs?: number;
  batchSize?: number;
  /** Most records held (default 20,000). */
  maxRecords?: number;
  /** Most bytes held according to sizeOf (default 32 MiB). */
  maxBytes?: number;
  /** Called with how many records were just dropped, and those records. */
  onDrop?(count: number, records: readonly T[]): void;
  /** Called when a write fails (the batch is kept and retried). */
  onError?(err: unknown): void;
}

/** The queue; `dropped` counts records lost to the bounds since start. */
export class RecordQueue<T> {
  #items: T[] = [];
  #sizes: number[] = [];
  #head = 0;
  #bytes = 0;
  #dropped = 0;
  #running: Promise<void> | null = null;
  #immediate: NodeJS.Immediate | null = null;
  #closed = false;
  readonly #timer: NodeJS.Timeout;
  readonly #o: Required<Omit<RecordQueueOptions<T>, 'onDrop' | 'onError'>> &
    Pick<RecordQueueOptions<T>, 'onDrop' | 'onError'>;

  constructor(options: RecordQueueOptions<T>) {
    this.#o = {
      sizeOf: () => 256,
      flushIntervalMs: 200,
      batchSize: 250,
      maxRecords: 20_000,
      maxBytes: 32 * 1024 * 1024,
      ...options,
    };
    this.#timer = setInterval(() => void this.#flushSafely(), this.#o.flushIntervalMs);
    this.#timer.unref();
  }

  get dropped(): number {
    return this.#dropped;
  }

  get pending(): number {
    return this.#items.length - this.#head;
  }

  /** Appends a record; never blocks and never throws. */
  push(record: T): void {
    const size = this.#o.sizeOf(record);
    this.#items.push(record);
    this.#sizes.push(size);
    this.#bytes += size;
    let dropped = 0;
    const from = this.#head;
    while (
      this.pending > this.#o.maxRecords ||
      (this.#bytes > this.#o.maxBytes && this.pending > 1)
    ) {
      this.#bytes -= this.#sizes[this.#head]!;
      this.#head++;
      dropped++;
    }
    if (dropped > 0) {
      this.#dropped += dropped;
      const gone = this.#o.onDrop ? this.#items.slice(from, this.#head) : [];
      this.#compact();
      this.#o.onDrop?.(dropped, gone);
    }
    if (this.#closed) void this.#flushSafely();
    else if (this.pending >= this.#o.batchSize && !this.#immediate) {
      this.#immediate = setImmediate(() => {
        this.#immediate = null;
        void this.#flushSafely();
      });
    }
  }

  /** Drops consumed slots once they are the larger part of the arrays (amortised O(1)). */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#sizes = this.#sizes.slice(this.#head);
      this.#head = 0;
    }
  }

  async #writeAll(): Promise<void> {
    while (this.pending > 0) {
      const end = Math.min(this.#items.length, this.#head + this.#o.batchSize);
      const batch = this.#items.slice(this.#head, end);
      const bytes = this.#sizes.slice(this.#head, end).reduce((a, b) => a + b, 0);
      // Taken out before the write: records pushed meanwhile may push the bound without touching these.
      this.#items = this.#items.slice(end);
      this.#sizes = this.#sizes.slice(end);
      this.#head = 0;
      this.#bytes -= bytes;
      try {
        await this.#o.write(batch);
      } catch (err) {
        this.#items = batch.concat(this.#items);
        this.#sizes = batch.map((r) => this.#o.sizeOf(r)).concat(this.#sizes);
        this.#bytes += bytes;
        throw err;
      }
      if (this.pending > 0) await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Writes everything queued now; rejects when the store fails (the records stay queued). */
  flush(): Promise<void> {
    if (this.#running)
      return this.#running.then(() => (this.pending > 0 ? this.flush() : undefined));
    this.#running = this.#writeAll().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  #flushSafely(): Promise<void> {
    if (this.pending === 0 || this.#running) return Promise.resolve();
    return this.flush().catch((err: unknown) => this.#o.onError?.(err));
  }

  /** Stops the timer and writes what is left (SIGTERM path). */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    if (this.#immediate) clearImmediate(this.#immediate);
    this.#immediate = null;
    await this.flush();
  }
}
