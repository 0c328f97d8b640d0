// Retention: purges executions, logs and token usage events older than the environment's period, on a timer.
import type { Store } from '../store/store.js';
import type { GatewayMetrics } from './metrics.js';

const DAY_MS = 86_400_000;

/** The reference platform's periods: 10 days in prod, 3 days in test (and any other environment). */
export function defaultRetentionDays(environment: string): number {
  return environment === 'prod' || environment === 'production' ? 10 : 3;
}

/** A purge of one kind of record: deletes at most `limit` rows older than `before`, returns how many. */
export type Purge = (before: number, limit: number) => Promise<number>;

/** Options of the retention task. */
export interface RetentionOptions {
  store: Store;
  environment: string;
  /** Days kept (default defaultRetentionDays(environment)). */
  days?: number;
  /** Time between purges (default 10 minutes; the first runs one interval after start). */
  intervalMs?: number;
  /** Rows per DELETE statement (default 5,000): short write locks, the event loop yields between. */
  batch?: number;
  metrics?: GatewayMetrics;
  onError?(err: unknown): void;
  now?(): number;
}

/*
 * Every node runs the task on its own store connection; on a shared PostgreSQL several nodes purging
 * the same rows is harmless (DELETE of rows already gone deletes nothing). Deletes go in chunks so
 * that a first purge of millions of rows never holds SQLite's writer lock (or blocks the event loop
 * of the synchronous driver) for long.
 */
export class RetentionTask {
  readonly days: number;
  readonly #o: RetentionOptions;
  readonly #purges = new Map<string, Purge>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<Record<string, number>> | null = null;
  #stopped = false;

  constructor(options: RetentionOptions) {
    this.#o = options;
    this.days = options.days ?? defaultRetentionDays(options.environment);
    if (!(this.days > 0)) throw new RangeError('retention days must be positive');
    const { store, environment: env } = options;
    this.addPurge('executions', (before, limit) => store.executions.purge(env, before, { limit }));
    this.addPurge('logs', (before, limit) => store.logs.purge(env, before, { limit }));
    this.addPurge('usage', (before, limit) => store.usage.purge(env, before, { limit }));
  }

  /** Adds a kind of record to purge with the same period (e.g. the anomaly detector's table). */
  addPurge(name: string, purge: Purge): void {
    this.#purges.set(name, purge);
  }

  /** Starts the timer. */
  start(): this {
    const interval = this.#o.intervalMs ?? 10 * 60_000;
    this.#timer = setInterval(() => void this.runOnce().catch(() => undefined), interval);
    this.#timer.unref();
    return this;
  }

  /** Purges everything older than the period now; resolves to the rows deleted per kind. */
  runOnce(): Promise<Record<string, number>> {
    this.#running ??= this.#purgeAll().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #purgeAll(): Promise<Record<string, number>> {
    const before = (this.#o.now ?? Date.now)() - this.days * DAY_MS;
    const limit = this.#o.batch ?? 5_000;
    const deleted: Record<string, number> = {};
    for (const [name, purge] of this.#purges) {
      deleted[name] = 0;
      try {
        for (;;) {
          if (this.#stopped) return deleted;
          const n = await purge(before, limit);
          deleted[name] += n;
          if (n < limit) break;
          await new Promise<void>((r) => setImmediate(r));
        }
      } catch (err) {
        this.#o.metrics?.storeErrors.inc({ operation: `purge_${name}` });
        this.#o.onError?.(err);
      }
    }
    return deleted;
  }

  /** Stops the timer and waits for a purge under way to stop at its next chunk. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#running?.catch(() => undefined);
  }
}
