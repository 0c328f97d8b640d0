// Globals: `pipegate globals` and the admin API set, list and remove them; running servers see changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../src/gateway/first-start.js';
import { main } from '../../src/cli/main.js';
import { eventually, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const readsGlobals = JSON.stringify({
  name: 'reads-globals',
  version: '1.0',
  trigger: { type: 'rest', routes: ['/g'], removePrefix: true },
  steps: [{ type: 'json-generator', json: { region: '{{ global.region }}', limits: '{{ global.limits }}', max: '{{ global.limits.max }}' } }],
});

describe('globals', () => {
  let h: Harness;
  let auth: string;
  const run = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main([...argv, '--data-dir', h.dataDir], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd: h.root });
    return { code, stdout, stderr };
  };
  const admin = (path: string, init: RequestInit = {}) =>
    h.adminFetch(`/admin${path}`, { ...init, headers: { authorization: auth, 'content-type': 'application/json' } });
  const served = async () => (await h.fetch('/g')).json() as Promise<Record<string, unknown>>;

  beforeAll(async () => {
    h = await startHarness({ 'g.json': readsGlobals });
    const cred = await ensureAdmin(h.gw.store);
    auth = `Basic ${Buffer.from(`${cred!.username}:${cred!.password}`).toString('base64')}`;
  });
  afterAll(async () => h?.close());

  it('set from the CLI reaches a running server within the propagation bound, text and JSON', async () => {
    expect((await run('globals', 'set', 'region', 'eu-west')).code).toBe(0);
    expect((await run('globals', 'set', 'limits', '--json', '{"max": 5}')).code).toBe(0);
    await eventually(async () => expect(await served()).toEqual({ region: 'eu-west', limits: { max: 5 }, max: 5 }), 5000);
    expect((await run('globals', 'set', 'region', 'us-east')).code).toBe(0);
    await eventually(async () => expect((await served()).region).toBe('us-east'), 5000);
    const list = await run('globals', 'list', '--json-output');
    expect(JSON.parse(list.stdout).globals.map((g: { name: string; value: unknown }) => [g.name, g.value])).toEqual([
      ['limits', { max: 5 }],
      ['region', 'us-east'],
    ]);
    expect((await run('globals', 'remove', 'limits')).code).toBe(0);
    await eventually(async () => expect((await served()).limits).toBeNull(), 5000);
  });

  it('keeps globals per environment', async () => {
    expect((await run('globals', 'set', 'region', 'prod-only', '--environment', 'prod')).code).toBe(0);
    expect((await run('globals', 'list', '--environment', 'prod')).stdout).toBe('region\tprod-only\n');
    expect((await served()).region).toBe('us-east');
  });

  it('refuses secret-looking names with a hint to use accounts, bad names and bad JSON', async () => {
    for (const name of ['dbPassword', 'api_key', 'client-secret', 'authToken']) {
      const r = await run('globals', 'set', name, 'x');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('ERR_GLOBAL_SECRET_NAME');
      expect(r.stderr).toContain('pipegate accounts add');
    }
    expect((await run('globals', 'set', '1st', 'x')).stderr).toContain('ERR_GLOBAL_NAME');
    expect((await run('globals', 'set', 'n', '--json', '{oops')).stderr).toContain('ERR_GLOBAL_VALUE');
    expect((await run('globals', 'remove', 'never-set')).stderr).toContain('ERR_GLOBAL_NOT_FOUND');
  });

  it('has admin API equivalents', async () => {
    expect((await admin('/globals/tier', { method: 'PUT', body: '{"value":"gold"}' })).status).toBe(200);
    expect((await admin('/globals/quota', { method: 'PUT', body: '{"value":{"rps":10}}' })).status).toBe(200);
    const refused = await admin('/globals/secretKey', { method: 'PUT', body: '{"value":"x"}' });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ code: 'ERR_GLOBAL_SECRET_NAME' });
    const list = (await (await admin('/globals')).json()) as { globals: { name: string; value: unknown; type: string }[] };
    expect(list.globals.filter((g) => g.name !== 'region')).toEqual([
      expect.objectContaining({ name: 'quota', value: { rps: 10 }, type: 'json' }),
      expect.objectContaining({ name: 'tier', value: 'gold', type: 'text' }),
    ]);
    expect((await admin('/globals/tier', { method: 'DELETE' })).status).toBe(200);
    expect((await admin('/globals/tier', { method: 'DELETE' })).status).toBe(404);
    expect((await h.adminFetch('/admin/globals')).status).toBe(401);
    expect((await h.fetch('/admin/globals')).status).toBe(404); // never on the public listener
  });

  it('the CLI talks to the admin API with --server', async () => {
    const r = await main(['globals', 'set', 'via-api', 'yes', '--server', h.gw.adminUrl!], {
      stdout: () => undefined,
      stderr: () => undefined,
      env: { PIPEGATE_ADMIN_PASSWORD: Buffer.from(auth.slice(6), 'base64').toString().split(':')[1] },
      cwd: h.root,
    });
    expect(r).toBe(0);
    expect((await h.gw.store.globals.get('test', 'via-api'))?.value).toBe('yes');
  });
});
