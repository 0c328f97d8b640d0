// Front-end logic of the web console: periods and chart buckets, filters <-> query strings, revocations.
import { describe, expect, it } from 'vitest';
import {
  bucketSecondsFor,
  bucketStart,
  columns,
  durationMs,
  fillBuckets,
  PERIODS,
  sinceIso,
  toSeconds,
} from '../../console/src/lib/period.js';
import {
  apiQuery,
  executionMatches,
  localInputToIso,
  logMatches,
  periodOf,
  readFilters,
  revokeBody,
  revokeQuestion,
  toQuery,
  versionMatches,
} from '../../console/src/lib/query.js';
import { usageTimeline } from '../../console/src/lib/timeline.js';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);

describe('console periods and buckets', () => {
  it('knows each period and its start', () => {
    expect(PERIODS).toEqual(['15m', '1h', '6h', '24h', '7d', '30d']);
    expect(durationMs('15m')).toBe(900_000);
    expect(durationMs('30d')).toBe(30 * 86_400_000);
    expect(durationMs('2x')).toBeNull();
    expect(sinceIso('1h', NOW)).toBe('2026-01-10T11:00:00.000Z');
    expect(sinceIso('7d', NOW)).toBe('2026-01-03T12:00:00.000Z');
  });

  it('chooses buckets giving 60-120 points over each period', () => {
    for (const p of PERIODS) {
      const points = durationMs(p)! / 1000 / bucketSecondsFor(p);
      expect(points, p).toBeGreaterThanOrEqual(60);
      expect(points, p).toBeLessThanOrEqual(120);
    }
    expect(bucketStart(1000, 60)).toBe(960);
  });

  it('fills the buckets without traffic so the chart has one point per bucket', () => {
    const b = NOW / 1000; // a minute boundary
    const rows = [
      { t: b + 60, n: 5 },
      { t: (b + 180) * 1000, n: 7 }, // epoch ms are turned into seconds
    ];
    const out = fillBuckets(rows, 60, b, b + 240, (t) => ({ t, n: 0 }));
    expect(out).toEqual([
      { t: b, n: 0 },
      { t: b + 60, n: 5 },
      { t: b + 120, n: 0 },
      { t: b + 180, n: 7 },
      { t: b + 240, n: 0 },
    ]);
    // An absurd range is not expanded point by point.
    expect(fillBuckets(rows, 1, b - 10_000_000, b, (t) => ({ t, n: 0 })).length).toBe(2);
    expect(toSeconds('2026-01-10T12:00:00.000Z')).toBe(NOW / 1000);
    expect(toSeconds(NOW)).toBe(NOW / 1000);
    expect(toSeconds(1_700_000_000)).toBe(1_700_000_000);
  });

  it('turns rows into chart columns, non-numbers as gaps', () => {
    const cols = columns(
      [
        { t: 1, a: 2, b: null as number | null },
        { t: 2, a: 3, b: 4 },
      ],
      ['a', 'b'],
    );
    expect(cols).toEqual([
      [1, 2],
      [2, 3],
      [null, 4],
    ]);
  });
});

