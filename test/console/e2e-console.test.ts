// Issue 16: the web console end to end in a real headless Chromium against a real gateway — sign in,
// executions of real requests, filters, a masked detail, token revocation refusing the next request,
// acknowledging the anomaly it raises, consumers, every page; screenshots in test-artifacts/console/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../src/gateway/index.js';
import { ensureAdmin } from '../../src/gateway/first-start.js';
import { call, eventually, startSite } from '../anomalies/support.js';
import type { Site } from '../anomalies/support.js';
import { a11yProblems, ensureConsoleBuilt, openBrowser } from './e2e-browser.js';
import type { Browser } from './e2e-browser.js';

const PASSWORD_IN_REQUEST = 'hunter2-not-in-token';

function jtiOf(token: string): string {
  const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
    jti: string;
  };
  return payload.jti;
}

describe('web console in Chromium', () => {
  let site: Site;
  let gw: Gateway;
  let admin: { username: string; password: string };
  let basic: string;
  let b: Browser;
  let token: string;
  let apiKey: string;

  const adminGet = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${gw.adminUrl}${path}`, { headers: { authorization: basic } });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const visit = async (link: string, heading: RegExp | string): Promise<void> => {
    await b.page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: link, exact: true })
      .click();
    await b.page.getByRole('heading', { level: 1, name: heading }).waitFor();
  };

  beforeAll(async () => {
    ensureConsoleBuilt();
    site = await startSite({});
    gw = site.nodes[0]!;
    expect(gw.adminUrl).not.toBeNull();
    admin = (await ensureAdmin(gw.store))!;
    basic = `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`;
    // Real traffic: logins (the request carries a password the pipeline declares sensitive), uses.
    apiKey = await site.consumer('acme');
    token = await site.login(gw, apiKey);
    await site.login(gw, apiKey);
    for (let i = 0; i < 3; i++) {
      const ok = await call(`${gw.url}/protected-resource`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(ok.status).toBe(200);
    }
    await eventually(async () => {
      const r = await adminGet<{ executions: unknown[] }>('/admin/executions');
      expect(r.executions.length).toBeGreaterThanOrEqual(5);
    });
    b = await openBrowser();
  }, 180_000);

  afterAll(async () => {
    await b?.close();
    await site?.close();
  });

  it('is served on the admin listener only', async () => {
    const pub = await fetch(`${gw.url}/console`);
    expect(pub.status).toBe(404);
    const res = await fetch(`${gw.adminUrl}/console/executions`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('refuses a wrong password, then signs in', async () => {
    const { page } = b;
    await page.goto(`${gw.adminUrl}/console`);
    await page.getByLabel('Username').fill(admin.username);
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password' }).waitFor();
    await b.shot('00-sign-in');
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const cookies = await b.context.cookies();
    const session = cookies.find((c) => c.name === 'pipegate_console');
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Strict');
    // The cookie is not readable by scripts.
    expect(await page.evaluate('document.cookie')).not.toContain('pipegate_console');
  }, 120_000);

  it('shows the overview with its counters and most executed pipelines', async () => {
    const { page } = b;
    await page.locator('[data-counter="consumers"]').waitFor();
    expect(await page.locator('[data-counter="consumers"]').textContent()).toBe('1');
    await page
      .getByRole('region', { name: 'The 10 most executed pipelines' })
      .getByText('auth-login')
      .waitFor();
    expect(await a11yProblems(page)).toEqual([]);
    await b.shot('01-overview');
  }, 120_000);

  it('lists the executions just made, filters them and opens a masked detail', async () => {
    const { page } = b;
    await visit('Executions', 'Executions');
    const table = page.getByRole('region', { name: 'Executions, newest first' });
    await table.getByRole('cell', { name: 'auth-login' }).first().waitFor();
    expect(await table.getByRole('cell', { name: 'protected-resource' }).count()).toBe(3);
    expect(await a11yProblems(page)).toEqual([]);
    await b.shot('02-executions');

    // Filter by pipeline: only protected-resource rows stay; the filter is in the address.
    await page.locator('#f-pipeline').fill('protected-resource');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/pipeline=protected-resource/);
    await eventually(async () => {
      expect(await table.getByRole('cell', { name: 'auth-login' }).count()).toBe(0);
      expect(await table.getByRole('cell', { name: 'protected-resource' }).count()).toBe(3);
    });
    // Status error: none of them failed.
    await page.locator('#f-status').selectOption('error');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No executions match.').waitFor();
    await page.getByRole('button', { name: 'Reset' }).click();
    await table.getByRole('cell', { name: 'auth-login' }).first().waitFor();
    // Version: major 2 has no executions.
    await page.locator('#f-version').fill('2');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No executions match.').waitFor();
    await page.getByRole('button', { name: 'Reset' }).click();
    await table.getByRole('cell', { name: 'auth-login' }).first().waitFor();

    // The login's detail: the password of the request is masked, the log line and timing shown.
    const row = table
      .locator('tr', { has: page.getByRole('cell', { name: 'auth-login' }) })
      .first();
    await row.getByRole('link').first().click();
    await page.getByRole('heading', { level: 1, name: 'Execution' }).waitFor();
    const request = page.getByLabel('Request message');
    await request.waitFor();
    const text = (await request.textContent()) ?? '';
    expect(text).toContain('"password": "***"');
    expect(text).toContain('"userID": "u-1"');
    expect(await page.content()).not.toContain(PASSWORD_IN_REQUEST);
    expect(await page.locator('mark').count()).toBeGreaterThan(0);
    await page
      .getByRole('region', { name: 'Logs of this execution' })
      .getByText(/token issued for u-1/)
      .waitFor();
    expect(await page.locator('[data-field="duration"]').textContent()).toMatch(/ms|s$/);
    expect(await a11yProblems(page)).toEqual([]);
    await b.shot('03-execution-detail');
  }, 120_000);

  it('shows pipeline logs with filters', async () => {
    const { page } = b;
    await visit('Pipeline logs', 'Pipeline logs');
    const table = page.getByRole('region', { name: 'Log lines, oldest first' });
    await table
      .getByText(/token issued for u-1/)
      .first()
      .waitFor();
    await page.locator('#l-search').fill('no such words anywhere');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No log lines match.').waitFor();
    await page.getByRole('button', { name: 'Reset' }).click();
    await table
      .getByText(/token issued for u-1/)
      .first()
      .waitFor();
    expect(await a11yProblems(page)).toEqual([]);
    await b.shot('04-logs');
  }, 120_000);

  it('adds new executions and log lines live (server-sent events)', async () => {
    const { page } = b;
    await visit('Executions', 'Executions');
    const table = page.getByRole('region', { name: 'Executions, newest first' });
    await table.getByRole('cell', { name: 'auth-login' }).first().waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^Live$/ })
      .waitFor();
    const before = await table.locator('tbody tr').count();
    const res = await call(`${gw.url}/protected-resource`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    const key = String(res.headers['x-pipegate-execution-key']);
    // No reload: the row arrives through the event stream.
    await table.locator(`tr[data-key="${key}"]`).waitFor();
    expect(await table.locator('tbody tr').count()).toBe(before + 1);

    await visit('Pipeline logs', 'Pipeline logs');
    const logs = page.getByRole('region', { name: 'Log lines, oldest first' });
    await logs
      .getByText(/token issued for u-1/)
      .first()
      .waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^Live$/ })
      .waitFor();
    await call(`${gw.url}/auth`, {
      method: 'POST',
      headers: { apikey: apiKey },
      body: JSON.stringify({ userID: 'u-live', role: 'user' }),
    });
    await logs.getByText(/token issued for u-live/).waitFor();
  }, 120_000);

  it('shows that a large request message was truncated', async () => {
    const { page } = b;
    const res = await call(`${gw.url}/auth`, {
      method: 'POST',
      headers: { apikey: apiKey },
      body: JSON.stringify({ userID: 'u-big', role: 'user', notes: 'n'.repeat(40_000) }),
    });
    expect(res.status).toBe(200);
    const key = String(res.headers['x-pipegate-execution-key']);
    await eventually(async () => {
      expect(
        (
          await fetch(`${gw.adminUrl}/admin/executions/${key}`, {
            headers: { authorization: basic },
          })
        ).status,
      ).toBe(200);
    });
    await page.goto(`${gw.adminUrl}/console/executions/${key}`);
    await page.getByRole('heading', { level: 1, name: 'Execution' }).waitFor();
    const note = page.locator('[data-truncation="cut"]');
    await note.waitFor();
    expect(await note.textContent()).toMatch(/Truncated: showing the first 32 KB of 39\.\d KB/);
    // The response (the token answer) is whole.
    expect(await page.locator('[data-truncation]').count()).toBe(1);
    await b.shot('03b-execution-truncated');
  }, 120_000);

  it('shows the metrics of a pipeline as charts', async () => {
    const { page } = b;
    await visit('Metrics', /^Metrics/);
    await page.locator('#m-pipeline').selectOption('protected-resource');
    await page.getByRole('heading', { level: 1, name: 'Metrics: protected-resource' }).waitFor();
    await page.locator('figure.chart canvas').first().waitFor();
    expect(await page.locator('figure.chart').count()).toBe(4);
    expect(await a11yProblems(page)).toEqual([]);
    await b.shot('05-metrics');
  }, 120_000);

  it('revokes a token from the Tokens page; the next request with it is refused', async () => {
    const { page } = b;
    const jti = jtiOf(token);
    await visit('Tokens', 'Tokens');
    await page
      .getByRole('region', { name: 'Token usage per consumer' })
      .getByText('acme')
      .first()
      .waitFor();
    await b.shot('06-tokens');
    await page.getByRole('button', { name: `Revoke token ${jti}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`Revoke the token ${jti}?`).waitFor();
    await dialog.getByRole('button', { name: 'Revoke token' }).click();
    await page.getByRole('status').filter({ hasText: 'Revoked' }).waitFor();
    await eventually(async () => {
      const res = await call(`${gw.url}/protected-resource`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(401);
    });
  }, 120_000);

  it('lists the anomaly the revoked token raised and acknowledges it', async () => {
    const { page } = b;
    await eventually(async () => {
      const r = await adminGet<{ anomalies: { rule: string }[] }>('/admin/anomalies');
      expect(r.anomalies.map((a) => a.rule)).toContain('revoked_token_use');
    }, 30_000);
    await visit('Anomalies', 'Anomalies');
    const first = page.locator('tr', {
      has: page.getByRole('link', { name: 'revoked_token_use' }),
    });
    await first.waitFor();
    const id = (await first.getAttribute('data-anomaly'))!;
    const row = page.locator(`tr[data-anomaly="${id}"]`);
    expect(await row.textContent()).toContain('open');
    await b.shot('07-anomalies');
    await row.getByRole('button', { name: /^Acknowledge/ }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Acknowledge' }).click();
    await row.getByText('acknowledged').waitFor();
    const stored = await adminGet<{ anomaly: { status: string; acknowledgedBy: string | null } }>(
      `/admin/anomalies/${id}`,
    );
    expect(stored.anomaly.status).toBe('acknowledged');
    expect(stored.anomaly.acknowledgedBy).toContain(admin.username);
    // A new anomaly appears without a reload (live): another token revoked, then replayed.
    await page
      .getByRole('status')
      .filter({ hasText: /^Live$/ })
      .waitFor();
    const second = await site.login(gw, apiKey);
    const revoked = await fetch(`${gw.adminUrl}/admin/tokens/revoke`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: JSON.stringify({ jti: jtiOf(second) }),
    });
    expect(revoked.status).toBe(200);
    await eventually(async () => {
      const res = await call(`${gw.url}/protected-resource`, {
        headers: { authorization: `Bearer ${second}` },
      });
      expect(res.status).toBe(401);
    });
    await page.locator('tr', { hasText: `jti:${jtiOf(second)}` }).waitFor({ timeout: 30_000 });
    // Its detail page: the events behind it.
    await row.getByRole('link', { name: 'revoked_token_use' }).click();
    await page.getByRole('heading', { level: 1, name: 'Anomaly' }).waitFor();
    // Refusals are written when their aggregation window ends; the token's allowed uses are there now.
    await page
      .getByRole('region', { name: /Token usage events/ })
      .getByText('allowed')
      .first()
      .waitFor();
    expect(await a11yProblems(page)).toEqual([]);
    await b.shot('08-anomaly-detail');
  }, 120_000);

  it('creates a consumer whose key is shown once and works', async () => {
    const { page } = b;
    await visit('Consumers', 'Consumers');
    await page.locator('#c-name').fill('shop');
    await page.locator('#c-scopes').fill('read');
    await page.getByRole('button', { name: 'Create consumer' }).click();
    const key = (await page.locator('[data-api-key]').textContent())!.trim();
    expect(key.length).toBeGreaterThan(20);
    await b.shot('09-consumer-created');
    const login = await call(`${gw.url}/auth`, {
      method: 'POST',
      headers: { apikey: key },
      body: JSON.stringify({ userID: 'u-2', role: 'user' }),
    });
    expect(login.status).toBe(200);
    await page.getByRole('button', { name: 'I have saved it' }).click();
    expect(await page.locator('[data-api-key]').count()).toBe(0);
    expect(await page.content()).not.toContain(key);
    await page.locator('article[data-consumer="shop"]').waitFor();
    expect(await a11yProblems(page)).toEqual([]);
    await b.shot('10-consumers');
  }, 120_000);

  it('rotates a consumer key and disables and enables the consumer', async () => {
    const { page } = b;
    const login = (key: string) =>
      call(`${gw.url}/auth`, {
        method: 'POST',
        headers: { apikey: key },
        body: JSON.stringify({ userID: 'u-3', role: 'user' }),
      });
    const card = page.locator('article[data-consumer="acme"]');
    // Rotation: a new key first (shown once), then the old one revoked.
    await card.getByRole('button', { name: 'New API key' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Create key' }).click();
    const fresh = (await card.locator('[data-api-key]').textContent())!.trim();
    await card.getByRole('button', { name: 'I have saved it' }).click();
    expect((await login(fresh)).status).toBe(200);
    const oldPrefix = `pg_${apiKey.split('_')[1]}`; // keys are pg_<id>_<secret>; the prefix is pg_<id>
    const revokeOld = card.getByRole('button', { name: `Revoke key ${oldPrefix} of acme` });
    await revokeOld.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await card.getByText(/revoked/).waitFor();
    await eventually(async () => expect((await login(apiKey)).status).toBe(401));
    expect((await login(fresh)).status).toBe(200);
    apiKey = fresh;

    // Disable: every credential refused; enable: accepted again.
    await card.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Disable' }).click();
    await card.getByRole('button', { name: 'Enable' }).waitFor();
    await eventually(async () => expect((await login(apiKey)).status).toBe(401));
    await card.getByRole('button', { name: 'Enable' }).click();
    await card.getByRole('button', { name: 'Disable' }).waitFor();
    await eventually(async () => expect((await login(apiKey)).status).toBe(200));
  }, 120_000);

  it('shows deployments and a pipeline history', async () => {
    const { page } = b;
    await visit('Deployments', 'Deployments');
    const active = page.getByRole('region', { name: 'Active deployments' });
    await active.getByRole('link', { name: 'auth-login' }).click();
    await page.getByRole('heading', { name: 'History of auth-login' }).waitFor();
    expect(await a11yProblems(page)).toEqual([]);

    // A new minor version deployed through the admin API, then rolled back from the console.
    const text = readFileSync(join(site.dir, 'service.yaml'), 'utf8').replace(
      'version: "1.0"',
      'version: "1.1"',
    );
    const deployed = await fetch(`${gw.adminUrl}/admin/deployments?file=service.yaml`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/yaml' },
      body: text,
    });
    expect(deployed.status).toBe(201);
    await page.goto(`${gw.adminUrl}/console/deployments?pipeline=protected-resource`);
    const row = active.locator('tr', {
      has: page.getByRole('link', { name: 'protected-resource' }),
    });
    await row.getByRole('cell', { name: '1.1', exact: true }).waitFor();
    const history = page.getByRole('region', { name: 'Deployment history of protected-resource' });
    expect(await history.locator('tbody tr').count()).toBe(2);
    await b.shot('11-deployments');
    await row.getByRole('button', { name: 'Roll back protected-resource 1.1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
    await row.getByRole('cell', { name: '1.0', exact: true }).waitFor();
    const now = await adminGet<{ deployments: { name: string; version: string }[] }>(
      '/admin/deployments',
    );
    expect(now.deployments.find((d) => d.name === 'protected-resource')?.version).toBe('1.0');
  }, 120_000);

  it('is usable from the keyboard: links, focus on the page title, dialogs cancelled by Escape', async () => {
    const { page } = b;
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.getByRole('link', { name: 'Consumers', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Consumers' }).waitFor();
    expect(
      await page.evaluate(
        'document.activeElement.tagName + " " + document.activeElement.textContent',
      ),
    ).toBe('H1 Consumers');
    const card = page.locator('article[data-consumer="acme"]');
    await card.getByRole('button', { name: 'Disable' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // Focus moved into the dialog (on Cancel, the safe choice).
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    const acme = await adminGet<{ consumer: { enabled: boolean } }>('/admin/consumers/acme');
    expect(acme.consumer.enabled).toBe(true);
    // On a fresh load the skip link is the first stop, and leads to the main content.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Consumers' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement.id')).toBe('main');
  }, 120_000);

  it('shows the audit log of the changes made from the console', async () => {
    const { page } = b;
    await visit('Audit log', 'Audit log');
    const table = page.getByRole('region', { name: 'Audit log, newest first' });
    await table.locator('tbody tr').first().waitFor();
    const text = (await table.textContent()) ?? '';
    expect(text).toContain('shop'); // the consumer created above
    expect(text).toContain(jtiOf(token)); // the token revoked above
    expect(await a11yProblems(page)).toEqual([]);
    await b.shot('12-audit');
  }, 120_000);

  it('sends the CSRF header on state changes (refused without it)', async () => {
    const { page } = b;
    const status = await page.evaluate(async () => {
      const res = await fetch('/admin/tokens/revoke', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ jti: 'no-csrf-header' }),
      });
      return { status: res.status, body: await res.text() };
    });
    expect(status.status).toBe(403);
    expect(status.body).toContain('ERR_CONSOLE_CSRF');
  }, 120_000);

  it('works at phone width: menu behind a button, no page wider than the screen', async () => {
    const { page } = b;
    await page.setViewportSize({ width: 390, height: 844 });
    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Pages' });
    const pages: [string, RegExp][] = [
      ['Overview', /^Overview$/],
      ['Executions', /^Executions$/],
      ['Pipeline logs', /^Pipeline logs$/],
      ['Metrics', /^Metrics/],
      ['Tokens', /^Tokens$/],
      ['Anomalies', /^Anomalies$/],
      ['Consumers', /^Consumers$/],
      ['Deployments', /^Deployments$/],
      ['Audit log', /^Audit log$/],
    ];
    for (const [i, [link, heading]] of pages.entries()) {
      expect(await nav.isVisible()).toBe(false);
      await menu.click();
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await nav.getByRole('link', { name: link, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.locator('main table, main .muted, main figure').first().waitFor();
      const overflow = (await page.evaluate(
        'document.documentElement.scrollWidth - window.innerWidth',
      )) as number;
      expect(overflow, link).toBeLessThanOrEqual(0);
      await b.shot(`phone-${String(i).padStart(2, '0')}-${link.toLowerCase().replace(/ /g, '-')}`);
    }
    await page.setViewportSize({ width: 1280, height: 860 });
  }, 120_000);

  it('goes back to sign-in when the session ends, and signs out', async () => {
    const { page } = b;
    // The session ends elsewhere (expiry, or signed out in another tab): the next call answers 401.
    await page.evaluate(async () => {
      const s = (await (await fetch('/console/api/session')).json()) as { csrfToken: string };
      await fetch('/console/api/session', {
        method: 'DELETE',
        headers: { 'x-csrf-token': s.csrfToken },
      });
    });
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('link', { name: 'Overview' })
      .click();
    await page.getByText('Your session ended').waitFor();
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await b.context.cookies()).some((c) => c.name === 'pipegate_console')).toBe(false);
    const after = await page.evaluate(
      async () =>
        (await fetch('/admin/executions', { headers: { 'x-requested-with': 'pipegate-console' } }))
          .status,
    );
    expect(after).toBe(401);
    expect(b.problems.filter((p) => !/401|403|Failed to load resource/.test(p))).toEqual([]);
  }, 120_000);
});
