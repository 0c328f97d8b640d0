import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { uuidv7 } from './time-ordered-id.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('is a version 7 UUID carrying the millisecond time in its first 48 bits', () => {
    const now = Date.UTC(2026, 11, 2, 1, 2, 3, 456);
    const id = uuidv7(now);
    expect(id).toMatch(V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(now);
  });

  it('orders keys of different milliseconds by time, as text (the index order)', () => {
    const ids = [1_000, 1_001, 65_536, 2 ** 32, Date.now()].map((t) => uuidv7(t));
    expect([...ids].sort()).toEqual(ids);
  });

  it('keys of the same millisecond differ (74 random bits), across the pool refill', () => {
    const ids = Array.from({ length: 2_000 }, () => uuidv7(42));
    expect(new Set(ids).size).toBe(2_000);
    for (const id of ids) expect(id).toMatch(V7);
    // Both variant nibbles' random bits and the version nibble's neighbours vary.
    expect(new Set(ids.map((id) => id[19])).size).toBe(4);
  });

  it('the random part is uniform: every hex digit at every random position, variant bits 10', () => {
    const ids = Array.from({ length: 4_000 }, () => uuidv7(7));
    const randomPositions = [
      15,
      16,
      17,
      20,
      21,
      22,
      ...Array.from({ length: 12 }, (_, i) => 24 + i),
    ];
    for (const pos of randomPositions) expect(new Set(ids.map((id) => id[pos])).size).toBe(16);
    for (const id of ids) expect((parseInt(id[19]!, 16) & 0b1100) >> 2).toBe(0b10);
  });

  it('the time prefix follows the millisecond given, also going back (no stale cached prefix)', () => {
    for (const t of [5, 6, 5, 2 ** 40, 0, 2 ** 40 + 1]) {
      const id = uuidv7(t);
      expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(t);
    }
  });

  it('has the same shape as randomUUID apart from the version', () => {
    expect(uuidv7().length).toBe(randomUUID().length);
  });
});
