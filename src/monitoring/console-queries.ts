// The console's data: overview, per-pipeline metrics and token summary from the store's SQL aggregations.
import { PlatformError } from '../errors/index.js';
import { DURATION_BOUNDS_MS } from '../store/console-records.js';
import type { ExecutionBucket, TokenUsageTotals } from '../store/console-records.js';
import type { Store } from '../store/store.js';

/** The periods the console offers, with the bucket width that gives 30-120 points per chart. */
export const PERIODS = {
  '15m': { ms: 15 * 60_000, bucketMs: 30_000 },
  '1h': { ms: 3_600_000, bucketMs: 60_000 },
  '6h': { ms: 6 * 3_600_000, bucketMs: 5 * 60_000 },
  '24h': { ms: 24 * 3_600_000, bucketMs: 15 * 60_000 },
  '7d': { ms: 7 * 86_400_000, bucketMs: 2 * 3_600_000 },
  '30d': { ms: 30 * 86_400_000, bucketMs: 6 * 3_600_000 },
} as const;

export type PeriodName = keyof typeof PERIODS;

/** A period window: [from, to) with from aligned to the bucket width so buckets stay put between refreshes. */
export interface Window {
  period: PeriodName;
  from: number;
  to: number;
  bucketMs: number;
}

/** Parses `?period=` (default 24h) into a window ending at `now`. */
export function periodWindow(text: string | undefined, now: number, fallback: PeriodName = '24h'): Window {
  const period = (text === undefined || text === '' ? fallback : text) as PeriodName;
  const p = PERIODS[period] as (typeof PERIODS)[PeriodName] | undefined;
  if (!Object.hasOwn(PERIODS, period) || !p)
    throw new PlatformError('ERR_CONSOLE_REQUEST', {
      option: 'period',
      reason: `expected one of ${Object.keys(PERIODS).join(', ')}`,
    });
  const from = Math.floor((now - p.ms) / p.bucketMs) * p.bucketMs;
  return { period, from, to: now + 1, bucketMs: p.bucketMs };
}

/**
 * The `q` quantile (0-1) of a bucket's durations from its histogram: the class holding that rank,
 * interpolated linearly inside it (as Prometheus' histogram_quantile does), capped by the largest
 * duration seen. Null for an empty bucket. Exact to the class: 1-2-5 bounds from 1 ms to 60 s.
 */
export function quantileMs(b: Pick<ExecutionBucket, 'histogram' | 'total' | 'maxMs'>, q: number): number | null {
  if (b.total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * b.total));
  let below = 0;
  for (let i = 0; i < b.histogram.length; i++) {
    const n = b.histogram[i]!;
    if (n > 0 && below + n >= rank) {
      const lower = i === 0 ? 0 : DURATION_BOUNDS_MS[i - 1]!;
      const upper = i < DURATION_BOUNDS_MS.length ? DURATION_BOUNDS_MS[i]! : b.maxMs;
      const value = lower + ((Math.min(upper, b.maxMs) - lower) * (rank - below)) / n;
      return round(Math.min(Math.max(value, lower), b.maxMs));
    }
    below += n;
  }
  return round(b.maxMs);
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** Every bucket of the window, oldest first, empty ones included (charts need the gaps). */
function fill(w: Window, buckets: ExecutionBucket[]): (ExecutionBucket | { t: number; total: 0 })[] {
  const byT = new Map(buckets.map((b) => [b.t, b]));
  const out: (ExecutionBucket | { t: number; total: 0 })[] = [];
  for (let t = w.from; t < w.to; t += w.bucketMs) out.push(byT.get(t) ?? { t, total: 0 });
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** Start of the UTC day of `now`. */
function dayStart(now: number): number {
  return now - (now % 86_400_000);
}

/** GET /admin/overview. */
export async function overview(store: Store, env: string, w: Window, now: number) {
  const [counters, top, buckets] = await Promise.all([
    store.consoleStats.counters(env, dayStart(now)),
    store.consoleStats.topPipelines(env, w.from, w.to, 10),
    store.consoleStats.executionSeries(env, { from: w.from, to: w.to, bucketMs: w.bucketMs }),
  ]);
  return {
    period: w.period,
    from: iso(w.from),
    to: iso(w.to),
    counters,
    topPipelines: top.map((p) => ({
      pipeline: p.pipeline,
      version: `${p.versionMajor}.${p.versionMinor}`,
      total: p.total,
      failed: p.failed,
      avgMs: round(p.avgMs),
    })),
    bucketSeconds: w.bucketMs / 1000,
    series: fill(w, buckets).map((b) =>
      b.total === 0
        ? { t: iso(b.t), success: 0, failed: 0, avgMs: null, p95Ms: null }
        : {
            t: iso(b.t),
            success: b.total - (b as ExecutionBucket).failed,
            failed: (b as ExecutionBucket).failed,
            avgMs: round((b as ExecutionBucket).sumMs / b.total),
            p95Ms: quantileMs(b as ExecutionBucket, 0.95),
          },
    ),
  };
}

/** GET /admin/pipelines/{name}/metrics (inFlight comes from the process's gauge). */
export async function pipelineMetrics(store: Store, env: string, pipeline: string, w: Window, inFlight: number) {
  const buckets = await store.consoleStats.executionSeries(env, {
    from: w.from,
    to: w.to,
    bucketMs: w.bucketMs,
    pipeline,
  });
  const seconds = w.bucketMs / 1000;
  return {
    pipeline,
    period: w.period,
    from: iso(w.from),
    to: iso(w.to),
    bucketSeconds: seconds,
    inFlight,
    series: fill(w, buckets).map((x) => {
      if (x.total === 0)
        return {
          t: iso(x.t),
          requests: 0,
          rps: 0,
          p50Ms: null,
          p95Ms: null,
          p99Ms: null,
          errorRate: null,
          avgRequestBytes: null,
          avgResponseBytes: null,
        };
      const b = x as ExecutionBucket;
      return {
        t: iso(b.t),
        requests: b.total,
        rps: Math.round((b.total / seconds) * 1000) / 1000,
        p50Ms: quantileMs(b, 0.5),
        p95Ms: quantileMs(b, 0.95),
        p99Ms: quantileMs(b, 0.99),
        errorRate: Math.round((b.failed / b.total) * 10_000) / 10_000,
        avgRequestBytes: Math.round(b.requestBytes / b.total),
        avgResponseBytes: Math.round(b.responseBytes / b.total),
      };
    }),
  };
}

function usageJson(t: TokenUsageTotals) {
  return {
    consumer: t.consumer,
    ...(t.jti !== null ? { jti: t.jti } : {}),
    total: t.total,
    outcomes: t.outcomes,
    kinds: t.kinds,
    clientIps: t.clientIps,
    firstSeen: iso(t.firstSeen),
    lastSeen: iso(t.lastSeen),
  };
}

/** GET /admin/tokens/summary. */
export async function tokenSummary(store: Store, env: string, w: Window, consumer: string | undefined) {
  const s = await store.consoleStats.tokenSummary(env, { from: w.from, to: w.to, consumer });
  return {
    period: w.period,
    from: iso(w.from),
    to: iso(w.to),
    consumers: s.consumers.map(usageJson),
    tokens: s.tokens.map(usageJson),
  };
}
