// RSA1_5 CEK unwrapping: the right CEK for a valid padding, a random one (never an error) otherwise.
import { constants, generateKeyPairSync, publicEncrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unwrapRsa15Cek } from './rsa1-5.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const cek = Buffer.alloc(16, 0x5a);
const raw = (em: Buffer) => publicEncrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, em);
/** EM = 00 02 PS 00 M with the given padding length (RFC 8017 §7.2.1). */
const em = (message: Buffer, tweak?: (b: Buffer) => void) => {
  const b = Buffer.alloc(256, 0x11);
  b[0] = 0;
  b[1] = 2;
  b[255 - message.length] = 0;
  message.copy(b, 256 - message.length);
  tweak?.(b);
  return b;
};

describe('RSA1_5 CEK unwrapping', () => {
  it('returns the CEK of a valid PKCS#1 v1.5 block', () => {
    const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, cek);
    expect(unwrapRsa15Cek(privateKey, wrapped, 16)).toEqual(cek);
    expect(unwrapRsa15Cek(privateKey, raw(em(cek)), 16)).toEqual(cek);
  });

  it.each([
    ['first byte not zero', (b: Buffer) => void (b[0] = 1)],
    ['block type not 2', (b: Buffer) => void (b[1] = 1)],
    ['zero inside the padding', (b: Buffer) => void (b[100] = 0)],
    ['separator missing', (b: Buffer) => void (b[239] = 7)],
  ])('substitutes a random CEK when the %s', (_name, tweak) => {
    const a = unwrapRsa15Cek(privateKey, raw(em(cek, tweak)), 16);
    const b = unwrapRsa15Cek(privateKey, raw(em(cek, tweak)), 16);
    expect(a.length).toBe(16);
    expect(a).not.toEqual(cek);
    expect(a).not.toEqual(b);
  });

  it('substitutes a random CEK for a CEK of another length and for a short ciphertext', () => {
    const wrapped = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.alloc(32, 1));
    expect(unwrapRsa15Cek(privateKey, wrapped, 16)).not.toEqual(Buffer.alloc(16, 1));
    expect(unwrapRsa15Cek(privateKey, Buffer.alloc(10), 16).length).toBe(16);
  });
});
