// Batches token usage events into the store off the request path; close() flushes everything.
import { RefusalAggregator, isRefusal } from '../../monitoring/refusal-aggregator.js';
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
 *
 * Refused requests are not queued one by one: they are aggregated per subject and reason per window
 * (monitoring/refusal-aggregator.ts) and queued when their window ends, or on flush()/close().
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
  const refusals = new RefusalAggregator({ windowMs: opts.refusalWindowMs });
  let queue: NewTokenUsageEvent[] = [];
  let dropped = 0;
  let closed = false;
  let running: Promise<void> | null = null;
  let immediate: NodeJS.Immediate | null = null;
  const timer = setInterval(() => {
    enqueue(refusals.drain(Date.now()));
    void flushSafely();
  }, interval);
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

  function enqueue(events: NewTokenUsageEvent[]): void {
    for (const e of events) queue.push(e);
    if (queue.length > maxQueue) {
      const excess = queue.length - maxQueue;
      queue.splice(0, excess);
      dropped += excess;
    }
  }

  function flush(): Promise<void> {
    enqueue(refusals.drain(Date.now(), true));
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
      if (isRefusal(e) && !closed) {
        refusals.add(e);
        return;
      }
      enqueue([e]);
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
