// Every row of the SPEC §6.3 table for API keys, Basic Auth, bearer tokens, scopes and allow-lists, end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addApiKey,
  addBasic,
  deleteConsumer,
  revokeApiKey,
  setEnabled,
} from '../../src/consumers/consumer-admin.js';
import { consumer, echoPipeline, eventually, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const pipelines: Record<string, string> = {
  'keyed.json': echoPipeline('keyed', { auth: { apiKey: true } }),
  'keyed-query.json': echoPipeline('keyed-query', { auth: { apiKey: true, apiKeyInQuery: true } }),
  'basic.json': echoPipeline('basic', { auth: { basicAuth: true } }),
  'either.json': echoPipeline('either', { auth: { apiKey: true, basicAuth: true } }),
  'token.json': echoPipeline('token', { auth: { jwt: true } }),
  'scoped.json': echoPipeline('scoped', { auth: { jwt: true, scopes: ['read', 'write'] } }),
  'any-scope.json': echoPipeline('any-scope', {
    auth: { jwt: true, scopes: ['read', 'write'], scopeMatch: 'any' },
  }),
  'both.json': echoPipeline('both', { auth: { apiKey: true, jwt: true } }),
  'key-scoped.json': echoPipeline('key-scoped', { auth: { apiKey: true, scopes: ['admin'] } }),
};

const UNAUTHORIZED = { message: 'Unauthorized' };
const INVALID_TOKEN = { message: 'Unauthorized', error: 'invalid_token' };
const FORBIDDEN = { message: 'Forbidden' };

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

describe('authentication error contract', () => {
  let h: Harness;
  let key: string;
  let limitedKey: string;
  const password = 'correct horse battery staple';

  async function token(consumerName: string, scopes: string[]): Promise<string> {
    const t = await h.gw.tokens.issue({
      consumer: consumerName,
      claims: { userID: 'u1' },
      scopes,
      pipeline: 'test',
      executionKey: 'test',
      sensitiveFields: [],
    });
    return t.token;
  }

  async function call(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: unknown; www: string | null }> {
    const res = await h.fetch(`/pipeline/local/v1/${path}`, { headers });
    return { status: res.status, body: await res.json(), www: res.headers.get('www-authenticate') };
  }

  beforeAll(async () => {
    h = await startHarness(pipelines);
    key = await consumer(h, 'acme', { scopes: ['read'] });
    limitedKey = await consumer(h, 'limited', { pipelines: ['token', 'keyed'] });
    await addBasic(h.consumers, 'acme', 'acme-user', password);
  });
  afterAll(async () => h?.close());

  describe('API key', () => {
    it('accepts the apikey header; the apikey query parameter only where the trigger opts in', async () => {
      expect((await call('keyed', { apikey: key })).status).toBe(200);
      // Off by default (issue 10 item 9): query strings end up in proxy logs and browser history.
      const refused = await h.fetch(`/pipeline/local/v1/keyed?apikey=${encodeURIComponent(key)}`);
      expect(refused.status).toBe(401);
      const viaQuery = await h.fetch(
        `/pipeline/local/v1/keyed-query?apikey=${encodeURIComponent(key)}&x=1`,
      );
      expect(viaQuery.status).toBe(200);
      const m = (await viaQuery.json()) as {
        queryAndPath: Record<string, unknown>;
        headers: Record<string, unknown>;
      };
      expect(m.queryAndPath).toEqual({ x: '1' });
    });

    it('does not pass the consumed API key on to the pipeline', async () => {
      const m = (await call('keyed', { apikey: key })).body as { headers: Record<string, unknown> };
      expect(m.headers.apikey).toBeUndefined();
    });

    it('answers 401 without WWW-Authenticate to a missing, unknown or revoked key', async () => {
      expect(await call('keyed')).toEqual({ status: 401, body: UNAUTHORIZED, www: null });
      expect(await call('keyed', { apikey: 'pg_aaaaaaaaaaaa_' + 'A'.repeat(43) })).toEqual({
        status: 401,
        body: UNAUTHORIZED,
        www: null,
      });
      expect(await call('keyed', { apikey: 'garbage' })).toEqual({
        status: 401,
        body: UNAUTHORIZED,
        www: null,
      });
      const extra = await addApiKey(h.consumers, 'acme');
      expect((await call('keyed', { apikey: extra.apiKey })).status).toBe(200);
      await revokeApiKey(h.consumers, 'acme', extra.keyId);
      await eventually(async () =>
        expect(await call('keyed', { apikey: extra.apiKey })).toEqual({
          status: 401,
          body: UNAUTHORIZED,
          www: null,
        }),
      );
    });

    it('answers 403 when the consumer is not allowed on the pipeline', async () => {
      expect(await call('keyed', { apikey: limitedKey })).toMatchObject({ status: 200 });
      expect(await call('either', { apikey: limitedKey })).toEqual({
        status: 403,
        body: FORBIDDEN,
        www: null,
      });
    });

    it('answers 403 when a key-only pipeline requires a scope the consumer does not hold', async () => {
      expect(await call('key-scoped', { apikey: key })).toEqual({
        status: 403,
        body: FORBIDDEN,
        www: null,
      });
    });

    it('refuses disabled and deleted consumers', async () => {
      const k = await consumer(h, 'short-lived');
      expect((await call('keyed', { apikey: k })).status).toBe(200);
      await setEnabled(h.consumers, 'short-lived', false);
      await eventually(async () =>
        expect(await call('keyed', { apikey: k })).toEqual({
          status: 401,
          body: UNAUTHORIZED,
          www: null,
        }),
      );
      await setEnabled(h.consumers, 'short-lived', true);
      await eventually(async () => expect((await call('keyed', { apikey: k })).status).toBe(200));
      await deleteConsumer(h.consumers, 'short-lived');
      await eventually(async () =>
        expect(await call('keyed', { apikey: k })).toEqual({
          status: 401,
          body: UNAUTHORIZED,
          www: null,
        }),
      );
    });
  });

  describe('Basic Auth', () => {
    const challenge = 'Basic realm="local"';

    it('accepts the username, and the realm-prefixed username of the reference platform', async () => {
      expect((await call('basic', { authorization: basic('acme-user', password) })).status).toBe(
        200,
      );
      expect(
        (await call('basic', { authorization: basic('local-acme-user', password) })).status,
      ).toBe(200);
    });

    it('answers 401 with the Basic challenge when missing, wrong, unknown or malformed', async () => {
      const expected = { status: 401, body: UNAUTHORIZED, www: challenge };
      expect(await call('basic')).toEqual(expected);
      expect(await call('basic', { authorization: basic('acme-user', 'wrong password!') })).toEqual(
        expected,
      );
      expect(await call('basic', { authorization: basic('nobody', password) })).toEqual(expected);
      expect(await call('basic', { authorization: 'Basic !!!' })).toEqual(expected);
      expect(
        await call('basic', { authorization: `Bearer ${await token('acme', ['read'])}` }),
      ).toEqual(expected);
    });

    it('accepts either credential when apiKey and basicAuth are both on', async () => {
      expect((await call('either', { apikey: key })).status).toBe(200);
      expect((await call('either', { authorization: basic('acme-user', password) })).status).toBe(
        200,
      );
      expect(await call('either')).toEqual({ status: 401, body: UNAUTHORIZED, www: challenge });
    });
  });

  describe('bearer tokens', () => {
    const bearer = 'Bearer realm="local"';
    const invalid = 'Bearer realm="local", error="invalid_token"';

    it('answers 401 without an error code when the token is missing', async () => {
      expect(await call('token')).toEqual({ status: 401, body: UNAUTHORIZED, www: bearer });
    });

    it('answers 401 invalid_token to malformed and garbage tokens', async () => {
      const expected = { status: 401, body: INVALID_TOKEN, www: invalid };
      expect(await call('token', { authorization: 'Bearer not.a.token' })).toEqual(expected);
      expect(await call('token', { authorization: 'Bearer x' })).toEqual(expected);
      const good = await token('acme', ['read']);
      expect(await call('token', { authorization: `Bearer ${good.slice(0, -5)}` })).toEqual(
        expected,
      );
    });

    it('passes a valid token and exposes metadata.auth to the pipeline', async () => {
      const r = await call('token', { authorization: `Bearer ${await token('acme', ['read'])}` });
      expect(r.status).toBe(200);
      expect(
        (r.body as { headers: Record<string, unknown> }).headers.authorization,
      ).toBeUndefined();
    });

    it('answers 403 insufficient_scope with the required scopes, honouring scopeMatch', async () => {
      const readOnly = `Bearer ${await token('acme', ['read'])}`;
      expect(await call('scoped', { authorization: readOnly })).toEqual({
        status: 403,
        body: { message: 'Forbidden', error: 'insufficient_scope' },
        www: 'Bearer realm="local", error="insufficient_scope", scope="read write"',
      });
      expect((await call('any-scope', { authorization: readOnly })).status).toBe(200);
    });

    it('answers 403 when the token consumer is not allowed on the pipeline', async () => {
      const t = `Bearer ${await token('limited', [])}`;
      expect((await call('token', { authorization: t })).status).toBe(200);
      expect(await call('scoped', { authorization: t })).toEqual({
        status: 403,
        body: FORBIDDEN,
        www: null,
      });
    });

    it('requires both the API key and the token when both are on, from the same consumer', async () => {
      const t = `Bearer ${await token('acme', ['read'])}`;
      expect((await call('both', { apikey: key, authorization: t })).status).toBe(200);
      expect(await call('both', { authorization: t })).toEqual({
        status: 401,
        body: UNAUTHORIZED,
        www: null,
      });
      expect(await call('both', { apikey: key })).toEqual({
        status: 401,
        body: UNAUTHORIZED,
        www: bearer,
      });
      const other = `Bearer ${await token('limited', [])}`;
      expect(await call('both', { apikey: key, authorization: other })).toEqual({
        status: 401,
        body: INVALID_TOKEN,
        www: invalid,
      });
    });

    it('refuses a revoked token on the next request', async () => {
      const issued = await h.gw.tokens.issue({
        consumer: 'acme',
        claims: {},
        scopes: [],
        pipeline: 'test',
        executionKey: 'test',
        sensitiveFields: [],
      });
      expect((await call('token', { authorization: `Bearer ${issued.token}` })).status).toBe(200);
      await h.gw.tokens.revoke({ jti: issued.jti });
      expect(await call('token', { authorization: `Bearer ${issued.token}` })).toEqual({
        status: 401,
        body: INVALID_TOKEN,
        www: invalid,
      });
    });
  });

  it('records one usage event per decision with the precise reason and no secret', async () => {
    await h.gw.usage.flush();
    const events = await h.gw.store.usage.query(h.gw.environment, { limit: 10000 });
    const reasons = new Set(events.map((e) => e.reason));
    for (const r of [
      'missing',
      'unknown_key',
      'revoked_key',
      'wrong_password',
      'unknown_user',
      'malformed',
      'insufficient_scope',
      'pipeline_not_allowed',
      'consumer_mismatch',
      'revoked',
      'consumer_disabled',
    ]) {
      expect(reasons, r).toContain(r);
    }
    const allowed = events.find((e) => e.outcome === 'allowed' && e.credentialKind === 'jwt');
    expect(allowed).toMatchObject({
      kind: 'auth',
      consumer: 'acme',
      status: 200,
      pipeline: expect.any(String),
      route: expect.any(String),
    });
    expect(allowed?.jti).toMatch(/.+/);
    expect(allowed?.executionKey).toMatch(/^[0-9a-f-]{36}$/);
    const text = JSON.stringify(events);
    expect(text).not.toContain(key);
    expect(text).not.toContain(password);
  });
});
