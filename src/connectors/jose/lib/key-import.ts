// Turns key material (account values, JWKs, JWK Sets, PEM) into key candidates, never echoing it.
import { createPrivateKey, createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { AccountValue } from '../../../core/account-types.js';
import { getOwn, isJsonObject } from '../../../core/json.js';
import { contentEncryptions, isJweAlg, isJwsAlg } from './algorithms.js';
import { fail } from './jose-error.js';

/** One usable key with the JWK metadata that restricts it (RFC 7517 §4). */
export interface KeyCandidate {
  key: KeyObject;
  kid?: string;
  alg?: string;
  use?: string;
  keyOps?: string[];
  /** Where the key came from, for error messages (a label or URL, never key material). */
  source: string;
}

const b64url = /^[A-Za-z0-9_-]*$/;

/** Imports one JWK (RFC 7517 §4). Only the reason of a failure is reported, never the key. */
export function importJwk(jwk: unknown, source: string): KeyCandidate {
  if (!isJsonObject(jwk)) fail('ERR_JOSE_KEY_INVALID', { source, reason: 'a JWK must be a JSON object' });
  const kty = getOwn(jwk, 'kty');
  if (typeof kty !== 'string') fail('ERR_JOSE_KEY_INVALID', { source, reason: 'the JWK has no "kty"' });
  const meta = jwkMetadata(jwk, source);
  let key: KeyObject;
  try {
    if (kty === 'oct') {
      const k = getOwn(jwk, 'k');
      if (typeof k !== 'string' || !b64url.test(k)) throw new TypeError('"k" must be base64url text');
      key = secretKey(Buffer.from(k, 'base64url'));
    } else if (kty === 'RSA' || kty === 'EC' || kty === 'OKP') {
      const input = { key: plainJwk(jwk), format: 'jwk' as const };
      key = getOwn(jwk, 'd') !== undefined ? createPrivateKey(input) : createPublicKey(input);
    } else {
      throw new TypeError(`unsupported kty "${kty}"`);
    }
  } catch (err) {
    fail('ERR_JOSE_KEY_INVALID', { source, reason: safeReason(err) }, err);
  }
  return { key, ...meta, source };
}

/** Imports a JWK or a JWK Set (`{ "keys": [...] }`), checking the set's consistency. */
export function importJwkOrSet(value: unknown, source: string): KeyCandidate[] {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch (err) {
      fail('ERR_JOSE_KEY_INVALID', { source, reason: 'the JWK text is not valid JSON' }, err);
    }
  }
  if (isJsonObject(parsed) && getOwn(parsed, 'keys') !== undefined && getOwn(parsed, 'kty') === undefined) {
    const keys = getOwn(parsed, 'keys');
    if (!Array.isArray(keys)) fail('ERR_JOSE_KEY_SET_INVALID', { source, reason: '"keys" must be a list' });
    return checkKeySet(keys.map((k) => importJwk(k, source)), source);
  }
  return [importJwk(parsed, source)];
}

/**
 * Rejects ambiguous sets (Wycheproof MixedKeySet, DuplicateKid): a set mixing secret and
 * asymmetric keys invites key confusion, and a repeated kid makes key selection ambiguous.
 */
export function checkKeySet(keys: KeyCandidate[], source: string): KeyCandidate[] {
  if (keys.length === 0) fail('ERR_JOSE_KEY_SET_INVALID', { source, reason: 'the set has no key' });
  const secret = keys.filter((k) => k.key.type === 'secret').length;
  if (secret !== 0 && secret !== keys.length) {
    fail('ERR_JOSE_KEY_SET_INVALID', { source, reason: 'the set mixes symmetric and asymmetric keys' });
  }
  const kids = new Set<string>();
  for (const k of keys) {
    if (k.kid === undefined) continue;
    if (kids.has(k.kid)) fail('ERR_JOSE_KEY_SET_INVALID', { source, reason: `kid "${k.kid}" appears twice` });
    kids.add(k.kid);
  }
  return keys;
}