describe('console filters and queries', () => {
  it('builds query strings from the non-empty values only', () => {
    expect(toQuery({ a: 'x y', b: '', c: undefined, d: null, e: 3 })).toBe('?a=x+y&e=3');
    expect(toQuery({})).toBe('');
    expect(toQuery({ pipeline: ' login ' })).toBe('?pipeline=login');
  });

  it('reads the known filters of a page address', () => {
    expect(
      readFilters('?pipeline=p&evil=1&status=&search=a%20b', ['pipeline', 'status', 'search']),
    ).toEqual({
      pipeline: 'p',
      search: 'a b',
    });
    expect(periodOf({ period: '6h' })).toBe('6h');
    expect(periodOf({ period: '5y' })).toBe('1h');
  });

  it('turns a page period into the API since, with limit and cursor', () => {
    expect(
      apiQuery({ period: '15m', pipeline: 'orders', status: 'error' }, { now: NOW, limit: 50 }),
    ).toBe('?pipeline=orders&status=error&since=2026-01-10T11%3A45%3A00.000Z&limit=50');
    expect(apiQuery({}, { now: NOW, cursor: 'abc' })).toBe(
      '?since=2026-01-10T11%3A00%3A00.000Z&cursor=abc',
    );
    // An execution key names one execution: no period on it.
    expect(apiQuery({ key: 'k1', period: '15m' }, { now: NOW, keyIgnoresPeriod: 'key' })).toBe(
      '?key=k1',
    );
  });

  it('matches live execution rows against the filters as the server would', () => {
    const row = {
      executionKey: 'k',
      pipeline: 'orders',
      version: '1.2',
      outcome: 'error',
      consumer: 'acme',
    };
    expect(executionMatches(row, {})).toBe(true);
    expect(executionMatches(row, { pipeline: 'orders', status: 'error', consumer: 'acme' })).toBe(
      true,
    );
    expect(executionMatches(row, { pipeline: 'other' })).toBe(false);
    expect(executionMatches(row, { status: 'response' })).toBe(false);
    expect(executionMatches(row, { version: '1' })).toBe(true);
    expect(executionMatches(row, { version: '1.3' })).toBe(false);
    expect(executionMatches(row, { key: 'other' })).toBe(false);
    expect(executionMatches(row, { search: 'x' })).toBe(false);
    expect(versionMatches('10.1', '1')).toBe(false);
  });

  it('matches live log rows against the filters', () => {
    const row = { level: 'WARN', pipeline: 'p', executionKey: 'k', message: 'Header Dropped' };
    expect(logMatches(row, { level: 'WARN', search: 'header' })).toBe(true);
    expect(logMatches(row, { level: 'ERROR' })).toBe(false);
    expect(logMatches(row, { execution: 'z' })).toBe(false);
    expect(logMatches(row, { search: 'nothing' })).toBe(false);
  });

  it('builds revocation bodies and their confirmation sentences', () => {
    expect(revokeBody({ kind: 'jti', jti: 'j1' })).toEqual({ jti: 'j1' });
    expect(revokeBody({ kind: 'consumer', consumer: 'acme' })).toEqual({ consumer: 'acme' });
    expect(revokeBody({ kind: 'before', before: '2026-01-01T00:00:00.000Z' })).toEqual({
      before: '2026-01-01T00:00:00.000Z',
    });
    expect(revokeBody({ kind: 'before', before: 'T', consumer: 'acme' })).toEqual({
      consumer: 'acme',
      before: 'T',
    });
    expect(revokeQuestion({ kind: 'jti', jti: 'j1' })).toMatch(/token j1.*401/);
    expect(revokeQuestion({ kind: 'before', before: 'T' })).toMatch(/EVERY token/);
    expect(localInputToIso('2026-01-10T12:30')).toBe(new Date(2026, 0, 10, 12, 30).toISOString());
    expect(localInputToIso('yesterday')).toBeNull();
  });
});

describe('console token usage timeline', () => {
  it('counts allowed and denied events per bucket, aggregated refusals by their count', () => {
    const at = (minAgo: number): string => new Date(NOW - minAgo * 60_000).toISOString();
    const points = usageTimeline(
      [
        { time: at(1), outcome: 'allowed' },
        { time: at(1), outcome: 'allowed' },
        { time: at(1), outcome: 'denied', count: 7 },
        { time: NOW - 30 * 60_000, outcome: 'denied' },
        { time: at(90), outcome: 'allowed' }, // before the period: left out
      ],
      '1h',
      NOW,
    );
    expect(points.length).toBe(61); // one per minute, both ends included
    expect(points.every((p, i) => i === 0 || p.t - points[i - 1]!.t === 60)).toBe(true);
    const byMinAgo = (m: number) => points.find((p) => p.t === NOW / 1000 - m * 60)!;
    expect(byMinAgo(1)).toMatchObject({ allowed: 2, denied: 7 });
    expect(byMinAgo(30)).toMatchObject({ allowed: 0, denied: 1 });
    expect(points.reduce((a, p) => a + p.allowed + p.denied, 0)).toBe(10);
  });
});
