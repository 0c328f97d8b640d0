// pipegate.yaml reaches the running gateway: the realm token policy and the default rate limit.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayOptionsFrom, loadConfig } from '../../src/config/index.js';
import type { GatewayOptions } from '../../src/gateway/index.js';
import { projectFiles } from '../../src/cli/scaffold/project-files.js';
import { consumer, echoPipeline, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const files = projectFiles('policy');
const login = files.get('pipelines/auth-login.yaml')!;

async function optionsFrom(yaml: string): Promise<GatewayOptions> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-policy-'));
  writeFileSync(join(dir, 'pipegate.yaml'), yaml);
  return gatewayOptionsFrom(await loadConfig({ cwd: dir, env: {} })) as GatewayOptions;
}

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

async function loginAs(h: Harness, key: string, body: Record<string, unknown>): Promise<Response> {
  return h.fetch('/auth', { method: 'POST', headers: { apikey: key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('pipegate.yaml in the gateway', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    const options = await optionsFrom(`
tokenPolicy:
  defaultLifetimeMs: 120000
  signingAlgorithm: EdDSA
  sensitiveFields: [employeeId]
rateLimits:
  default:
    limits: [{ interval: minute, limit: 2 }]
`);
    h = await startHarness({ 'login.yaml': login, 'open.json': echoPipeline('open', { routes: ['/open'], removePrefix: true }), 'limited.json': echoPipeline('limited', { routes: ['/limited'], removePrefix: true, rateLimit: { limits: [{ interval: 'minute', limit: 5 }] } }) }, options);
    key = await consumer(h, 'app');
  });
  afterAll(async () => h?.close());

  it('mints tokens with the configured default lifetime and signing algorithm', async () => {
    const res = await loginAs(h, key, { userID: 'u-1', role: 'viewer' });
    expect(res.status).toBe(200);
    const token = res.headers.get('authorization')!.slice('Bearer '.length);
    const c = claims(token);
    expect((c.exp as number) - (c.iat as number)).toBe(120);
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')).alg).toBe('EdDSA');
  });

  it('refuses the realm policy’s sensitive fields in tokens', async () => {
    const res = await loginAs(h, key, { userID: 'u-1', role: { employeeId: 7 } });
    expect(res.headers.get('authorization')).toBeNull();
    expect(JSON.stringify(await res.json())).toContain('employeeId');
  });

  it('applies the default rate limit to triggers without their own, and leaves the others alone', async () => {
    const open = [];
    for (let i = 0; i < 3; i++) open.push((await h.fetch('/open')).status);
    expect(open).toEqual([200, 200, 429]);
    const limited = [];
    for (let i = 0; i < 3; i++) limited.push((await h.fetch('/limited')).status);
    expect(limited).toEqual([200, 200, 200]);
  });
});
