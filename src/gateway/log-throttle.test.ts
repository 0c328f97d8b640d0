// LogThrottle: first line at once, then one line per interval carrying the count of suppressed repeats.
import { describe, expect, it } from 'vitest';
import { LogThrottle } from './log-throttle.js';

describe('LogThrottle', () => {
  it('emits the first occurrence, then a count once per interval', () => {
    let t = 0;
    const throttle = new LogThrottle(10_000, () => t);
    const lines: number[] = [];
    const hit = (): void => throttle.hit('usage', (repeated) => lines.push(repeated));
    for (; t < 25_000; t += 100) hit(); // 250 failures in 25 s
    expect(lines).toEqual([0, 99, 99]);
  });

  it('keeps keys apart', () => {
    const throttle = new LogThrottle(10_000, () => 0);
    const lines: string[] = [];
    for (const k of ['a', 'b', 'a', 'b', 'c']) throttle.hit(k, () => lines.push(k));
    expect(lines).toEqual(['a', 'b', 'c']);
  });
});
