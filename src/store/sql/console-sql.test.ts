// rollupPart's reuse of the previous execution's buckets against the plain per-record grouping.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DURATION_BOUNDS_MS } from '../console-records.js';
import {
  durationClass,
  ROLLUP_GRANULARITIES,
  rollupPart,
  type RollupInput,
} from './console-sql.js';

const CLASSES = DURATION_BOUNDS_MS.length + 1;

/** The grouping as written before the reuse: one key per record and granularity. */
function referenceRows(env: string, records: readonly RollupInput[]): unknown[][] {
  const groups = new Map<string, (string | number)[]>();
  for (const r of records) {
    const failed = r.status === 'success' ? 0 : 1;
    const cls = durationClass(r.durationMs);
    for (const g of ROLLUP_GRANULARITIES) {
      const start = Math.floor(r.startedAt / g) * g;
      const key = `${g}\u0000${start}\u0000${r.pipeline}\u0000${r.versionMajor}\u0000${r.versionMinor}`;
      let row = groups.get(key);
      if (!row) {
        row = [env, g, start, r.pipeline, r.versionMajor, r.versionMinor, 0, 0, 0, 0, 0, 0];
        row.push(...new Array<number>(CLASSES).fill(0));
        groups.set(key, row);
      }
      row[6] = (row[6] as number) + 1;
      row[7] = (row[7] as number) + failed;
      row[8] = (row[8] as number) + r.durationMs;
      row[9] = Math.max(row[9] as number, r.durationMs);
      row[10] = (row[10] as number) + (r.requestBytes ?? 0);
      row[11] = (row[11] as number) + (r.responseBytes ?? 0);
      row[12 + cls] = (row[12 + cls] as number) + 1;
    }
  }
  return [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

// Times around bucket borders (5 minutes, an hour), so consecutive records cross them often.
const HOUR = 3_600_000;
const record: fc.Arbitrary<RollupInput> = fc.record({
  pipeline: fc.constantFrom('a', 'b', 'a\u0000b'),
  versionMajor: fc.constantFrom(1, 2),
  versionMinor: fc.constantFrom(0, 1),
  status: fc.constantFrom('success', 'error'),
  startedAt: fc
    .tuple(
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: -2, max: 2 }),
      fc.integer({ min: 0, max: 12 }),
    )
    .map(
      ([h, d, m]) => 1_796_200_000_000 - (1_796_200_000_000 % HOUR) + h * HOUR + m * 300_000 + d,
    ),
  durationMs: fc.double({ min: 0, max: 60_000, noNaN: true }),
  requestBytes: fc.option(fc.integer({ min: 0, max: 400_000 }), { nil: null }),
  responseBytes: fc.option(fc.integer({ min: 0, max: 400_000 }), { nil: undefined }),
});

describe('rollupPart', () => {
  it('groups a batch as the per-record grouping does', () => {
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 60 }),
        fc.boolean(),
        (records, runs) => {
          // Runs of equal pipeline versions and close times, the case the reuse is for.
          const batch = runs ? [...records].sort((x, y) => x.startedAt - y.startedAt) : records;
          expect(rollupPart('env', batch)!.rows).toEqual(referenceRows('env', batch));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('is null for no executions', () => {
    expect(rollupPart('env', [])).toBeNull();
  });
});
