// TokenService against a real SQLite store: minting rules, verification reasons, revocation, rotation, JWKS.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { isPlatformError } from '../../src/errors/index.js';
import { issueReq, ISSUER, makeFixture, type Fixture } from './support.js';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => {
  await f.close();
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isPlatformError(err)) return err.code;
    throw err;
  }
  return 'no error';
}

describe('issue', () => {
  it('mints an RFC 9068 token with the compatible claims and verifies it', async () => {
    const t = await f.tokens.issue(issueReq({ scopes: ['read', 'write'] }));
    const header = decodeProtectedHeader(t.token);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
    expect(typeof header.kid).toBe('string');
    const claims = decodeJwt(t.token);
    const nowSec = f.clock.now() / 1000;
    expect(claims).toEqual({
      iss: ISSUER,
      sub: 'alice',
      aud: 'local:test',
      client_id: 'alice',
      iat: nowSec,
      exp: nowSec + 900,
      jti: t.jti,
      scope: 'read write',
      consumer_name: 'alice',
      consumer_id: (await f.store.consumers.getByName('test', 'alice'))!.id,
      realm: 'local',
      scopes: ['read', 'write'],
      userID: 42,
      role: 'admin',
    });
    expect(t.expiresIn).toBe(900);
    const v = await f.tokens.verify(t.token);
    expect(v).toMatchObject({
      ok: true,
      consumer: 'alice',
      subject: 'alice',
      scopes: ['read', 'write'],
      jti: t.jti,
    });
  });

  it('mints time-ordered jtis (UUID v7 of the issuing millisecond), distinct for one millisecond', async () => {
    const a = await f.tokens.issue(issueReq());
    const b = await f.tokens.issue(issueReq());
    f.clock.advance(1500);
    const c = await f.tokens.issue(issueReq());
    const v7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const t of [a, b, c]) expect(t.jti).toMatch(v7);
    expect(a.jti).not.toBe(b.jti);
    const ms = (jti: string): number => parseInt(jti.replace(/-/g, '').slice(0, 12), 16);
    expect(ms(a.jti)).toBe(f.clock.now() - 1500);
    expect(ms(c.jti)).toBe(f.clock.now());
    expect(c.jti > a.jti && c.jti > b.jti).toBe(true);
  });

  it('refuses sensitive field names at any depth, normalised, from all three lists', async () => {
    expect(await codeOf(f.tokens.issue(issueReq({ claims: { user: { Pass_Word: 'x' } } })))).toBe(
      'ERR_JWT_SENSITIVE_CLAIM',
    );
    expect(await codeOf(f.tokens.issue(issueReq({ claims: { list: [{ 'api-key': 1 }] } })))).toBe(
      'ERR_JWT_SENSITIVE_CLAIM',
    );
    expect(
      await codeOf(f.tokens.issue(issueReq({ claims: { cpf: '1' }, sensitiveFields: ['CPF'] }))),
    ).toBe('ERR_JWT_SENSITIVE_CLAIM');
    const strict = await f.service({ sensitiveFields: ['internal_id'] });
    expect(await codeOf(strict.issue(issueReq({ claims: { InternalId: 1 } })))).toBe(
      'ERR_JWT_SENSITIVE_CLAIM',
    );
    await f.tokens.issue(issueReq({ claims: { cpf: '1' } }));
  });

  it('names the offending field path in the error', async () => {
    const err = await f.tokens
      .issue(issueReq({ claims: { a: { b: [{ secret: 1 }] } } }))
      .catch((e: unknown) => e);
    expect((err as Error).message).toContain('a.b[0].secret');
  });

  it('refuses registered claim names instead of overriding them', async () => {
    for (const claim of [
      'iss',
      'sub',
      'aud',
      'exp',
      'nbf',
      'iat',
      'jti',
      'scope',
      'client_id',
      'consumer_name',
      'realm',
      'scopes',
      'EXP',
    ]) {
      expect(await codeOf(f.tokens.issue(issueReq({ claims: { [claim]: 1 } }))), claim).toBe(
        'ERR_JWT_RESERVED_CLAIM',
      );
    }
  });

  it('applies the default lifetime, the policy cap, the 365-day maximum and rejects ≤ 0', async () => {
    expect(await codeOf(f.tokens.issue(issueReq({ lifetimeMs: 0 })))).toBe(
      'ERR_JWT_LIFETIME_INVALID',
    );
    expect(await codeOf(f.tokens.issue(issueReq({ lifetimeMs: -5 })))).toBe(
      'ERR_JWT_LIFETIME_INVALID',
    );
    expect(await codeOf(f.tokens.issue(issueReq({ lifetimeMs: 1.5 })))).toBe(
      'ERR_JWT_LIFETIME_INVALID',
    );
    expect(await codeOf(f.tokens.issue(issueReq({ lifetimeMs: 86_400_001 })))).toBe(
      'ERR_JWT_LIFETIME_EXCEEDS_POLICY',
    );
    const lax = await f.service({ maxTokenLifetimeMs: 400 * 86_400_000 });
    expect(await codeOf(lax.issue(issueReq({ lifetimeMs: 366 * 86_400_000 })))).toBe(
      'ERR_JWT_LIFETIME_INVALID',
    );
    expect((await lax.issue(issueReq({ lifetimeMs: 365 * 86_400_000 }))).expiresIn).toBe(
      365 * 86_400,
    );
    expect((await f.tokens.issue(issueReq({ lifetimeMs: 60_000 }))).expiresIn).toBe(60);
  });

  it('enforces the consumer scope ceiling and scope syntax', async () => {
    expect(await codeOf(f.tokens.issue(issueReq({ scopes: ['admin'] })))).toBe(
      'ERR_JWT_SCOPE_NOT_ALLOWED',
    );
    expect(await codeOf(f.tokens.issue(issueReq({ scopes: ['a b'] })))).toBe(
      'ERR_JWT_SCOPE_INVALID',
    );
    expect(
      (await f.tokens.issue(issueReq({ consumer: 'bob', scopes: ['anything'] }))).scopes,
    ).toEqual(['anything']);
    expect(await codeOf(f.tokens.issue(issueReq({ consumer: 'nobody' })))).toBe(
      'ERR_JWT_CONSUMER_UNKNOWN',
    );
  });

  it('records an issued usage event without the token', async () => {
    const t = await f.tokens.issue(issueReq());
    await f.usage.flush();
    const events = await f.store.usage.query('test', { jti: t.jti });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      kind: 'issued',
      outcome: 'allowed',
      consumer: 'alice',
      pipeline: 'auth-login',
      executionKey: 'exec-1',
      scopes: ['read'],
      exp: t.exp,
    });
    expect(JSON.stringify(events)).not.toContain(t.token.split('.')[2]);
  });
});

