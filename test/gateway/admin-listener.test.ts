// Issue 10 item 6 (and item 1 on /admin): the admin API on its own listener, cross-site refusals, login limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { ensureAdmin } from '../../src/gateway/first-start.js';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('admin listener', () => {
  let h: Harness;
  let auth: string;
  const admin = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${h.gw.adminUrl}${path}`, {
      ...init,
      headers: { authorization: auth, ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    h = await startHarness({}, { logins: { maxFailuresPerUser: 3, maxFailuresPerIp: 1_000 } });
    const cred = await ensureAdmin(h.gw.store);
    auth = basic(cred!.username, cred!.password);
  });
  afterAll(async () => h?.close());

  it('serves /admin apart from the public listener, which answers 404 for it', async () => {
    expect(h.gw.adminUrl).not.toBe(h.gw.url);
    expect((await admin('/admin/deployments')).status).toBe(200);
    const pub = await h.fetch('/admin/deployments', { headers: { authorization: auth } });
    expect(pub.status).toBe(404);
    expect(await pub.json()).toEqual({ message: 'Not Found' });
    // Nothing but /admin on the admin listener.
    expect((await admin('/healthz')).status).toBe(404);
    expect((await admin('/pipeline/local/v1/x')).status).toBe(404);
  });

  it('refuses writes whose body is not declared JSON or YAML, before checking the credential', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) {
      const res = await admin('/admin/deployments?file=x.yaml', {
        method: 'POST',
        headers: { 'content-type': type },
        body: 'name: x',
      });
      expect(res.status).toBe(415);
      expect(await res.json()).toMatchObject({ code: 'ERR_ADMIN_CONTENT_TYPE' });
    }
  });

  it('refuses cross-site requests (Origin, Sec-Fetch-Site) and accepts same-origin ones', async () => {
    const evil = await admin('/admin/deployments', { headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ code: 'ERR_ADMIN_CROSS_SITE' });
    const site = await admin('/admin/deployments', { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(site.status).toBe(403);
    const same = await admin('/admin/deployments', {
      headers: { origin: h.gw.adminUrl!, 'sec-fetch-site': 'same-origin' },
    });
    expect(same.status).toBe(200);
  });

  it('locks a username out after repeated failures, refusing before hashing, even the right password', async () => {
    // A distinct username per test keeps the counters apart; ensureAdmin made `admin`.
    const wrong = basic('admin', 'not-the-password');
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${h.gw.adminUrl}/admin/deployments`, {
        headers: { authorization: wrong },
      });
      expect(res.status).toBe(401);
    }
    const locked = await fetch(`${h.gw.adminUrl}/admin/deployments`, {
      headers: { authorization: wrong },
    });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await locked.json()).toMatchObject({ code: 'ERR_LOGIN_THROTTLED' });
    // The right password was cached as a success before, so the admin is not locked out by a guesser.
    expect((await admin('/admin/deployments')).status).toBe(200);
  });

  it('the CLI --server mode names the admin listener when pointed at the public one', async () => {
    const err: string[] = [];
    const code = await main(['deployments', 'list', '--server', h.gw.url], {
      stdout: () => undefined,
      stderr: (t) => void err.push(t),
      env: { PIPEGATE_ADMIN_PASSWORD: 'x' },
      cwd: h.root,
    });
    expect(code).not.toBe(0);
    expect(err.join('')).toMatch(/admin listener/);
  });
});

describe('admin listener options', () => {
  it('unknown admin users cost a password hash like known ones (they take a hash slot)', async () => {
    const h = await startHarness({}, { logins: { maxConcurrentHashes: 1, maxQueuedHashes: 0 } });
    try {
      const ask = (): Promise<Response> =>
        fetch(`${h.gw.adminUrl}/admin/deployments`, {
          headers: { authorization: basic('nobody-here', 'guess') },
        });
      const statuses = (await Promise.all([ask(), ask(), ask()])).map((r) => r.status).sort();
      // One hash runs (401); the others find the single slot taken and are refused at once (503).
      expect(statuses).toContain(401);
      expect(statuses).toContain(503);
    } finally {
      await h.close();
    }
  });

  it('adminPort 0 disables the admin API', async () => {
    const h = await startHarness({}, { adminPort: 0 });
    try {
      expect(h.gw.adminUrl).toBeNull();
      expect((await h.fetch('/admin/deployments')).status).toBe(404);
    } finally {
      await h.close();
    }
  });
});
