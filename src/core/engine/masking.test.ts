// Sensitive-value masking: names compared normalised, values masked in text, records redacted.
import { describe, expect, it } from 'vitest';
import { collectSensitiveValues, maskText, redactMessage, sensitiveNameSet } from './masking.js';

const names = sensitiveNameSet(['cpf']);

describe('masking', () => {
  it('compares names in lower case without - and _', () => {
    expect(names.has('password')).toBe(true);
    expect(names.has('apikey')).toBe(true);
    expect(names.has('accesstoken')).toBe(true);
    expect(names.has('cpf')).toBe(true);
    expect(names.has('user')).toBe(false);
  });

  it('collects values under sensitive names at any depth, including inside arrays', () => {
    const values = collectSensitiveValues({ user: 'ana', Pass_Word: 'pw1', nested: { 'API-KEY': 'k1' }, list: [{ token: 't1' }], cpf: 123 } as never, names);
    expect([...values].sort()).toEqual(['123', 'k1', 'pw1', 't1']);
  });

  it('masks longer secrets first and every occurrence', () => {
    expect(maskText('a=abc b=abcdef a=abc', ['abc', 'abcdef'])).toBe('a=*** b=*** a=***');
  });

  it('redacts records without touching the original and cuts long strings', () => {
    const input = { password: 'x', keep: 'y'.repeat(10), nested: { secret: null, ok: 1 } };
    const out = redactMessage(input, names, 4);
    expect(out).toEqual({ password: '***', keep: 'yyyy…(10 chars)', nested: { secret: null, ok: 1 } });
    expect(input.password).toBe('x');
  });
});
