// Periods the console offers (15 min … 30 days) and the time-bucket maths of its charts.

export const PERIODS = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;
export type Period = (typeof PERIODS)[number];

export const PERIOD_LABELS: Record<Period, string> = {
  '15m': 'Last 15 minutes',
  '1h': 'Last hour',
  '6h': 'Last 6 hours',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
};

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function isPeriod(v: unknown): v is Period {
  return typeof v === 'string' && (PERIODS as readonly string[]).includes(v);
}

/** Length of a period (or of any `30s`/`15m`/`2h`/`7d` duration) in ms; null when not one. */
export function durationMs(text: string): number | null {
  const m = /^(\d+)([smhd])$/.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : null;
}

/** The ISO start of `period` back from `now`. */
export function sinceIso(period: Period, now: number = Date.now()): string {
  return new Date(now - durationMs(period)!).toISOString();
}

/** Bucket width giving about 60-120 points over the period (what the server is asked for). */
export function bucketSecondsFor(period: Period): number {
  switch (period) {
    case '15m':
      return 15;
    case '1h':
      return 60;
    case '6h':
      return 300;
    case '24h':
      return 900;
    case '7d':
      return 7200;
    case '30d':
      return 21600;
  }
}

/** Start of the bucket holding `tSec` (epoch seconds). */
export function bucketStart(tSec: number, bucketSeconds: number): number {
  return Math.floor(tSec / bucketSeconds) * bucketSeconds;
}

/**
 * A series with one point per bucket from `fromSec` to `toSec` (epoch seconds, bucket starts): the
 * server returns only buckets that had traffic; missing ones get `fill` (0 for counts, null for
 * latencies, so the chart shows a gap rather than a fake zero).
 */
export function fillBuckets<T extends { t: number }>(
  rows: readonly T[],
  bucketSeconds: number,
  fromSec: number,
  toSec: number,
  fill: (t: number) => T,
): T[] {
  if (bucketSeconds <= 0 || toSec < fromSec) return [...rows];
  const byT = new Map<number, T>();
  for (const r of rows)
    byT.set(bucketStart(toSeconds(r.t), bucketSeconds), {
      ...r,
      t: bucketStart(toSeconds(r.t), bucketSeconds),
    });
  const out: T[] = [];
  const first = bucketStart(fromSec, bucketSeconds);
  const last = bucketStart(toSec, bucketSeconds);
  // Bound the number of points whatever the inputs.
  if ((last - first) / bucketSeconds > 5000) return [...byT.values()].sort((a, b) => a.t - b.t);
  for (let t = first; t <= last; t += bucketSeconds) out.push(byT.get(t) ?? fill(t));
  return out;
}

/** Bucket times may come as epoch seconds, epoch ms or ISO strings; the charts use seconds. */
export function toSeconds(t: number | string): number {
  if (typeof t === 'string') {
    const n = Number(t);
    return Number.isFinite(n) ? toSeconds(n) : Math.floor(Date.parse(t) / 1000);
  }
  return t > 1e11 ? Math.floor(t / 1000) : t;
}

/** Column arrays for a chart: x (seconds) then one array per field. */
export function columns<T extends { t: number }>(
  rows: readonly T[],
  fields: readonly (keyof T)[],
): [number[], ...(number | null)[][]] {
  const xs = rows.map((r) => r.t);
  const ys = fields.map((f) =>
    rows.map((r) => {
      const v = r[f];
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    }),
  );
  return [xs, ...ys];
}
