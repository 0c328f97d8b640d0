// Conformance runner: RFC 7520 cookbook and Wycheproof JOSE vectors (test/fixtures/conformance/jose, see its README).
import { diffieHellman } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/core/json.js';
import { PlatformError } from '../../src/errors/index.js';
import { jweAlgorithms, jwsAlgorithms } from '../../src/connectors/jose/lib/algorithms.js';
import { importJwk } from '../../src/connectors/jose/lib/key-import.js';
import { fakeContext, prepareStep, runStep } from '../support/jose-fake-context.js';
import { cookbookNotApplicable, wycheproofOverrides } from './jose-exceptions.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const suite = resolve(repoRoot, 'test/fixtures/conformance/jose');
const readJson = (...parts: string[]): JsonObject => JSON.parse(readFileSync(join(suite, ...parts), 'utf8')) as JsonObject;
const b64u = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');

/** Runs a step like the engine would: load-time problems count as a (coded) rejection. */
async function attempt(params: JsonObject, now?: number): Promise<{ ok: true; out: JsonObject } | { ok: false; code: string }> {
  const { codes } = prepareStep(params);
  if (codes[0]) return { ok: false, code: codes[0] };
  try {
    return { ok: true, out: (await runStep(params, fakeContext(now === undefined ? {} : { now }))) as JsonObject };
  } catch (err) {
    if (err instanceof PlatformError) return { ok: false, code: err.code };
    throw err;
  }
}

const cookbookFiles = (dir: string): string[] => readdirSync(join(suite, 'cookbook', dir)).filter((f) => f.endsWith('.json')).map((f) => `${dir}/${f}`);
const jwsFiles = [...cookbookFiles('jws'), ...cookbookFiles('rfc7797'), 'curve25519/jws.json'];
const jweFiles = [...cookbookFiles('jwe'), 'curve25519/ecdh-es.json'];

/** Deterministic signatures (RS*, HS*, EdDSA) whose protected header the connector writes identically. */
const byteExact = new Set([
  'jws/4_1.rsa_v15_signature.json',
  'jws/4_4.hmac-sha2_integrity_protection.json',
  'jws/4_5.signature_with_detached_content.json',
  'curve25519/jws.json',
]);

describe('RFC 7520 cookbook: JWS', () => {
  it.each(jwsFiles)('%s', async (file) => {
    const ex = readJson('cookbook', file);
    const input = ex.input as JsonObject;
    const output = ex.output as JsonObject;
    const na = cookbookNotApplicable[file];
    // JSON serializations are refused by policy (compact only), whatever their content.
    for (const member of ['json', 'json_flat'] as const) {
      if (output[member] === undefined) continue;
      const token = JSON.stringify(output[member]);
      const algs = Array.isArray(input.alg) ? input.alg : [input.alg];
      const key = Array.isArray(input.key) ? input.key[0] : input.key;
      const r = await attempt({ operation: 'verify-jws', requireExp: false, algorithms: algs as string[], key: { jwk: key as JsonObject }, token });
      expect(r).toEqual({ ok: false, code: 'ERR_JOSE_TOKEN_FORMAT' });
    }
    if (typeof output.compact !== 'string') {
      expect(na?.reason, `${file} has no compact form and must be listed as not applicable`).toBeTruthy();
      return;
    }
    const key = input.key as JsonObject;
    const alg = input.alg as string;
    let token = output.compact;
    // RFC 7520 §4.5 detached content: the payload travels separately; re-attaching it is the caller's job.
    if (token.split('.')[1] === '') token = token.replace('..', `.${b64u(input.payload as string)}.`);
    const verified = await attempt({ operation: 'verify-jws', requireExp: false, algorithms: [alg], key: { jwk: key }, token });
    if (na) {
      expect(verified).toEqual({ ok: false, code: na.code });
      return;
    }
    expect(verified).toMatchObject({ ok: true, out: { verified: true, payload: input.payload } });
    // Generate for the same inputs; the connector's token verifies, and deterministic algorithms
    // reproduce the cookbook byte for byte when the protected header is the same.
    const gen = await attempt({ operation: 'generate-jws', algorithm: alg, key: { jwk: key }, payload: input.payload as string });
    expect(gen.ok).toBe(true);
    const jws = (gen as { out: JsonObject }).out.jws as string;
    expect(await attempt({ operation: 'verify-jws', requireExp: false, algorithms: [alg], key: { jwk: key }, token: jws })).toMatchObject({ ok: true, out: { payload: input.payload } });
    if (byteExact.has(file)) expect(jws).toBe(token);
  });
});

