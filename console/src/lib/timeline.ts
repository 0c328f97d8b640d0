// Timeline of token usage events: allowed and denied counts per bucket of the chosen period.
import { bucketSecondsFor, bucketStart, durationMs, fillBuckets, toSeconds } from './period.js';
import type { Period } from './period.js';

export interface TimelinePoint {
  t: number;
  allowed: number;
  denied: number;
}

/**
 * Buckets `events` (time as ISO or epoch ms; `count` for aggregated refusals) over `period` ending
 * at `now` (ms). Events outside the period are left out.
 */
export function usageTimeline(
  events: readonly { time: string | number; outcome: string; count?: number }[],
  period: Period,
  now: number,
): TimelinePoint[] {
  const size = bucketSecondsFor(period);
  const to = Math.floor(now / 1000);
  const from = to - durationMs(period)! / 1000;
  const byT = new Map<number, TimelinePoint>();
  for (const e of events) {
    const s = toSeconds(typeof e.time === 'number' ? e.time : Date.parse(e.time));
    if (!Number.isFinite(s) || s < from || s > to) continue;
    const t = bucketStart(s, size);
    const p = byT.get(t) ?? { t, allowed: 0, denied: 0 };
    const n = e.count && e.count > 0 ? e.count : 1;
    if (e.outcome === 'allowed') p.allowed += n;
    else p.denied += n;
    byT.set(t, p);
  }
  return fillBuckets([...byT.values()], size, from, to, (t) => ({ t, allowed: 0, denied: 0 }));
}
