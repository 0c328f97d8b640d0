// The examples/jwt-auth flow end to end, then a scan of logs, bodies and usage records for every secret used.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBasic } from '../../src/consumers/consumer-admin.js';
import { consumer, echoPipeline, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const examples = resolve(import.meta.dirname, '../../examples/jwt-auth');

describe('JWT flow of examples/jwt-auth', () => {
  let h: Harness;
  const secrets: string[] = [];
  const bodies: string[] = [];
  const password = 'a basic password that must not leak';

  async function req(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await h.fetch(path, init);
    bodies.push(await res.clone().text());
    return res;
  }

  beforeAll(async () => {
    const files: Record<string, string> = {
      'basic-echo.json': echoPipeline('basic-echo', { auth: { basicAuth: true } }),
    };
    for (const f of await readdir(examples)) files[f] = await readFile(join(examples, f), 'utf8');
    h = await startHarness(files);
  });
  afterAll(async () => h?.close());

  it('logs in with an API key, calls the protected service with the token, logs out', async () => {
    const apiKey = await consumer(h, 'demo', { scopes: ['read', 'write'] });
    secrets.push(apiKey);
    const login = await req('/auth', {
      method: 'POST',
      headers: { apikey: apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ userID: 'u-42', role: 'admin', password: 'user-password-123' }),
    });
    expect(login.status).toBe(200);
    expect(await login.json()).toEqual({ status: 'logged' });
    const authz = login.headers.get('authorization') ?? '';
    expect(authz).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(login.headers.get('access-control-expose-headers')).toContain('Authorization');
    const token = authz.slice('Bearer '.length);
    secrets.push(token, 'user-password-123');
    const claims = JSON.parse(
      Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'),
    ) as Record<string, unknown>;
    expect(claims).toMatchObject({
      userID: 'u-42',
      role: 'admin',
      scope: 'read write',
      client_id: 'demo',
    });
    expect(JSON.stringify(claims)).not.toContain('user-password-123');

    const service = await req('/protected-resource', { headers: { authorization: authz } });
    expect(service.status).toBe(200);
    expect(await service.json()).toMatchObject({
      consumer: 'demo',
      userID: 'u-42',
      role: 'admin',
      scopes: ['read', 'write'],
    });
    expect((await req('/protected-resource')).status).toBe(401);

    const viewer = await req('/auth', {
      method: 'POST',
      headers: { apikey: apiKey, 'content-type': 'application/json' },
      body: '{"userID":"v","role":"viewer"}',
    });
    const viewerClaims = JSON.parse(
      Buffer.from((viewer.headers.get('authorization') ?? '').split('.')[1]!, 'base64url').toString(
        'utf8',
      ),
    ) as { scope: string };
    expect(viewerClaims.scope).toBe('read');
    secrets.push((viewer.headers.get('authorization') ?? '').slice(7));

    expect(
      (await req('/logout', { method: 'POST', headers: { authorization: authz } })).status,
    ).toBe(200);
    const after = await req('/protected-resource', { headers: { authorization: authz } });
    expect(after.status).toBe(401);
    expect(await after.json()).toEqual({ message: 'Unauthorized', error: 'invalid_token' });
    expect(
      (
        await req('/auth', {
          method: 'POST',
          headers: { apikey: 'pg_wrongwrongwr_' + 'x'.repeat(43) },
        })
      ).status,
    ).toBe(401);
  });

  it('exercises Basic Auth with right and wrong passwords', async () => {
    await addBasic(h.consumers, 'demo', 'demo-user', password);
    secrets.push(password);
    const ok = await req('/pipeline/local/v1/basic-echo', {
      headers: {
        authorization: `Basic ${Buffer.from(`demo-user:${password}`).toString('base64')}`,
      },
    });
    expect(ok.status).toBe(200);
    const bad = await req('/pipeline/local/v1/basic-echo', {
      headers: {
        authorization: `Basic ${Buffer.from(`demo-user:${password}x`).toString('base64')}`,
      },
    });
    expect(bad.status).toBe(401);
  });

  it('writes a log line with the execution key of the login', async () => {
    const line = h.logs.find((l) => l.includes('token issued for u-42'));
    expect(line).toBeDefined();
    const parsed = JSON.parse(line!) as { executionKey: string; msg: string };
    expect(parsed.msg).toContain(parsed.executionKey);
  });

  it('never shows a secret in logs, response bodies or usage records', async () => {
    await h.gw.usage.flush();
    const usage = JSON.stringify(await h.gw.store.usage.query(h.gw.environment, { limit: 10000 }));
    const issued = await h.gw.store.usage.query(h.gw.environment, { kind: 'issued' });
    expect(issued.length).toBeGreaterThanOrEqual(2);
    const executions = JSON.stringify(
      await h.gw.store.executions.query(h.gw.environment, { limit: 10000 }),
    );
    const haystacks = { logs: h.logs.join('\n'), bodies: bodies.join('\n'), usage, executions };
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    for (const secret of secrets) {
      for (const [where, text] of Object.entries(haystacks)) {
        expect(text.includes(secret), `a secret leaked into ${where}`).toBe(false);
        // Also no long fragment (e.g. a token without its signature).
        expect(text.includes(secret.slice(0, 40)), `a secret prefix leaked into ${where}`).toBe(
          false,
        );
      }
    }
  });
});