describe('RFC 7520 cookbook: JWE', () => {
  it.each(jweFiles)('%s', async (file) => {
    const ex = readJson('cookbook', file);
    const input = ex.input as JsonObject;
    const output = ex.output as JsonObject;
    const na = cookbookNotApplicable[file];
    const key: JsonObject = input.pwd !== undefined ? { kty: 'oct', k: b64u(input.pwd as string) } : ((Array.isArray(input.key) ? input.key[0] : input.key) as JsonObject);
    const algs = (Array.isArray(input.alg) ? input.alg : [input.alg]) as string[];
    const base = { operation: 'decode-jwe', algorithms: algs, key: { jwk: key }, allowPbes2: true, allowRsa1_5: true };
    for (const member of ['json', 'json_flat'] as const) {
      if (output[member] === undefined) continue;
      expect(await attempt({ ...base, token: JSON.stringify(output[member]) })).toEqual({ ok: false, code: 'ERR_JOSE_TOKEN_FORMAT' });
    }
    if (typeof output.compact !== 'string') {
      expect(na?.reason, `${file} has no compact form and must be listed as not applicable`).toBeTruthy();
      return;
    }
    const decrypted = await attempt({ ...base, token: output.compact });
    if (na) {
      expect(decrypted).toEqual({ ok: false, code: na.code });
      return;
    }
    expect(decrypted).toMatchObject({ ok: true, out: { payload: input.plaintext } });
    const enc = (ex.encrypting_content as JsonObject).protected as JsonObject;
    const gen = await attempt({ operation: 'generate-jwe', algorithm: algs[0] as string, encryption: enc.enc as string, key: { jwk: key }, payload: input.plaintext as string, allowPbes2: true, allowRsa1_5: true });
    expect(gen.ok).toBe(true);
    expect(await attempt({ ...base, token: (gen as { out: JsonObject }).out.jwe as string })).toMatchObject({ ok: true, out: { payload: input.plaintext } });
  });

  it('§6 nested: the signed-then-encrypted JWT verifies through verify-nested', async () => {
    const ex = readJson('cookbook', '6.nesting_signatures_and_encryption.json');
    const sign = ex.sign as JsonObject;
    const encrypt = ex.encrypt as JsonObject;
    const params = {
      operation: 'verify-nested', requireExp: false,
      algorithms: [(sign.input as JsonObject).alg as string],
      jweAlgorithms: [(encrypt.input as JsonObject).alg as string],
      key: { jwk: (sign.input as JsonObject).key as JsonObject },
      encryptionKey: { jwk: (encrypt.input as JsonObject).key as JsonObject },
      token: (encrypt.output as JsonObject).compact as string,
      issuer: 'hobbiton.example',
    };
    const claims = JSON.parse((sign.input as JsonObject).payload as string) as JsonObject;
    // The example expired in 2011: verify at a frozen time before its exp, then after it.
    const before = ((claims.exp as number) - 60) * 1000;
    expect(await attempt(params, before)).toMatchObject({ ok: true, out: { verified: true, claims, jweHeader: { cty: 'JWT' } } });
    expect(await attempt(params, before + 120_000)).toEqual({ ok: false, code: 'ERR_JOSE_TOKEN_EXPIRED' });
  });
});

type Case = JsonObject & { tcId: number; result: string; comment: string };
type Group = JsonObject & { tests: Case[]; private: JsonObject; public?: JsonObject; comment: string };
const groupsOf = (file: string): Group[] => readJson('wycheproof', file).testGroups as unknown as Group[];
const casesOf = (file: string): Array<[string, Case, Group]> =>
  groupsOf(file).flatMap((g) => g.tests.map((t): [string, Case, Group] => [`${t.tcId} ${g.comment} ${t.comment} (${t.result})`, t, g]));

/** JWK-set cases: the specific code each rejection must carry (the reason, not just "some error"). */
const jwkCodes: Record<number, string> = {
  1: 'ERR_JOSE_KEY_SET_INVALID', 4: 'ERR_JOSE_KEY_SET_INVALID', 7: 'ERR_JOSE_KEY_WEAK', 8: 'ERR_JOSE_KEY_WEAK',
  10: 'ERR_JOSE_KEY_WEAK', 11: 'ERR_JOSE_KEY_WEAK', 12: 'ERR_JOSE_KEY_WEAK', 17: 'ERR_JOSE_KEY_WEAK', 18: 'ERR_JOSE_KEY_WEAK',
  20: 'ERR_JOSE_KEY_INVALID', 21: 'ERR_JOSE_KEY_MISMATCH', 22: 'ERR_JOSE_KEY_INVALID', 24: 'ERR_JOSE_KEY_INVALID', 25: 'ERR_JOSE_KEY_MISMATCH',
};

