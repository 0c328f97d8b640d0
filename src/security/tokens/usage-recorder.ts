// Batches token usage events into the store off the request path; close() flushes everything.
import type { NewTokenUsageEvent } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { UsageRecorder, UsageRecorderOptions } from './token-service.js';

/** A UsageRecorder with counters for tests and metrics. */
export interface UsageRecorderWithStats extends UsageRecorder {
  /** Events dropped because the queue bound was reached while the store was failing. */
  readonly dropped: number;
  /** Events waiting to be written. */
  readonly pending: number;
}

/*
 * Batches are moderate (250 events) and the loop yields to the event loop between them: the SQLite
 * driver is synchronous, and one 600-row insert measured 20–80 ms on the benchmark machine — a pause
 * every request in flight would feel (bench/gateway-jwt.md).
 *
 * Policy: record() appends to an in-memory queue and schedules a flush with setImmediate when the
 * batch is full, otherwise with the interval timer. A failed insert puts the batch back at the head
 * of the queue and is retried on the next tick of the timer. Only when the store keeps failing and
 * the queue reaches `maxQueue` are the oldest events dropped, and counted in `dropped`. close()
 * flushes until the queue is empty (or the store fails, which it reports by rejecting).
 */
export function createUsageRecorder(
  store: Store,
  environment: string,
  opts: UsageRecorderOptions = {},
): UsageRecorderWithStats {
  const interval = opts.flushIntervalMs ?? 200;
  const batchSize = opts.batchSize ?? 250;
  const maxQueue = opts.maxQueue ?? 100_000;
  const onError = opts.onError ?? (() => undefined);
  let queue: NewTokenUsageEvent[] = [];
  let dropped = 0;
  let closed = false;
  let running: Promise<void> | null = null;
  let immediate: NodeJS.Immediate | null = null;
  const timer = setInterval(() => void flushSafely(), interval);
  timer.unref();

  async function writeAll(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue.slice(0, batchSize);
      queue = queue.slice(batch.length);
      try {
        await store.usage.insertBatch(environment, batch);
      } catch (err) {
        queue = batch.concat(queue);
        throw err;
      }
      // The SQLite driver writes synchronously: let requests run between batches (bounds the pause).
      if (queue.length > 0) await new Promise<void>((r) => setImmediate(r));
    }
  }

  function flush(): Promise<void> {
    if (running) return running.then(() => (queue.length > 0 ? flush() : undefined));
    running = writeAll().finally(() => {
      running = null;
    });
    return running;
  }

  function flushSafely(): Promise<void> {
    if (queue.length === 0 || running) return Promise.resolve();
    return flush().catch(onError);
  }

  return {
    get dropped() {
      return dropped;
    },
    get pending() {
      return queue.length;
    },
    record(e) {
      queue.push(e);
      if (queue.length > maxQueue) {
        const excess = queue.length - maxQueue;
        queue.splice(0, excess);
        dropped += excess;
      }
      if (closed) {
        void flushSafely();
      } else if (queue.length >= batchSize && !immediate) {
        immediate = setImmediate(() => {
          immediate = null;
          void flushSafely();
        });
      }
    },
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      if (immediate) clearImmediate(immediate);
      immediate = null;
      await flush();
    },
  };
}
