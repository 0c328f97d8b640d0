// hash connector: known digests (FIPS 180 "abc", RFC 4231 HMAC), fields and payload modes, BCrypt, errors.
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import type { AccountValue } from '../../core/account-types.js';
import { runPipeline } from '../../core/engine/index.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { loadPipelineText, PipelineInvalidError } from '../../core/loader/index.js';
import { createRegistry } from '../../core/registry.js';
import { PlatformError } from '../../errors/index.js';
import { hashConnector } from './index.js';

const registry = createRegistry([hashConnector]);
const accounts: Record<string, AccountValue> = {
  jefe: { type: 'secret-key', value: 'Jefe', encoding: 'raw' },
  jefe64: { type: 'secret-key', value: Buffer.from('Jefe').toString('base64'), encoding: 'base64' },
};
const host = {
  accounts: {
    async resolve(label: string) {
      const v = accounts[label];
      if (!v) throw new PlatformError('ERR_STORE_ACCOUNT_NOT_FOUND', { label, environment: 'test' });
      return v;
    },
  },
};

async function hash(step: JsonObject, message: JsonValue) {
  const pipeline = loadPipelineText('h.yaml', JSON.stringify({ name: 'h', version: '1.0', steps: [{ type: 'hash', ...step }] }), { registry });
  return runPipeline(pipeline, { message, host });
}

describe('hash connector', () => {
  it.each([
    ['MD5', 'hex', '900150983cd24fb0d6963f7d28e17f72'],
    ['SHA-1', 'hex', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['SHA-256', 'hex', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['SHA-256', 'base64', 'ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='],
    ['SHA-384', 'hex', 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
    ['SHA-512', 'hex', 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f'],
  ])('%s (%s) of "abc" in a field', async (algorithm, encoding, digest) => {
    const r = await hash({ fields: ['v'], algorithm, encoding }, { v: 'abc', other: 'kept' });
    expect(r.output).toEqual({ v: digest, other: 'kept' });
  });

  it('defaults to SHA-512 hex', async () => {
    const r = await hash({ fields: ['v'] }, { v: 'abc' });
    expect((r.output as JsonObject).v).toMatch(/^ddaf35a1/);
  });

  it.each([['jefe'], ['jefe64']])('HmacSHA256 with the key of account %s (RFC 4231 case 2)', async (account) => {
    const r = await hash({ fields: ['v'], algorithm: 'HmacSHA256', account }, { v: 'what do ya want for nothing?' });
    expect(r.output).toEqual({ v: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' });
  });

  it('hash-payload hashes the JSON text of the message', async () => {
    const r = await hash({ operation: 'hash-payload', algorithm: 'SHA-256' }, { a: 1 });
    expect(r.output).toEqual({ hash: '015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862' });
  });

  it('leaves missing and null fields, hashes numbers as JSON text, refuses objects', async () => {
    const r = await hash({ fields: ['n', 'gone', 'nil'], algorithm: 'SHA-1' }, { n: 12, nil: null });
    expect(r.output).toEqual({ n: '7b52009b64fd0a2a49e6d8a939753077792b0554', nil: null });
    const bad = await hash({ fields: ['o'], algorithm: 'SHA-1' }, { o: { a: 1 } });
    expect(bad.output).toMatchObject({ success: false, error: 'Cannot hash field "o": only text, number and boolean values are hashed' });
  });

  it('BCrypt output verifies with bcrypt and refuses inputs over 72 bytes', async () => {
    const r = await hash({ fields: ['password'], algorithm: 'BCrypt', bcryptCost: 4 }, { password: 'correct horse' });
    const h = (r.output as JsonObject).password as string;
    expect(h).toMatch(/^\$2b\$04\$/);
    expect(await bcrypt.compare('correct horse', h)).toBe(true);
    const long = await hash({ fields: ['password'], algorithm: 'BCrypt', bcryptCost: 4, failOnError: true }, { password: 'x'.repeat(73) });
    expect(long.error?.code).toBe('ERR_HASH_INPUT');
  });

  it('an HMAC without an account is refused when the pipeline loads', () => {
    expect(() => loadPipelineText('h.yaml', JSON.stringify({ name: 'h', version: '1.0', steps: [{ type: 'hash', algorithm: 'HmacSHA512', fields: ['a'] }] }), { registry })).toThrow(PipelineInvalidError);
  });

  it('a key of the wrong account type is ERR_CRYPTO_KEY naming the label only', async () => {
    accounts.pw = { type: 'basic', username: 'u', password: 'p4ss' };
    const r = await hash({ fields: ['v'], algorithm: 'HmacSHA256', account: 'pw', failOnError: true }, { v: 'x' });
    expect(r.error?.code).toBe('ERR_CRYPTO_KEY');
    expect(r.error?.message).not.toContain('p4ss');
  });
});
