// Parses the filters of `anomalies list` and `GET /admin/anomalies` into an AnomalyQuery (one set of rules for both).
import { PlatformError } from '../../errors/index.js';
import type { AnomalyQuery, AnomalyStatus } from '../../store/anomaly-records.js';
import { ANOMALY_RULES } from './anomaly-settings.js';

/** The textual filters (CLI flags or query parameters). */
export interface AnomalyFilterText {
  status?: string;
  rule?: string;
  consumer?: string;
  jti?: string;
  since?: string;
  until?: string;
  limit?: string;
  cursor?: string;
}

const STATUSES: readonly AnomalyStatus[] = ['open', 'acknowledged', 'resolved'];

function bad(option: string, reason: string): PlatformError {
  return new PlatformError('ERR_ANOMALY_QUERY', { option, reason });
}

/** An instant: ISO 8601, epoch digits (≤ 10 digits seconds, else ms), or a duration back from now (`15m`). */
export function parseWhen(option: string, text: string, now: number): number {
  const t = text.trim();
  const d = /^(\d+)([smhd])$/.exec(t);
  if (d)
    return now - Number(d[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[d[2] as 's'];
  if (/^\d+$/.test(t)) return t.length <= 10 ? Number(t) * 1000 : Number(t);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(t) ? Date.parse(t) : NaN;
  if (!Number.isFinite(ms))
    throw bad(option, `"${text}" is not ISO 8601, epoch time or a duration like 15m`);
  return ms;
}

/** Validates the filters; unknown statuses or rules are ERR_ANOMALY_QUERY. */
export function parseAnomalyFilters(f: AnomalyFilterText, now = Date.now()): AnomalyQuery {
  const q: AnomalyQuery = {};
  if (f.status !== undefined) {
    if (!(STATUSES as readonly string[]).includes(f.status))
      throw bad('status', `"${f.status}" is not ${STATUSES.join(', ')}`);
    q.status = f.status as AnomalyStatus;
  }
  if (f.rule !== undefined) {
    if (!(ANOMALY_RULES as readonly string[]).includes(f.rule))
      throw bad('rule', `"${f.rule}" is not one of ${ANOMALY_RULES.join(', ')}`);
    q.rule = f.rule;
  }
  if (f.consumer !== undefined) q.consumer = f.consumer;
  if (f.jti !== undefined) q.jti = f.jti;
  if (f.since !== undefined) q.since = parseWhen('since', f.since, now);
  if (f.until !== undefined) q.until = parseWhen('until', f.until, now);
  if (f.limit !== undefined) {
    const n = Number(f.limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw bad('limit', 'takes 1 to 1000');
    q.limit = n;
  }
  if (f.cursor !== undefined && f.cursor !== '') q.cursor = f.cursor;
  return q;
}