/** The code (a regular expression) an invalid case must carry when its attack class has a dedicated one. */
function expectedCode(file: string, t: Case): string | undefined {
  const flags = (t.flags as string[] | undefined) ?? [];
  if (file === 'json_web_key_test.json') return jwkCodes[t.tcId];
  if (flags.includes('AlgIsNone')) return 'ERR_JOSE_ALG_NONE';
  if (flags.includes('JsonSerialization')) return 'ERR_JOSE_TOKEN_FORMAT';
  if (flags.includes('Pkcs15WithOaepKey') || flags.includes('WrongCipher')) return 'ERR_JOSE_KEY_MISMATCH';
  // The header names another algorithm than the key's (pinning), or the key's own with a foreign signature.
  if (flags.includes('WrongPrimitive')) return 'ERR_JOSE_(KEY_MISMATCH|SIGNATURE_INVALID)';
  if (flags.includes('ModifiedPkcs15Padding') || flags.includes('Pkcs5Padding')) return 'ERR_JOSE_DECRYPTION_FAILED';
  if (t.comment === 'rejectsAttackerProvidedEmbeddedJwk') return 'ERR_JOSE_KEY_REFERENCE_HEADER';
  if (t.comment.startsWith('rejectsSymmetryConfusionAttacks') || /^rejectWrong(Use|KeyOps)$/.test(t.comment)) return 'ERR_JOSE_KEY_MISMATCH';
  return undefined;
}

/** Asserts the Wycheproof verdict, or the documented override for an upstream labelling error. */
function expectVerdict(file: string, t: Case, r: Awaited<ReturnType<typeof attempt>>): void {
  const override = wycheproofOverrides[`${file}#${t.tcId}`];
  const expected = override?.expect ?? t.result;
  if (expected === 'skip') return;
  if (expected === 'valid') {
    expect(r, t.comment).toMatchObject({ ok: true });
    return;
  }
  const code = override?.code ?? expectedCode(file, t);
  expect(r.ok ? 'accepted' : (r as { code: string }).code, t.comment).toMatch(code ? new RegExp(`^${code}$`) : /^ERR_JOSE_/);
}

describe('Wycheproof files are read completely', () => {
  it.each(['json_web_signature_test.json', 'json_web_key_test.json', 'json_web_encryption_test.json', 'x25519_jwk_test.json', 'x448_jwk_test.json'])('%s', (file) => {
    expect(casesOf(file).length).toBe(readJson('wycheproof', file).numberOfTests);
    expect(casesOf(file).length).toBeGreaterThan(10);
  });
  it('the cookbook has the expected examples', () => {
    expect(jwsFiles.length).toBe(11);
    expect(jweFiles.length).toBe(14);
  });
});

// Every JWS algorithm is allowed: the key, not the token or the allow-list, must decide (key pinning).
const everyJws = [...jwsAlgorithms];
const everyJwe = [...jweAlgorithms];

describe('Wycheproof JsonWebSignature', () => {
  it.each(casesOf('json_web_signature_test.json'))('%s', async (_name, t, g) => {
    const key = g.public ?? g.private;
    const r = await attempt({ operation: 'verify-jws', requireExp: false, algorithms: everyJws, key: { jwk: key }, token: t.jws as string });
    expectVerdict('json_web_signature_test.json', t, r);
  });
});

describe('Wycheproof JsonWebKey', () => {
  it.each(casesOf('json_web_key_test.json'))('%s', async (_name, t, g) => {
    const key = g.public ?? g.private;
    const r = await attempt({ operation: 'verify-jws', requireExp: false, algorithms: everyJws, key: { jwk: key }, token: t.jws as string });
    expectVerdict('json_web_key_test.json', t, r);
  });
});

describe('Wycheproof JsonWebEncryption', () => {
  it.each(casesOf('json_web_encryption_test.json'))('%s', async (_name, t, g) => {
    const r = await attempt({
      operation: 'decode-jwe', algorithms: everyJwe, allowRsa1_5: true, allowPbes2: true,
      key: { jwk: g.private }, token: t.jwe as string,
    });
    expectVerdict('json_web_encryption_test.json', t, r);
    if (r.ok && t.result === 'valid') {
      const bytes = r.out.payload === null ? Buffer.from(r.out.payloadBase64 as string, 'base64url') : Buffer.from(r.out.payload as string, 'utf8');
      expect(bytes.toString('hex')).toBe(t.pt);
    }
  });
});

describe.each(['x25519_jwk_test.json', 'x448_jwk_test.json'])('Wycheproof XdhJwkComp %s (JWK import)', (file) => {
  it.each(casesOf(file))('%s', (_name, t) => {
    let shared: string | undefined;
    try {
      const pub = importJwk(t.public, 'public');
      const priv = importJwk(t.private, 'private');
      shared = diffieHellman({ publicKey: pub.key, privateKey: priv.key }).toString('hex');
    } catch {
      shared = undefined;
    }
    if (t.result === 'valid') expect(shared).toBe(t.shared);
    if (t.result === 'invalid') expect(shared).toBeUndefined();
    if (t.result === 'acceptable' && shared !== undefined) expect(shared).toBe(t.shared);
  });
});
