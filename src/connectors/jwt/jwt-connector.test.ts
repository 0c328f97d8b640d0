// jwt connector through the engine: generate/decode/revoke shapes, tokenIn, expressions, failure outputs.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { loadPipelineText } from '../../core/loader/index.js';
import { runPipeline } from '../../core/engine/index.js';
import type { AuthInfo } from '../../core/step-context.js';
import type { JsonValue } from '../../core/json.js';
import { defaultRegistry } from '../index.js';
import { makeFixture, type Fixture } from '../../../test/tokens/support.js';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => {
  await f.close();
});

const alice: AuthInfo = {
  method: 'apiKey',
  consumer: 'alice',
  scopes: [],
  claims: null,
  credentialId: 'k1',
};

function pipeline(step: string, extra = ''): ReturnType<typeof loadPipelineText> {
  const text = `name: login\nversion: "1.0"\n${extra}steps:\n  - type: jwt\n${step.replace(/^/gm, '    ')}\n`;
  return loadPipelineText('login.yaml', text, { registry: defaultRegistry });
}

async function run(
  step: string,
  message: JsonValue,
  opts: { auth?: AuthInfo | null; bearer?: string; extra?: string } = {},
) {
  return runPipeline(pipeline(step, opts.extra), {
    message,
    host: { tokens: f.tokens },
    auth: opts.auth === undefined ? alice : opts.auth,
    request: opts.bearer ? { bearerToken: opts.bearer } : {},
    environment: 'test',
    realm: 'local',
  });
}

describe('jwt generate', () => {
  it('puts the token in the Authorization header by default and outputs {status: logged}', async () => {
    const r = await run('operation: generate\nscopes: "read, write"', { userID: 7 });
    expect(r.status).toBe('success');
    expect(r.output).toEqual({ status: 'logged' });
    expect(r.responseHeaders['Access-Control-Expose-Headers']).toBe('Authorization');
    const token = r.responseHeaders.Authorization!.replace(/^Bearer /, '');
    expect(decodeJwt(token)).toMatchObject({
      userID: 7,
      client_id: 'alice',
      scopes: ['read', 'write'],
      scope: 'read write',
    });
  });

  it('tokenIn body and both; expirationMs and subject from expressions', async () => {
    const body = await run(
      'tokenIn: body\nexpirationMs: "{{ message.ttl }}"\nsubject: "{{ message.user }}"',
      { ttl: 60000, user: 'u-1' },
    );
    expect(body.output).toMatchObject({ status: 'logged', token_type: 'Bearer', expires_in: 60 });
    expect(body.responseHeaders.Authorization).toBeUndefined();
    expect(decodeJwt((body.output as { access_token: string }).access_token)).toMatchObject({
      sub: 'u-1',
      ttl: 60000,
    });
    const both = await run('tokenIn: both', {});
    expect(both.responseHeaders.Authorization).toBe(
      `Bearer ${(both.output as { access_token: string }).access_token}`,
    );
  });

  it('records the issuance with the execution key', async () => {
    const r = await run('scopes: read', {});
    await f.usage.flush();
    const [event] = await f.store.usage.query('test', { consumer: 'alice', kind: 'issued' });
    expect(event).toMatchObject({
      executionKey: r.executionKey,
      pipeline: 'login',
      scopes: ['read'],
    });
  });

  it('failOnError false (default) outputs {error, code, success: false}', async () => {
    expect((await run('scopes: admin', {})).output).toEqual({
      error: 'Scope "admin" is outside the scope ceiling of consumer "alice"',
      code: 403,
      success: false,
    });
    expect((await run('scopes: read', { password: 'x' })).output).toMatchObject({
      code: 400,
      success: false,
    });
    expect((await run('scopes: read', { exp: 1 })).output).toMatchObject({
      code: 400,
      success: false,
    });
    expect((await run('expirationMs: 0', {})).output).toMatchObject({ code: 400, success: false });
    expect((await run('expirationMs: 999999999', {})).output).toMatchObject({
      code: 400,
      success: false,
    });
    expect((await run('scopes: read', {}, { auth: null })).output).toMatchObject({
      code: 401,
      success: false,
    });
    expect((await run('scopes: read', [1])).output).toMatchObject({ code: 400, success: false });
  });

  it('honours the pipeline sensitiveFields; failOnError true stops with the code', async () => {
    const r = await run('failOnError: true', { cpf: '123' }, { extra: 'sensitiveFields: [cpf]\n' });
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('ERR_JWT_SENSITIVE_CLAIM');
  });

  it('without a token service the failure is coded', async () => {
    const r = await runPipeline(pipeline('failOnError: true'), { message: {}, auth: alice });
    expect(r.error?.code).toBe('ERR_JWT_SERVICE_UNAVAILABLE');
  });
});

describe('jwt decode and revoke', () => {
  it('decode outputs the verified claims; an invalid or missing token fails with 401', async () => {
    const t = await f.tokens.issue({
      consumer: 'alice',
      claims: { role: 'r' },
      scopes: ['read'],
      pipeline: 'p',
      executionKey: 'e',
      sensitiveFields: [],
    });
    const r = await run('operation: decode', {}, { bearer: t.token });
    expect(r.output).toMatchObject({
      body: { dataToken: { role: 'r', jti: t.jti, client_id: 'alice' } },
    });
    expect((await run('operation: decode', {}, { bearer: `${t.token}x` })).output).toEqual({
      error: 'The bearer token is invalid',
      code: 401,
      success: false,
    });
    expect((await run('operation: decode', {})).output).toMatchObject({
      code: 401,
      success: false,
    });
  });

  it('revoke revokes the current token (idempotently) or a jti from an expression', async () => {
    const t = await f.tokens.issue({
      consumer: 'alice',
      claims: {},
      scopes: [],
      pipeline: 'p',
      executionKey: 'e',
      sensitiveFields: [],
    });
    expect((await run('operation: revoke', {}, { bearer: t.token })).output).toEqual({
      status: 'revoked',
      jti: t.jti,
    });
    expect(await f.tokens.verify(t.token)).toEqual({
      ok: false,
      reason: 'revoked',
      jti: t.jti,
      consumer: 'alice',
    });
    expect((await run('operation: revoke', {}, { bearer: t.token })).output).toEqual({
      status: 'revoked',
    });
    const u = await f.tokens.issue({
      consumer: 'alice',
      claims: {},
      scopes: [],
      pipeline: 'p',
      executionKey: 'e',
      sensitiveFields: [],
    });
    expect((await run('operation: revoke\njti: "{{ message.id }}"', { id: u.jti })).output).toEqual(
      { status: 'revoked', jti: u.jti },
    );
    expect((await f.tokens.verify(u.token)).ok).toBe(false);
  });
});