describe('verify', () => {
  it('gives precise reasons for missing, garbage, truncated and tampered tokens', async () => {
    const t = await f.tokens.issue(issueReq());
    expect(await f.tokens.verify(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(await f.tokens.verify('garbage')).toEqual({ ok: false, reason: 'malformed' });
    expect(await f.tokens.verify(t.token.slice(0, -10))).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(await f.tokens.verify(t.token.split('.').slice(0, 2).join('.'))).toEqual({
      ok: false,
      reason: 'malformed',
    });
    const [h, p, s] = t.token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, scopes: ['admin'] })).toString(
      'base64url',
    );
    expect(await f.tokens.verify(`${h}.${forged}.${s}`)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('expired, not yet valid (beyond leeway), and within leeway', async () => {
    const t = await f.tokens.issue(issueReq({ lifetimeMs: 60_000 }));
    f.clock.advance(-20_000);
    expect((await f.tokens.verify(t.token)).ok).toBe(true);
    f.clock.advance(-20_000);
    expect(await f.tokens.verify(t.token)).toMatchObject({ ok: false, reason: 'not_yet_valid' });
    f.clock.advance(40_000 + 59_999);
    expect((await f.tokens.verify(t.token)).ok).toBe(true);
    f.clock.advance(1);
    expect(await f.tokens.verify(t.token)).toMatchObject({ ok: false, reason: 'token_expired' });
  });

  it('revocation by jti, consumer and time takes effect on the next call', async () => {
    const a = await f.tokens.issue(issueReq());
    const b = await f.tokens.issue(issueReq({ consumer: 'bob', scopes: [] }));
    expect((await f.tokens.verify(a.token)).ok).toBe(true);
    await f.tokens.revoke({ jti: a.jti });
    expect(await f.tokens.verify(a.token)).toMatchObject({ ok: false, reason: 'revoked' });
    expect((await f.tokens.verify(b.token)).ok).toBe(true);
    f.clock.advance(1000);
    await f.tokens.revoke({ consumer: 'bob' });
    expect(await f.tokens.verify(b.token)).toMatchObject({ ok: false, reason: 'revoked' });
    f.clock.advance(1000);
    const c = await f.tokens.issue(issueReq({ consumer: 'bob', scopes: [] }));
    expect((await f.tokens.verify(c.token)).ok).toBe(true);
    f.clock.advance(1000);
    await f.tokens.revoke({ before: f.clock.now() });
    expect(await f.tokens.verify(c.token)).toMatchObject({ ok: false, reason: 'revoked' });
    expect(await codeOf(f.tokens.revoke({}))).toBe('ERR_JWT_REVOKE_TARGET');
    expect(await codeOf(f.tokens.revoke({ jti: 'x', consumer: 'y' }))).toBe(
      'ERR_JWT_REVOKE_TARGET',
    );
  });

  it('another service on the same store sees a revocation after refresh', async () => {
    const other = await f.service();
    const t = await f.tokens.issue(issueReq());
    expect((await other.verify(t.token)).ok).toBe(true);
    await f.tokens.revoke({ jti: t.jti });
    await other.refresh();
    expect(await other.verify(t.token)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('a token of another environment or issuer is refused', async () => {
    const t = await f.tokens.issue(issueReq());
    await f.store.consumers.create('prod', { name: 'alice' });
    const prod = await f.service({ environment: 'prod' });
    const r = await prod.verify(t.token);
    expect(r).toEqual({ ok: false, reason: 'unknown_kid' });
    const otherIssuer = await f.service({ issuer: 'https://elsewhere/realms/local' });
    expect(await otherIssuer.verify(t.token)).toMatchObject({ ok: false, reason: 'wrong_issuer' });
  });

  it('disabled and deleted consumers', async () => {
    const t = await f.tokens.issue(issueReq());
    const alice = (await f.store.consumers.getByName('test', 'alice'))!;
    await f.store.consumers.update('test', alice.id, { enabled: false });
    await f.tokens.refresh();
    expect(await f.tokens.verify(t.token)).toMatchObject({
      ok: false,
      reason: 'consumer_disabled',
    });
    await f.store.consumers.delete('test', alice.id);
    await f.tokens.refresh();
    expect(await f.tokens.verify(t.token)).toMatchObject({ ok: false, reason: 'consumer_unknown' });
  });
});

describe('keys', () => {
  it('publishes active and retiring public keys and an RFC 8414 document', async () => {
    const jwks = await f.tokens.jwks();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(f.tokens.metadataDocument('http://h:1/')).toMatchObject({
      issuer: ISSUER,
      jwks_uri: 'http://h:1/.well-known/jwks.json',
    });
  });

  it('creates the key once: a second service reuses it', async () => {
    const other = await f.service();
    expect(await other.jwks()).toEqual(await f.tokens.jwks());
  });
});
