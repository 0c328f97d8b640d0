// Filters of the console's lists <-> URL query strings (the page address) <-> admin API query strings.
import { isPeriod, sinceIso } from './period.js';
import type { Period } from './period.js';

export type Filters = Record<string, string>;

/** `?a=1&b=x` from the non-empty values (trimmed), keys in the given order; '' when none. */
export function toQuery(
  values: Record<string, string | number | boolean | null | undefined>,
): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined) continue;
    const s = String(v).trim();
    if (s !== '') p.set(k, s);
  }
  const q = p.toString();
  return q === '' ? '' : `?${q}`;
}

/** The known filter keys of `search` (a page address query), unknown keys dropped. */
export function readFilters(search: string, keys: readonly string[]): Filters {
  const p = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  const out: Filters = {};
  for (const k of keys) {
    const v = p.get(k);
    if (v !== null && v.trim() !== '') out[k] = v.trim();
  }
  return out;
}

export const EXECUTION_FILTERS = [
  'period',
  'status',
  'pipeline',
  'version',
  'key',
  'consumer',
  'search',
] as const;
export const LOG_FILTERS = ['period', 'level', 'pipeline', 'execution', 'search'] as const;
export const USAGE_FILTERS = ['period', 'consumer', 'jti', 'outcome', 'kind'] as const;

/** The period of a filter set, `1h` when absent or unknown. */
export function periodOf(f: Filters, fallback: Period = '1h'): Period {
  return isPeriod(f.period) ? f.period : fallback;
}

/**
 * Admin API query of a list page: `period` becomes `since` (ISO, from `now`), the other filters
 * pass as they are, plus `limit` and `cursor`. An execution key names one execution, so the period
 * does not apply to it.
 */
export function apiQuery(
  f: Filters,
  opts: { now?: number; limit?: number; cursor?: string | null; keyIgnoresPeriod?: string } = {},
): string {
  const rest: Filters = { ...f };
  delete rest.period;
  const since =
    opts.keyIgnoresPeriod && f[opts.keyIgnoresPeriod] ? undefined : sinceIso(periodOf(f), opts.now);
  return toQuery({ ...rest, since, limit: opts.limit, cursor: opts.cursor ?? undefined });
}

/** Whether a live execution row matches the list's filters (what the server would have returned). */
export function executionMatches(
  row: {
    executionKey: string;
    pipeline: string;
    version: string;
    outcome: string;
    consumer: string | null;
  },
  f: Filters,
): boolean {
  if (f.search) return false; // message search is the server's: new rows are not guessed
  if (f.pipeline && row.pipeline !== f.pipeline) return false;
  if (f.status && row.outcome !== f.status) return false;
  if (f.consumer && row.consumer !== f.consumer) return false;
  if (f.key && row.executionKey !== f.key) return false;
  if (f.version && !versionMatches(row.version, f.version)) return false;
  return true;
}

/** `1.2` matches `1.2` only; `1` matches every `1.x`. */
export function versionMatches(version: string, filter: string): boolean {
  return filter.includes('.') ? version === filter : version.split('.')[0] === filter;
}

/** Whether a live log row matches the log filters. */
export function logMatches(
  row: { level: string; pipeline: string; executionKey: string; message: string },
  f: Filters,
): boolean {
  if (f.level && row.level !== f.level) return false;
  if (f.pipeline && row.pipeline !== f.pipeline) return false;
  if (f.execution && row.executionKey !== f.execution) return false;
  if (f.search && !row.message.toLowerCase().includes(f.search.toLowerCase())) return false;
  return true;
}

/** What a revocation from the Tokens page sends, and the sentence its confirmation shows. */
export type RevokeRequest =
  | { kind: 'jti'; jti: string }
  | { kind: 'consumer'; consumer: string }
  | { kind: 'before'; before: string; consumer?: string };

export function revokeBody(r: RevokeRequest): Record<string, string> {
  switch (r.kind) {
    case 'jti':
      return { jti: r.jti };
    case 'consumer':
      return { consumer: r.consumer };
    case 'before':
      return r.consumer ? { consumer: r.consumer, before: r.before } : { before: r.before };
  }
}

export function revokeQuestion(r: RevokeRequest): string {
  switch (r.kind) {
    case 'jti':
      return `Revoke the token ${r.jti}? Requests with it will be refused (401).`;
    case 'consumer':
      return `Revoke every token of consumer ${r.consumer}? Its clients must sign in again.`;
    case 'before':
      return r.consumer
        ? `Revoke every token of consumer ${r.consumer} issued before ${r.before}?`
        : `Revoke EVERY token of this environment issued before ${r.before}?`;
  }
}

/** A `datetime-local` input value (local time, no zone) as an ISO instant; null when invalid. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
