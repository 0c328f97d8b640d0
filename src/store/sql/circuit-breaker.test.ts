// CircuitBreaker: opens after N availability failures, fails fast while open, one probe at a time when half-open.
import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuit-breaker.js';

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures, fails fast, lets one probe through, closes on its success', () => {
    let t = 0;
    const b = new CircuitBreaker('postgres', { failures: 3, resetMs: 1000, now: () => t });
    for (let i = 0; i < 2; i++) {
      b.enter();
      b.failed();
    }
    expect(b.state).toBe('closed');
    b.enter();
    b.failed();
    expect(b.state).toBe('open');
    expect(() => b.enter()).toThrow(expect.objectContaining({ code: 'ERR_STORE_UNAVAILABLE' }));
    t = 1000;
    expect(b.state).toBe('half-open');
    b.enter(); // the probe
    expect(() => b.enter()).toThrow(/circuit breaker open/); // others still fail fast meanwhile
    b.succeeded();
    expect(b.state).toBe('closed');
    b.enter();
  });

  it('a failed probe opens it again for another period; a success in between resets the count', () => {
    let t = 0;
    const b = new CircuitBreaker('postgres', { failures: 2, resetMs: 500, now: () => t });
    b.failed();
    b.succeeded();
    b.failed();
    expect(b.state).toBe('closed');
    b.failed();
    expect(b.state).toBe('open');
    t = 500;
    b.enter();
    b.failed();
    expect(b.state).toBe('open');
    t = 999;
    expect(() => b.enter()).toThrow();
    t = 1000;
    expect(() => b.enter()).not.toThrow();
  });
});
