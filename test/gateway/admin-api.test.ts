// The admin API: admin Basic credential required; deploy, list, rollback, undeploy, consumers; reserved routes.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ensureAdmin } from '../../src/gateway/first-start.js';
import { consumer, echoPipeline, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const orders = (version: string): string =>
  JSON.stringify({
    name: 'orders',
    version,
    trigger: { type: 'rest' },
    steps: [{ type: 'json-generator', json: { version } }],
  });

describe('admin API', () => {
  let h: Harness;
  let auth: string;
  // The admin API is served on its own listener (issue 10 item 6).
  const admin = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${h.gw.adminUrl}/admin${path}`, {
      ...init,
      headers: { authorization: auth, ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    h = await startHarness({});
    const cred = await ensureAdmin(h.gw.store);
    auth = `Basic ${Buffer.from(`${cred!.username}:${cred!.password}`).toString('base64')}`;
    expect(await ensureAdmin(h.gw.store)).toBeNull();
  });
  afterAll(async () => h?.close());

  it('refuses requests without the admin credential', async () => {
    const none = await fetch(`${h.gw.adminUrl}/admin/deployments`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Basic realm="pipegate-admin"');
    expect(await none.json()).toEqual({ message: 'Unauthorized' });
    const wrong = await fetch(`${h.gw.adminUrl}/admin/deployments`, {
      headers: { authorization: `Basic ${Buffer.from('admin:nope-nope-nope').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
  });

  it('deploys, lists, rolls back and undeploys, served at once', async () => {
    const first = await admin('/deployments?file=orders.json', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: orders('1.0'),
    });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      deployed: { name: 'orders', version: '1.0', paths: ['/pipeline/local/v1/orders'] },
    });
    expect(await (await h.fetch('/pipeline/local/v1/orders')).json()).toEqual({ version: '1.0' });
    await admin('/deployments?file=orders.json', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: orders('1.1'),
    });
    expect(await (await h.fetch('/pipeline/local/v1/orders')).json()).toEqual({ version: '1.1' });
    const list = (await (await admin('/deployments')).json()) as {
      deployments: { version: string }[];
    };
    expect(list.deployments.map((d) => d.version)).toEqual(['1.1']);
    const rollback = await admin('/deployments/orders/1/rollback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(rollback.status).toBe(200);
    expect(await (await h.fetch('/pipeline/local/v1/orders')).json()).toEqual({ version: '1.0' });
    expect((await admin('/deployments/orders/1', { method: 'DELETE' })).status).toBe(200);
    expect((await h.fetch('/pipeline/local/v1/orders')).status).toBe(404);
    const again = await admin('/deployments/orders/1', { method: 'DELETE' });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ code: 'ERR_GATEWAY_NOT_DEPLOYED' });
  });

  it('answers an invalid pipeline with 400 and the validation issues', async () => {
    const res = await admin('/deployments?file=bad.yaml', {
      method: 'POST',
      headers: { 'content-type': 'application/yaml' },
      body: 'name: Bad\nversion: "1.0"\nsteps: []\n',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      code: string;
      issues: { file: string; code: string; line?: number }[];
    };
    expect(body.code).toBe('ERR_PIPELINE_INVALID');
    expect(body.issues.length).toBeGreaterThan(0);
    expect(body.issues[0]).toMatchObject({ file: 'bad.yaml' });
  });

  it('refuses pipeline routes under the gateway own paths', async () => {
    const res = await admin('/deployments?file=x.json', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: echoPipeline('sneaky', { routes: ['/admin/deployments'], removePrefix: true }),
    });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ code: 'ERR_GATEWAY_ROUTE_RESERVED' });
  });

  it('serves the CLI --server mode (deploy, list, rollback, undeploy, invalid files)', async () => {
    const password = Buffer.from(auth.slice(6), 'base64').toString('utf8').split(':')[1]!;
    const run = async (...args: string[]): Promise<{ code: number; out: string; err: string }> => {
      const out: string[] = [];
      const err: string[] = [];
      const env = { PIPEGATE_ADMIN_PASSWORD: password };
      const code = await main([...args, '--server', h.gw.adminUrl!], {
        stdout: (t) => void out.push(t),
        stderr: (t) => void err.push(t),
        env,
        cwd: h.root,
      });
      return { code, out: out.join(''), err: err.join('') };
    };
    const f10 = join(h.root, 'remote-1.0.json');
    const f11 = join(h.root, 'remote-1.1.json');
    await writeFile(f10, orders('1.0').replace('"orders"', '"remote"'));
    await writeFile(f11, orders('1.1').replace('"orders"', '"remote"'));
    expect((await run('deploy', f10, '--json')).code).toBe(0);
    expect((await run('deploy', f11)).code).toBe(0);
    expect(await (await h.fetch('/pipeline/local/v1/remote')).json()).toEqual({ version: '1.1' });
    const list = JSON.parse((await run('deployments', 'list')).out) as {
      deployments: { name: string; version: string }[];
    };
    expect(list.deployments).toContainEqual(
      expect.objectContaining({ name: 'remote', version: '1.1' }),
    );
    expect((await run('rollback', 'remote', '--major', '1')).code).toBe(0);
    expect(await (await h.fetch('/pipeline/local/v1/remote')).json()).toEqual({ version: '1.0' });
    expect((await run('undeploy', 'remote', '--major', '1')).code).toBe(0);
    const bad = join(h.root, 'bad.yaml');
    await writeFile(bad, 'name: Bad\nversion: "1.0"\nsteps: []\n');
    const refused = await run('deploy', bad);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/bad\.yaml.*ERR_/);
    const out: string[] = [];
    const noPassword = await main(['deploy', f10, '--server', h.gw.adminUrl!], {
      stdout: () => undefined,
      stderr: (t) => void out.push(t),
      env: {},
      cwd: h.root,
    });
    expect(noPassword).toBe(2);
    expect(out.join('')).toContain('PIPEGATE_ADMIN_PASSWORD');
  });

  it('lists consumers without secrets', async () => {
    const key = await consumer(h, 'acme');
    const res = await admin('/consumers/acme');
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('"name":"acme"');
    expect(text).not.toContain(key);
    expect((await admin('/consumers/nobody')).status).toBe(404);
  });
});
