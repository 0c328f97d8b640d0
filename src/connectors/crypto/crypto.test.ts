// crypto connector: AES-256-GCM and RSA-OAEP-256 round trips, interop with node:crypto, tampering, wrong keys.
import { createDecipheriv, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AccountValue } from '../../core/account-types.js';
import { runPipeline } from '../../core/engine/index.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { loadPipelineText } from '../../core/loader/index.js';
import { createRegistry } from '../../core/registry.js';
import { PlatformError } from '../../errors/index.js';
import { cryptoConnector } from './index.js';

const registry = createRegistry([cryptoConnector]);
const aes = randomBytes(32);
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const small = generateKeyPairSync('rsa', { modulusLength: 1024 });
const accounts: Record<string, AccountValue> = {
  aes: { type: 'secret-key', value: aes.toString('base64'), encoding: 'base64' },
  'aes-raw': { type: 'secret-key', value: 'k'.repeat(32), encoding: 'raw' },
  'other-aes': { type: 'secret-key', value: randomBytes(32).toString('base64'), encoding: 'base64' },
  short: { type: 'secret-key', value: 'too-short', encoding: 'raw' },
  pub: { type: 'public-key', pem: rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
  priv: { type: 'private-key', pem: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
  'small-pub': { type: 'public-key', pem: small.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
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

async function crypt(step: JsonObject, message: JsonValue) {
  const pipeline = loadPipelineText('c.yaml', JSON.stringify({ name: 'c', version: '1.0', steps: [{ type: 'crypto', failOnError: true, ...step }] }), { registry });
  return runPipeline(pipeline, { message, host });
}

describe('crypto connector', () => {
  it.each([['aes'], ['aes-raw']])('AES-256-GCM round trip of fields with account %s', async (account) => {
    const enc = await crypt({ operation: 'encrypt', account, fields: ['card', 'pin', 'gone'] }, { card: '4111 1111 1111 1111', pin: 1234, keep: 'x' });
    const sealed = enc.output as JsonObject;
    expect(sealed.keep).toBe('x');
    expect(sealed.card).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(sealed.card).not.toContain('4111');
    expect('gone' in sealed).toBe(false);
    const dec = await crypt({ operation: 'decrypt', account, fields: ['card'] }, sealed);
    expect((dec.output as JsonObject).card).toBe('4111 1111 1111 1111');
    const num = await crypt({ operation: 'decrypt', account, fields: ['pin'], output: 'json' }, sealed);
    expect((num.output as JsonObject).pin).toBe(1234);
  });

  it('AES output is IV ‖ ciphertext ‖ tag, readable by plain node:crypto', async () => {
    const enc = await crypt({ operation: 'encrypt', account: 'aes', fields: ['v'] }, { v: 'hello' });
    const raw = Buffer.from((enc.output as JsonObject).v as string, 'base64');
    const d = createDecipheriv('aes-256-gcm', aes, raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(raw.length - 16));
    expect(Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString()).toBe('hello');
  });

  it('whole-message mode round trip, and fresh IVs each time', async () => {
    const message = { order: 7, items: ['a'] };
    const a = (await crypt({ operation: 'encrypt', account: 'aes' }, message)).output as JsonObject;
    const b = (await crypt({ operation: 'encrypt', account: 'aes' }, message)).output as JsonObject;
    expect(a.encrypted).not.toBe(b.encrypted);
    expect((await crypt({ operation: 'decrypt', account: 'aes' }, a)).output).toEqual(message);
  });

  it('tampered data, truncated data and another key all fail with the same ERR_CRYPTO_DECRYPT message', async () => {
    const sealed = ((await crypt({ operation: 'encrypt', account: 'aes', fields: ['v'] }, { v: 'secret' })).output as JsonObject).v as string;
    const raw = Buffer.from(sealed, 'base64');
    raw[14] = raw[14]! ^ 1;
    const cases = [
      await crypt({ operation: 'decrypt', account: 'aes', fields: ['v'] }, { v: raw.toString('base64') }),
      await crypt({ operation: 'decrypt', account: 'aes', fields: ['v'] }, { v: sealed.slice(0, 20) }),
      await crypt({ operation: 'decrypt', account: 'other-aes', fields: ['v'] }, { v: sealed }),
    ];
    const messages = cases.map((r) => `${r.error?.code} ${r.error?.message}`);
    expect(new Set(messages).size).toBe(1);
    expect(messages[0]).toBe('ERR_CRYPTO_DECRYPT Decryption of field "v" failed: the data was altered, truncated, or encrypted with another key');
  });

  it('RSA-OAEP-256: encrypt to the public key, decrypt with the private key', async () => {
    const enc = await crypt({ operation: 'encrypt', algorithm: 'RSA-OAEP-256', account: 'pub', fields: ['ssn'] }, { ssn: '078-05-1120' });
    const sealed = (enc.output as JsonObject).ssn as string;
    expect(Buffer.from(sealed, 'base64')).toHaveLength(256);
    const dec = await crypt({ operation: 'decrypt', algorithm: 'RSA-OAEP-256', account: 'priv', fields: ['ssn'] }, { ssn: sealed });
    expect((dec.output as JsonObject).ssn).toBe('078-05-1120');
    const wrong = await crypt({ operation: 'decrypt', algorithm: 'RSA-OAEP-256', account: 'priv', fields: ['ssn'] }, { ssn: Buffer.alloc(256, 1).toString('base64') });
    expect(wrong.error?.code).toBe('ERR_CRYPTO_DECRYPT');
  });

  it.each<[string, JsonObject, JsonValue, string]>([
    ['a short AES key', { operation: 'encrypt', account: 'short', fields: ['v'] }, { v: 'x' }, 'ERR_CRYPTO_KEY'],
    ['decrypting with a public key', { operation: 'decrypt', algorithm: 'RSA-OAEP-256', account: 'pub', fields: ['v'] }, { v: 'AAAA' }, 'ERR_CRYPTO_KEY'],
    ['a 1024-bit RSA key', { operation: 'encrypt', algorithm: 'RSA-OAEP-256', account: 'small-pub', fields: ['v'] }, { v: 'x' }, 'ERR_CRYPTO_KEY'],
    ['RSA input over 190 bytes', { operation: 'encrypt', algorithm: 'RSA-OAEP-256', account: 'pub', fields: ['v'] }, { v: 'x'.repeat(191) }, 'ERR_CRYPTO_INPUT'],
    ['decrypting text that is not Base64', { operation: 'decrypt', account: 'aes', fields: ['v'] }, { v: 'not base64!' }, 'ERR_CRYPTO_INPUT'],
  ])('%s is a coded error', async (_name, step, message, code) => {
    const r = await crypt(step, message);
    expect(r.error?.code).toBe(code);
  });
});
