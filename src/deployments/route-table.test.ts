// Route matching precedence, params and conflict detection.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RouteTable } from './route-table.js';

const table = (routes: [string, string][]) =>
  new RouteTable(
    routes.map(([pattern, owner]) => ({ pattern, owner, target: `${owner} ${pattern}` })),
  );

describe('RouteTable', () => {
  const t = table([
    ['/pipeline/local/v1/orders', 'orders@1'],
    ['/pipeline/local/v1/items/:id', 'orders@1'],
    ['/pipeline/local/v1/items/special', 'orders@1'],
    ['/pipeline/local/v1/:kind/:id/edit', 'edit@1'],
    ['/auth', 'login@1'],
  ]);

  it('matches literal paths, ignoring trailing and repeated slashes', () => {
    expect(t.match('/auth')?.entry.owner).toBe('login@1');
    expect(t.match('/auth/')?.entry.owner).toBe('login@1');
    expect(t.match('//pipeline/local/v1/orders')?.params).toEqual({});
    expect(t.match('/authx')).toBeNull();
    expect(t.match('/')).toBeNull();
  });

  it('prefers literal segments left to right and decodes params', () => {
    expect(t.match('/pipeline/local/v1/items/special')?.entry.target).toBe(
      'orders@1 /pipeline/local/v1/items/special',
    );
    expect(t.match('/pipeline/local/v1/items/a%2Fb')?.params).toEqual({ id: 'a/b' });
    expect(t.match('/pipeline/local/v1/items/%E0%A4%A')?.params).toEqual({ id: '%E0%A4%A' });
    expect(t.match('/pipeline/local/v1/things/7/edit')?.params).toEqual({
      kind: 'things',
      id: '7',
    });
  });

  it('refuses two pipelines with the same route shape, naming both', () => {
    expect(() =>
      table([
        ['/a/:id', 'one@1'],
        ['/a/:key', 'two@1'],
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'ERR_GATEWAY_ROUTE_CONFLICT',
        details: expect.objectContaining({ pipeline: 'two@1', other: 'one@1' }),
      }),
    );
    expect(() =>
      table([
        ['/a/b', 'one@1'],
        ['/a/b/', 'two@2'],
      ]),
    ).toThrow(expect.objectContaining({ code: 'ERR_GATEWAY_ROUTE_CONFLICT' }));
  });

  it('allows overlapping but distinguishable routes and duplicates within one pipeline', () => {
    expect(
      table([
        ['/a/b', 'one@1'],
        ['/a/:id', 'two@1'],
        ['/a/:x', 'two@1'],
      ]).size,
    ).toBe(2);
  });

  it('matches a normal path (fast path) as its trailing-slash form (general path) (generated paths)', () => {
    // A trailing slash changes no segment, and takes the split-and-join path of match().
    const segment = fc.constantFrom(
      '',
      'pipeline',
      'local',
      'v1',
      'orders',
      'items',
      'special',
      'edit',
      'auth',
      'x%20y',
      '%E0',
      ':id',
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 7 }), fc.boolean(), (segments, lead) => {
        const path = (lead ? '/' : '') + segments.join('/');
        expect(t.match(path)).toEqual(t.match(`${path}/`));
      }),
      { numRuns: 2000 },
    );
  });
});
