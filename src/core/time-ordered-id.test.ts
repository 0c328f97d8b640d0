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

  it('has the same shape as randomUUID apart from the version', () => {
    expect(uuidv7().length).toBe(randomUUID().length);
  });
});
