// Console session over real HTTP: sign-in with the admin credential, cookie flags, CSRF, expiry, sign-out, audit rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdmin } from '../../src/gateway/first-start.js';
import { startHarness } from '../gateway/harness.js';
import type { Harness } from '../gateway/harness.js';

const JSON_TYPE = { 'content-type': 'application/json' };

/** The `name=value` part of a Set-Cookie header. */
const cookiePair = (r: Response): string => r.headers.get('set-cookie')!.split(';')[0]!;

async function signIn(
  h: Harness,
  username: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  return h.adminFetch('/console/api/session', {
    method: 'POST',
    headers: { ...JSON_TYPE, ...headers },
    body: JSON.stringify({ username, password }),
  });
}

describe('console session', () => {
  let h: Harness;
  let password: string;

  beforeAll(async () => {
    h = await startHarness({}, { trustProxy: true });
    password = (await ensureAdmin(h.gw.store))!.password;
  });
  afterAll(async () => h?.close());

  it('refuses a wrong password with ERR_CONSOLE_LOGIN and audits the failed sign-in without the password', async () => {
    const r = await signIn(h, 'admin', 'wrong-password-123');
    expect(r.status).toBe(401);
    expect(r.headers.get('set-cookie')).toBeNull();
    expect(r.headers.get('www-authenticate')).toBeNull();
    expect(await r.json()).toMatchObject({ code: 'ERR_CONSOLE_LOGIN' });
    const [entry] = await h.gw.store.audit.list(h.gw.environment, { action: 'console.sign-in' });
    expect(entry).toMatchObject({
      actor: 'admin:admin',
      outcome: 'failure',
      status: 401,
      details: { code: 'ERR_CONSOLE_LOGIN' },
      clientIp: '127.0.0.1',
    });
    expect(JSON.stringify(entry)).not.toContain('wrong-password-123');
    const malformed = await h.adminFetch('/console/api/session', {
      method: 'POST',
      headers: JSON_TYPE,
      body: '{"username":1}',
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ code: 'ERR_CONSOLE_REQUEST' });
  });

  it('signs in into an HttpOnly SameSite=Strict cookie that works on /admin in place of Basic', async () => {
    const r = await signIn(h, 'admin', password);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('no-store');
    const body = (await r.json()) as { username: string; csrfToken: string; expiresAt: string };
    expect(body.username).toBe('admin');
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const idle = Date.parse(body.expiresAt) - Date.now();
    expect(idle).toBeGreaterThan(29 * 60_000);
    expect(idle).toBeLessThanOrEqual(30 * 60_000);
    const setCookie = r.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/^pipegate_console=[A-Za-z0-9_-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
    const cookie = cookiePair(r);
    // The session id is not the CSRF token and is not in the body.
    expect(JSON.stringify(body)).not.toContain(cookie.split('=')[1]);

    const session = await h.adminFetch('/console/api/session', { headers: { cookie } });
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ username: 'admin', csrfToken: body.csrfToken });
    const list = await h.adminFetch('/admin/deployments', { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({ deployments: [] });
    // An unknown cookie is refused, without a Basic challenge (no browser dialog).
    const forged = await h.adminFetch('/admin/deployments', {
      headers: { cookie: 'pipegate_console=AAAA' },
    });
    expect(forged.status).toBe(401);
    expect(forged.headers.get('www-authenticate')).toBeNull();
    const consoleFetch = await h.adminFetch('/admin/deployments', {
      headers: { 'x-requested-with': 'pipegate-console' },
    });
    expect(consoleFetch.status).toBe(401);
    expect(consoleFetch.headers.get('www-authenticate')).toBeNull();
    const [ok] = await h.gw.store.audit.list(h.gw.environment, { action: 'console.sign-in' });
    expect(ok).toMatchObject({ actor: 'admin:admin', outcome: 'success', status: 200 });
  });

  it('requires the CSRF token on every write made with the cookie', async () => {
    const r = await signIn(h, 'admin', password);
    const cookie = cookiePair(r);
    const { csrfToken } = (await r.json()) as { csrfToken: string };
    const ack = (headers: Record<string, string>): Promise<Response> =>
      h.adminFetch('/admin/anomalies/nope/ack', {
        method: 'POST',
        headers: { ...JSON_TYPE, cookie, ...headers },
        body: '{}',
      });
    const attempts: Record<string, string>[] = [
      {},
      { 'x-csrf-token': 'x'.repeat(43) },
      { 'x-csrf-token': '' },
    ];
    for (const headers of attempts) {
      const refused = await ack(headers);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ code: 'ERR_CONSOLE_CSRF' });
    }
    // With the token the request reaches the route (the anomaly does not exist).
    const through = await ack({ 'x-csrf-token': csrfToken });
    expect(through.status).toBe(404);
    expect(await through.json()).toMatchObject({ code: 'ERR_ANOMALY_NOT_FOUND' });
    const [entry] = await h.gw.store.audit.list(h.gw.environment, { action: 'anomaly.ack' });
    expect(entry).toMatchObject({
      actor: 'admin:admin',
      target: 'nope',
      outcome: 'failure',
      status: 404,
      details: { code: 'ERR_ANOMALY_NOT_FOUND' },
    });
    // Reads need no token; cross-site requests are refused as on the admin API.
    expect((await h.adminFetch('/admin/consumers', { headers: { cookie } })).status).toBe(200);
    const cross = await signIn(h, 'admin', password, { origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    expect(await cross.json()).toMatchObject({ code: 'ERR_ADMIN_CROSS_SITE' });
    const site = await h.adminFetch('/admin/consumers', {
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(site.status).toBe(403);
    const form = await h.adminFetch('/console/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `username=admin&password=${encodeURIComponent(password)}`,
    });
    expect(form.status).toBe(415);
  });

  it('signs out with the CSRF token: cookie cleared, session gone, audited', async () => {
    const r = await signIn(h, 'admin', password);
    const cookie = cookiePair(r);
    const { csrfToken } = (await r.json()) as { csrfToken: string };
    const noToken = await h.adminFetch('/console/api/session', {
      method: 'DELETE',
      headers: { cookie },
    });
    expect(noToken.status).toBe(403);
    const out = await h.adminFetch('/console/api/session', {
      method: 'DELETE',
      headers: { cookie, 'x-csrf-token': csrfToken },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^pipegate_console=; .*Max-Age=0/);
    const after = await h.adminFetch('/console/api/session', { headers: { cookie } });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ code: 'ERR_CONSOLE_SESSION' });
    expect((await h.adminFetch('/admin/deployments', { headers: { cookie } })).status).toBe(401);
    const [entry] = await h.gw.store.audit.list(h.gw.environment, { action: 'console.sign-out' });
    expect(entry).toMatchObject({ actor: 'admin:admin', outcome: 'success', status: 204 });
  });

  it('marks the cookie Secure behind TLS (X-Forwarded-Proto with trustProxy)', async () => {
    const r = await signIn(h, 'admin', password, { 'x-forwarded-proto': 'https' });
    expect(r.status).toBe(200);
    expect(r.headers.get('set-cookie')).toContain('; Secure');
  });

  it('serves /console on the admin listener only', async () => {
    expect((await h.fetch('/console')).status).toBe(404);
    expect((await h.fetch('/console/api/session')).status).toBe(404);
    expect((await h.adminFetch('/console')).status).not.toBe(404);
    expect((await h.adminFetch('/console/api/nothing')).status).toBe(404);
  });

  it('throttles repeated failed sign-ins through the admin login guard', async () => {
    const t = await startHarness({}, { logins: { maxFailuresPerUser: 3 } });
    try {
      await ensureAdmin(t.gw.store);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await signIn(t, 'admin', `wrong-${i}-password`)).status);
      expect(statuses).toContain(429);
    } finally {
      await t.close();
    }
  });
});

describe('console session expiry', () => {
  it('ends a session after the idle time, and after the absolute time however busy', async () => {
    const h = await startHarness({}, { console: { session: { idleMs: 400, absoluteMs: 1500 } } });
    try {
      const { password } = (await ensureAdmin(h.gw.store))!;
      const get = (cookie: string): Promise<Response> =>
        h.adminFetch('/admin/deployments', { headers: { cookie } });
      const idle = cookiePair(await signIn(h, 'admin', password));
      expect((await get(idle)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 600));
      expect((await get(idle)).status).toBe(401);

      const busy = cookiePair(await signIn(h, 'admin', password));
      const start = Date.now();
      let last = 200;
      while (Date.now() - start < 2200 && last === 200) {
        last = (await get(busy)).status;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(last).toBe(401);
      expect(Date.now() - start).toBeGreaterThanOrEqual(1400);
    } finally {
      await h.close();
    }
  });
});
