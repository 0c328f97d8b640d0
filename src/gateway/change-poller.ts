// Polls the store's change feed and tells the gateway which topics changed (deployments, credentials).
import type { ChangeTopic, Store } from '../store/store.js';

/** Options of the poller. */
export interface ChangePollerOptions {
  store: Store;
  environment: string;
  /** Poll period (default 250 ms): a deploy from the CLI or another node is served within ~2 periods. */
  intervalMs?: number;
  onChange(topics: ReadonlySet<ChangeTopic>): Promise<void>;
  onError(err: unknown): void;
}

/** A running poller; `stop()` waits for the pass in progress. */
export interface ChangePoller {
  /** Polls once now (tests, the server after its own writes, a change-feed notification). */
  pollNow(): Promise<void>;
  stop(): Promise<void>;
  /** Whether the last poll reached the store. */
  readonly healthy: boolean;
}

/** Starts polling after `fromSeq` (the feed position read before the initial full load). */
export function startChangePoller(opts: ChangePollerOptions, fromSeq: number): ChangePoller {
  let seq = fromSeq;
  let healthy = true;
  let running: Promise<void> | null = null;
  let stopped = false;

  async function pass(): Promise<void> {
    try {
      for (;;) {
        const events = await opts.store.changes.since(seq, {
          environment: opts.environment,
          limit: 1000,
        });
        healthy = true;
        if (events.length === 0) return;
        // Advance only once the change is applied: a reload that failed (store briefly down) is
        // retried on the next poll instead of being lost until the next change.
        await opts.onChange(new Set(events.map((e) => e.topic)));
        seq = events[events.length - 1]!.seq;
        if (events.length < 1000) return;
      }
    } catch (err) {
      healthy = false;
      opts.onError(err);
    }
  }

  let queued: Promise<void> | null = null;
  /**
   * A call during a pass queues one more pass after it (calls meanwhile share it): the running pass
   * may have read the feed before the change that prompted the call was committed.
   */
  function pollNow(): Promise<void> {
    if (!running) {
      running = pass().finally(() => (running = null));
      return running;
    }
    queued ??= running.then(() => {
      queued = null;
      return pollNow();
    });
    return queued;
  }

  const timer = setInterval(() => {
    if (!stopped) void pollNow();
  }, opts.intervalMs ?? 250);
  timer.unref();

  return {
    pollNow,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await queued;
    },
    get healthy() {
      return healthy;
    },
  };
}
