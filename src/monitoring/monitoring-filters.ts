// Filters and cursors shared by the CLI and the admin API: text in, store queries out, coded errors.
import { PlatformError } from '../errors/index.js';
import type { ExecutionQuery, LogQuery, UsageQuery } from '../store/store.js';

/** Filter values as they arrive from a query string or CLI flags. */
export type FilterInput = Readonly<Record<string, string | undefined>>;

/** Most items per page. */
export const MAX_PAGE = 1000;

function bad(filter: string, reason: string): PlatformError {
  return new PlatformError('ERR_MONITORING_FILTER', { filter, reason });
}

/**
 * A point in time: ISO 8601, epoch digits (10 or fewer are seconds, more are milliseconds), or a
 * duration back from `now` (`30s`, `15m`, `2h`, `7d`).
 */
export function parseTime(
  filter: string,
  text: string | undefined,
  now: number,
): number | undefined {
  if (text === undefined || text === '') return undefined;
  const t = text.trim();
  const d = /^(\d+)([smhd])$/.exec(t);
  if (d)
    return (
      now - Number(d[1]) * { s: 1e3, m: 6e4, h: 36e5, d: 864e5 }[d[2] as 's' | 'm' | 'h' | 'd']
    );
  if (/^\d+$/.test(t)) return t.length <= 10 ? Number(t) * 1000 : Number(t);
  const ms = /^\d{4}-\d{2}-\d{2}/.test(t) ? Date.parse(t) : NaN;
  if (!Number.isFinite(ms))
    throw bad(filter, `"${text}" is not ISO 8601, epoch time or a duration like 15m`);
  return ms;
}

/** `--limit` / `?limit=`: 1 to MAX_PAGE, default 50. */
export function parseLimit(text: string | undefined, fallback = 50): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE) throw bad('limit', `takes 1 to ${MAX_PAGE}`);
  return n;
}

function oneOf<T extends string>(
  filter: string,
  text: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (text === undefined || text === '') return undefined;
  const v = (filter === 'level' ? text.toUpperCase() : text) as T;
  if (!allowed.includes(v)) throw bad(filter, `"${text}" is not one of ${allowed.join(', ')}`);
  return v;
}

function text(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** An opaque cursor: base64url of a JSON array. */
export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

function decodeCursor(
  cursor: string,
  shape: readonly ('string' | 'number')[],
): (string | number)[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (
    !Array.isArray(parts) ||
    parts.length !== shape.length ||
    parts.some((p, i) => typeof p !== shape[i])
  )
    throw new PlatformError('ERR_MONITORING_CURSOR');
  return parts as (string | number)[];
}

/** `?version=`: a major (`1`) or major.minor (`1.2`). */
function parseVersion(v: string | undefined): { versionMajor?: number; versionMinor?: number } {
  if (v === undefined || v === '') return {};
  const m = /^(\d{1,9})(?:\.(\d{1,9}))?$/.exec(v.trim());
  if (!m) throw bad('version', `"${v}" is not a major (1) or major.minor (1.2) version`);
  return { versionMajor: Number(m[1]), ...(m[2] !== undefined ? { versionMinor: Number(m[2]) } : {}) };
}

/** Executions: pipeline, version, status (response|error), consumer, since, until, key, search, limit, cursor. */
export function executionQuery(f: FilterInput, now: number): ExecutionQuery & { limit: number } {
  const q: ExecutionQuery & { limit: number } = {
    pipeline: text(f.pipeline),
    ...parseVersion(f.version),
    outcome: oneOf('status', f.status, ['response', 'error'] as const),
    consumer: text(f.consumer),
    executionKey: text(f.key),
    search: text(f.search),
    from: parseTime('since', f.since, now),
    to: parseTime('until', f.until, now),
    limit: parseLimit(f.limit),
  };
  if (f.cursor) {
    const [startedAt, executionKey] = decodeCursor(f.cursor, ['number', 'string']);
    q.cursor = { startedAt: startedAt as number, executionKey: executionKey as string };
  }
  return q;
}

/** Log lines: execution, pipeline, level, since, until, search, limit, cursor. */
export function logQuery(f: FilterInput, now: number): LogQuery & { limit: number } {
  const q: LogQuery & { limit: number } = {
    executionKey: text(f.execution),
    pipeline: text(f.pipeline),
    level: oneOf('level', f.level, ['INFO', 'WARN', 'ERROR'] as const),
    search: text(f.search),
    from: parseTime('since', f.since, now),
    to: parseTime('until', f.until, now),
    limit: parseLimit(f.limit, 100),
  };
  if (f.cursor) q.beforeId = decodeCursor(f.cursor, ['number'])[0] as number;
  return q;
}

/** Token usage: jti, consumer, pipeline, kind, outcome, since, until, limit, cursor. */
export function usageQuery(f: FilterInput, now: number): UsageQuery & { limit: number } {
  const q: UsageQuery & { limit: number } = {
    jti: text(f.jti),
    consumer: text(f.consumer),
    pipeline: text(f.pipeline),
    kind: oneOf('kind', f.kind, ['issued', 'auth'] as const),
    outcome: oneOf('outcome', f.outcome, ['allowed', 'denied'] as const),
    since: parseTime('since', f.since, now),
    until: parseTime('until', f.until, now),
    limit: parseLimit(f.limit),
  };
  if (f.cursor) {
    const [time, id] = decodeCursor(f.cursor, ['number', 'string']);
    q.cursor = { time: time as number, id: id as string };
  }
  return q;
}