/** The candidates an account provides. Non-key account types are a coded error. */
export function importAccount(label: string, value: AccountValue): KeyCandidate[] {
  const source = `account "${label}"`;
  const bad = (reason: string): never =>
    fail('ERR_JOSE_ACCOUNT_TYPE', { label, type: String((value as { type?: unknown }).type), reason });
  try {
    switch (value.type) {
      case 'secret-key':
        return [{ key: secretKey(decodeSecret(value.value, value.encoding)), source }];
      case 'private-key':
        return [{ key: createPrivateKey({ key: value.pem, format: 'pem', passphrase: value.passphrase }), source }];
      case 'public-key':
        return [{ key: createPublicKey({ key: value.pem, format: 'pem' }), source }];
      case 'certificate-chain':
        return [{ key: chainKey(value.pem, value.passphrase), source }];
      case 'jwk':
        return importJwkOrSet(value.jwk, source);
      default:
        return bad('only secret-key, private-key, public-key, certificate-chain and jwk accounts hold keys');
    }
  } catch (err) {
    if (err instanceof Error && 'code' in err && String(err.code).startsWith('ERR_JOSE_')) throw err;
    return fail('ERR_JOSE_KEY_INVALID', { source, reason: safeReason(err) }, err);
  }
}

/** The private key of a chain when present (Digibee: certificates then the key), else the leaf's public key. */
function chainKey(pem: string, passphrase: string | undefined): KeyObject {
  const privateBlock = /-----BEGIN ((?:RSA |EC |ENCRYPTED )?PRIVATE KEY)-----[\s\S]*?-----END \1-----/.exec(pem);
  if (privateBlock) return createPrivateKey({ key: privateBlock[0], format: 'pem', passphrase });
  const cert = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(pem);
  if (!cert) throw new TypeError('the chain holds neither a certificate nor a private key');
  return createPublicKey(cert[0]);
}

function decodeSecret(value: string, encoding: 'raw' | 'base64'): Buffer {
  if (encoding === 'raw') return Buffer.from(value, 'utf8');
  const compact = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) throw new TypeError('the secret is not Base64 text');
  return Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

/** A secret KeyObject; empty secrets are accepted here so that the key-fit check reports them as weak. */
function secretKey(bytes: Buffer): KeyObject {
  return createSecretKey(bytes);
}

function jwkMetadata(jwk: Record<string, unknown>, source: string): Omit<KeyCandidate, 'key' | 'source'> {
  const out: Omit<KeyCandidate, 'key' | 'source'> = {};
  const kid = getOwn(jwk, 'kid');
  const alg = getOwn(jwk, 'alg');
  const use = getOwn(jwk, 'use');
  const ops = getOwn(jwk, 'key_ops');
  if (kid !== undefined) out.kid = typeof kid === 'string' ? kid : bad('"kid" must be a string');
  if (alg !== undefined) {
    if (typeof alg !== 'string' || !(isJwsAlg(alg) || isJweAlg(alg) || (contentEncryptions as readonly string[]).includes(alg))) {
      bad(`"alg" ${JSON.stringify(alg)} is not a registered algorithm`);
    }
    out.alg = alg as string;
  }
  if (use !== undefined) out.use = use === 'sig' || use === 'enc' ? use : bad('"use" must be "sig" or "enc"');
  if (ops !== undefined) {
    if (!Array.isArray(ops) || !ops.every((o) => typeof o === 'string')) bad('"key_ops" must be a list of strings');
    if (new Set(ops as string[]).size !== (ops as string[]).length) bad('"key_ops" repeats a value');
    out.keyOps = ops as string[];
  }
  return out;

  function bad(reason: string): never {
    return fail('ERR_JOSE_KEY_INVALID', { source, reason });
  }
}

/** The members node's JWK import reads (metadata stripped so it cannot confuse it). */
function plainJwk(jwk: Record<string, unknown>): JsonWebKey {
  const out: Record<string, unknown> = {};
  for (const name of ['kty', 'crv', 'x', 'y', 'd', 'n', 'e', 'p', 'q', 'dp', 'dq', 'qi']) {
    const v = getOwn(jwk, name);
    if (v !== undefined) out[name] = v;
  }
  return out;
}

/** A failure reason without data: node's crypto messages describe the problem, not the key. */
function safeReason(err: unknown): string {
  if (err instanceof TypeError && !('code' in err)) return err.message;
  if (err instanceof Error && 'code' in err) {
    const code = String(err.code);
    if (code === 'ERR_OSSL_BAD_DECRYPT' || /bad decrypt|passphrase/i.test(err.message)) return 'wrong passphrase';
    return `${code}: ${err.message.split('\n')[0]?.slice(0, 120) ?? ''}`;
  }
  return 'unreadable key material';
}
