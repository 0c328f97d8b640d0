// DPoP server nonces: accepted while fresh, from this key only; anything else (generated) refused.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DpopNonces, dpopNonceKey } from './dpop-nonce.js';

const master = { derive: () => Buffer.alloc(32, 7) };

function clock(start = 1_800_000_000_000): { now: () => number; advance(sec: number): void } {
  let t = start;
  return { now: () => t, advance: (sec) => void (t += sec * 1000) };
}

describe('DpopNonces', () => {
  it('accepts its nonce until the lifetime has passed, and a new one is handed out every tenth of it', () => {
    const c = clock();
    const n = new DpopNonces(randomBytes(32), { lifetimeSec: 100, now: c.now });
    const first = n.current();
    expect(first).toMatch(/^[A-Za-z0-9_-]{30}$/);
    c.advance(9);
    expect(n.current()).toBe(first);
    c.advance(1);
    const second = n.current();
    expect(second).not.toBe(first);
    c.advance(90);
    expect(n.isValid(first)).toBe(true); // age 100 = the lifetime
    expect(n.isValid(second)).toBe(true);
    c.advance(1);
    expect(n.isValid(first)).toBe(false);
    expect(n.isValid(second)).toBe(true);
  });

  it('refuses a nonce of another realm, environment or master key, and one from the future', () => {
    const c = clock();
    const key = dpopNonceKey(master, 'local', 'test');
    const a = new DpopNonces(key, { now: c.now });
    const same = new DpopNonces(dpopNonceKey(master, 'local', 'test'), { now: c.now });
    expect(same.isValid(a.current())).toBe(true);
    for (const [realm, env] of [
      ['local', 'prod'],
      ['other', 'test'],
    ] as const)
      expect(
        new DpopNonces(dpopNonceKey(master, realm, env), { now: c.now }).isValid(a.current()),
      ).toBe(false);
    const otherMaster = { derive: () => Buffer.alloc(32, 8) };
    expect(
      new DpopNonces(dpopNonceKey(otherMaster, 'local', 'test'), { now: c.now }).isValid(
        a.current(),
      ),
    ).toBe(false);
    const early = clock(1_800_000_000_000 + 60_000);
    const future = new DpopNonces(key, { now: early.now }).current();
    expect(a.isValid(future)).toBe(false);
  });

  it('refuses every altered nonce and every generated non-nonce', () => {
    const n = new DpopNonces(randomBytes(32));
    const good = n.current();
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < good.length; i++) {
      const c = good[i] === 'A' ? 'B' : 'A';
      const altered = `${good.slice(0, i)}${c}${good.slice(i + 1)}`;
      // The last character carries two padding bits: a change there may decode to the same bytes.
      if (Buffer.from(altered, 'base64url').equals(Buffer.from(good, 'base64url'))) continue;
      expect(n.isValid(altered)).toBe(false);
    }
    for (let i = 0; i < 500; i++) {
      const len = i % 40;
      let s = '';
      for (let j = 0; j < len; j++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
      expect(n.isValid(s)).toBe(false);
    }
    for (const v of [undefined, null, 1, {}, [], `${good} `, good.slice(1), `${good}A`])
      expect(n.isValid(v)).toBe(false);
  });
});
