// Envelope encryption: confidentiality, AAD binding, tamper detection, wrong master key.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretBox, accountAad, signingKeyAad } from './envelope.js';
import { MasterKey } from './master-key.js';

const box = new SecretBox(new MasterKey(randomBytes(32)));
const secret = 'super-secret-password-ü-1234567890';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect((err as Error).message).not.toContain(secret);
    return (err as { code?: string }).code;
  }
  return undefined;
}

describe('SecretBox', () => {
  it('round-trips text, bytes and JSON', () => {
    const aad = accountAad('test', 'partner');
    expect(box.openText(box.seal(secret, aad), aad)).toBe(secret);
    const bytes = randomBytes(100);
    expect(box.open(box.seal(bytes, aad), aad).equals(bytes)).toBe(true);
    expect(box.openJson(box.sealJson({ type: 'basic', password: secret }, aad), aad)).toEqual({
      type: 'basic',
      password: secret,
    });
    expect(box.openText(box.seal('', aad), aad)).toBe('');
  });

  it('produces a versioned blob that does not contain the plaintext, with a fresh IV each time', () => {
    const aad = accountAad('test', 'x');
    const a = box.seal(secret, aad);
    const b = box.seal(secret, aad);
    expect(a).toMatch(/^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(a).not.toBe(b);
    for (const form of [
      secret,
      Buffer.from(secret).toString('base64'),
      Buffer.from(secret).toString('base64url'),
      Buffer.from(secret).toString('hex'),
    ]) {
      expect(a).not.toContain(form);
    }
  });

  it('refuses a blob moved to another record (AAD) with ERR_SECRET_DECRYPT', () => {
    const blob = box.seal(secret, accountAad('test', 'partner'));
    expect(codeOf(() => box.open(blob, accountAad('prod', 'partner')))).toBe('ERR_SECRET_DECRYPT');
    expect(codeOf(() => box.open(blob, accountAad('test', 'partner2')))).toBe('ERR_SECRET_DECRYPT');
    expect(codeOf(() => box.open(blob, signingKeyAad('test', 'partner', 'k')))).toBe(
      'ERR_SECRET_DECRYPT',
    );
  });

  it('detects tampering and malformed blobs', () => {
    const aad = accountAad('test', 'partner');
    const parts = box.seal(secret, aad).split('.');
    const ct = Buffer.from(parts[3] as string, 'base64url');
    ct[0] = (ct[0] as number) ^ 1;
    const tampered = [parts[0], parts[1], parts[2], ct.toString('base64url'), parts[4]].join('.');
    expect(codeOf(() => box.open(tampered, aad))).toBe('ERR_SECRET_DECRYPT');
    expect(codeOf(() => box.open('v2.a.b.c.d', aad))).toBe('ERR_SECRET_DECRYPT');
    expect(codeOf(() => box.open('garbage', aad))).toBe('ERR_SECRET_DECRYPT');
    expect(
      codeOf(() => box.open([parts[0], parts[1], 'AAAA', parts[3], parts[4]].join('.'), aad)),
    ).toBe('ERR_SECRET_DECRYPT');
  });

  it('refuses a blob sealed under another master key with ERR_MASTER_KEY_MISMATCH', () => {
    const aad = accountAad('test', 'partner');
    const other = new SecretBox(new MasterKey(randomBytes(32)));
    expect(codeOf(() => box.open(other.seal(secret, aad), aad, 'account partner'))).toBe(
      'ERR_MASTER_KEY_MISMATCH',
    );
  });
});
