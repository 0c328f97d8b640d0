// End to end: every anomaly rule fires on its scenario and normal traffic raises nothing, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Gateway } from '../../src/gateway/index.js';
import { ensureAdmin } from '../../src/gateway/first-start.js';
import { generateMasterKeyText } from '../../src/security/index.js';
import type { Anomaly } from '../../src/store/anomaly-records.js';
import { postgresTarget } from '../store/harness.js';
import type { StoreTarget } from '../store/harness.js';
import { call, eventually, signatureValid, startReceiver, startSite } from './support.js';
import type { Site } from './support.js';

const SECRET = 'whsec-test-0123456789';
const ALERT_FIELDS = [
  'id',
  'rule',
  'severity',
  'realm',
  'environment',
  'consumer',
  'jti',
  'clientIps',
  'count',
  'firstSeen',
  'lastSeen',
  'status',
].sort();

type Target = {
  opts: Record<string, unknown>;
  storeArgs: string[];
  env: NodeJS.ProcessEnv;
  dispose(): Promise<void>;
};

const targets: [string, () => Promise<Target>][] = [
  ['SQLite', async () => ({ opts: {}, storeArgs: [], env: {}, dispose: async () => undefined })],
  [
    'PostgreSQL',
    async () => {
      const pg: StoreTarget = await postgresTarget();
      const env = { PIPEGATE_MASTER_KEY: generateMasterKeyText() };
      return {
        opts: { store: pg.url, env },
        storeArgs: ['--store', pg.url],
        env,
        dispose: () => pg.dispose(),
      };
    },
  ],
];

describe.each(targets)('anomaly detection end to end on %s', (_name, makeTarget) => {
  let target: Target;
  let site: Site;
  let gw: Gateway;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const secrets: string[] = [];
  /** Rules reported through the onAnomaly hook (what a metrics counter would count). */
  const opened: string[] = [];
  const url = (path: string): string => `${gw.url}${path}`;
  const adminUrl = (path: string): string => `${gw.adminUrl}${path}`;
  const list = async (rule?: string): Promise<Anomaly[]> =>
    (await gw.store.anomalies.list(gw.environment, { rule, limit: 1000 })).anomalies;
  const settle = async (): Promise<void> => {
    await gw.anomalies!.tick();
    await gw.anomalies!.tick();
  };
  const cli = async (...args: string[]): Promise<{ code: number; out: string }> => {
    const out: string[] = [];
    const code = await main([...args, '--data-dir', site.dataDir, ...target.storeArgs], {
      stdout: (t) => void out.push(t),
      stderr: (t) => void out.push(t),
      env: target.env,
      cwd: site.root,
    });
    return { code, out: out.join('') };
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    target = await makeTarget();
    site = await startSite({
      ...target.opts,
      anomalies: {
        alerts: { webhook: receiver.url, secret: SECRET },
        responses: { token_multi_ip: 'revoke-token', issuance_burst: 'disable-consumer' },
      },
      onAnomaly: (rule) => void opened.push(rule),
    });
    gw = site.nodes[0]!;
  });
  afterAll(async () => {
    await site?.close();
    await target?.dispose();
    await receiver?.close();
  });

  it('stays silent on normal traffic: several clients log in, call a protected pipeline and log out', async () => {
    for (const [i, name] of ['alice', 'bob', 'carol'].entries()) {
      const from = `127.0.0.${11 + i}`;
      const key = await site.consumer(name);
      secrets.push(key);
      const token = await site.login(gw, key, from);
      secrets.push(token);
      for (let n = 0; n < 5; n++) {
        const res = await call(url('/protected-resource'), {
          headers: { authorization: `Bearer ${token}` },
          from,
        });
        expect(res.status).toBe(200);
      }
      expect(
        (
          await call(url('/logout'), {
            method: 'POST',
            headers: { authorization: `Bearer ${token}` },
            from,
          })
        ).status,
      ).toBe(200);
    }
    // One mistyped key and one call without a token are normal too.
    expect(
      (
        await call(url('/auth'), {
          method: 'POST',
          headers: { apikey: 'pg_typo' },
          from: '127.0.0.11',
        })
      ).status,
    ).toBe(401);
    expect((await call(url('/protected-resource'), { from: '127.0.0.12' })).status).toBe(401);
    await settle();
    expect(await list()).toEqual([]);
  });

  it('revoked_token_use: a token replayed after logout; a repeat updates the same anomaly', async () => {
    const key = await site.consumer('dave');
    const token = await site.login(gw, key, '127.0.0.21');
    secrets.push(key, token);
    await call(url('/logout'), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      from: '127.0.0.21',
    });
    for (let n = 0; n < 2; n++) {
      const res = await call(url('/protected-resource'), {
        headers: { authorization: `Bearer ${token}` },
        from: '127.0.0.21',
      });
      expect(res.status).toBe(401);
      await settle();
    }
    const [a, ...more] = await list('revoked_token_use');
    expect(more).toEqual([]);
    expect(a!.subject).toBe(`jti:${a!.jti}`);
    expect(a).toMatchObject({
      consumer: 'dave',
      severity: 'high',
      status: 'open',
      count: 2,
      clientIps: ['127.0.0.21'],
    });
    expect(a!.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(a!.sampleExecutionKeys).toHaveLength(2);
  });

  it('token_multi_ip: one token from three client IPs, and the revoke-token response', async () => {
    const key = await site.consumer('erin');
    const token = await site.login(gw, key, '127.0.0.31');
    secrets.push(key, token);
    for (const from of ['127.0.0.31', '127.0.0.32']) {
      expect(
        (
          await call(url('/protected-resource'), {
            headers: { authorization: `Bearer ${token}` },
            from,
          })
        ).status,
      ).toBe(200);
    }
    await settle();
    expect(await list('token_multi_ip')).toEqual([]);
    expect(
      (
        await call(url('/protected-resource'), {
          headers: { authorization: `Bearer ${token}` },
          from: '127.0.0.33',
        })
      ).status,
    ).toBe(200);
    await settle();
    const [a, ...more] = await list('token_multi_ip');
    expect(more).toEqual([]);
    expect(a).toMatchObject({ consumer: 'erin', response: 'revoke-token' });
    expect([...a!.clientIps].sort()).toEqual(['127.0.0.31', '127.0.0.32', '127.0.0.33']);
    await eventually(async () =>
      expect(
        (
          await call(url('/protected-resource'), {
            headers: { authorization: `Bearer ${token}` },
            from: '127.0.0.31',
          })
        ).status,
      ).toBe(401),
    );
  });

  it('expired_token_replay: an expired token presented five times', async () => {
    await site.consumer('frank');
    const expired = await site.craftToken(gw, 'frank', {});
    secrets.push(expired);
    for (let n = 0; n < 4; n++)
      expect(
        (
          await call(url('/protected-resource'), {
            headers: { authorization: `Bearer ${expired}` },
            from: '127.0.0.41',
          })
        ).status,
      ).toBe(401);
    await settle();
    expect(await list('expired_token_replay')).toEqual([]);
    await call(url('/protected-resource'), {
      headers: { authorization: `Bearer ${expired}` },
      from: '127.0.0.41',
    });
    await settle();
    expect(await list('expired_token_replay')).toMatchObject([
      { consumer: 'frank', count: 5, severity: 'medium' },
    ]);
  });

  it('forged_token: five bad signatures, a refused alg and an unknown kid from one IP', async () => {
    const key = await site.consumer('grace');
    const good = await site.login(gw, key, '127.0.0.51');
    secrets.push(key, good);
    const [h, p, s] = good.split('.') as [string, string, string];
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const forged = [
      `${h}.${p}.${s.slice(0, -6)}AAAAAA`,
      `${h}.${b64({ client_id: 'grace', scopes: ['read', 'admin'] })}.${s}`,
      `${b64({ alg: 'HS256', kid: 'x', typ: 'at+jwt' })}.${p}.${s}`,
      `${b64({ alg: 'ES256', kid: 'no-such-kid', typ: 'at+jwt' })}.${p}.${s}`,
    ];
    secrets.push(...forged);
    for (const t of forged)
      expect(
        (
          await call(url('/protected-resource'), {
            headers: { authorization: `Bearer ${t}` },
            from: '127.0.0.52',
          })
        ).status,
      ).toBe(401);
    await settle();
    expect(await list('forged_token')).toEqual([]);
    await call(url('/protected-resource'), {
      headers: { authorization: `Bearer ${forged[0]!}` },
      from: '127.0.0.52',
    });
    await settle();
    expect(await list('forged_token')).toMatchObject([
      { subject: 'ip:127.0.0.52', clientIps: ['127.0.0.52'], count: 5, consumer: null },
    ]);
  });

  it('auth_failure_burst: twenty refused API keys from one IP', async () => {
    for (let n = 0; n < 20; n++) {
      const res = await call(url('/auth'), {
        method: 'POST',
        headers: { apikey: `pg_wrong_${n}` },
        body: '{}',
        from: '127.0.0.61',
      });
      expect(res.status).toBe(401);
    }
    await settle();
    expect(await list('auth_failure_burst')).toMatchObject([
      { subject: 'ip:127.0.0.61', count: 20 },
    ]);
  });

  it('auth_failure_burst: twenty refusals against one consumer from twenty IPs', async () => {
    await site.consumer('mallory');
    const expired = await site.craftToken(gw, 'mallory', {});
    secrets.push(expired);
    for (let n = 0; n < 20; n++) {
      const from = `127.0.1.${n + 1}`;
      const res = await call(url('/protected-resource'), {
        headers: { authorization: `Bearer ${expired}` },
        from,
      });
      expect(res.status).toBe(401);
    }
    await settle();
    const burst = (await list('auth_failure_burst')).filter(
      (a) => a.subject === 'consumer:mallory',
    );
    expect(burst).toMatchObject([{ consumer: 'mallory', count: 20 }]);
    expect(burst[0]!.clientIps).toHaveLength(20);
    // No single IP reached the bound.
    expect((await list('auth_failure_burst')).map((a) => a.subject).sort()).toEqual([
      'consumer:mallory',
      'ip:127.0.0.61',
    ]);
  });

  it('token_rate_spike: a fresh token making 100 requests within a minute', async () => {
    const key = await site.consumer('heidi');
    const token = await site.login(gw, key, '127.0.0.71');
    secrets.push(key, token);
    for (let n = 0; n < 99; n++)
      await call(url('/protected-resource'), {
        headers: { authorization: `Bearer ${token}` },
        from: '127.0.0.71',
      });
    await settle();
    expect(await list('token_rate_spike')).toEqual([]);
    await call(url('/protected-resource'), {
      headers: { authorization: `Bearer ${token}` },
      from: '127.0.0.71',
    });
    await settle();
    expect(await list('token_rate_spike')).toMatchObject([{ consumer: 'heidi', count: 100 }]);
  });

  it('issuance_burst: sixty tokens for one consumer in a minute, and the disable-consumer response', async () => {
    const key = await site.consumer('ivan');
    secrets.push(key);
    for (let n = 0; n < 60; n++) secrets.push(await site.login(gw, key, '127.0.0.81'));
    await settle();
    expect(await list('issuance_burst')).toMatchObject([
      { consumer: 'ivan', count: 60, response: 'disable-consumer' },
    ]);
    expect((await gw.store.consumers.getByName(gw.environment, 'ivan'))!.enabled).toBe(false);
    await eventually(async () =>
      expect(
        (
          await call(url('/auth'), {
            method: 'POST',
            headers: { apikey: key },
            body: '{}',
            from: '127.0.0.81',
          })
        ).status,
      ).toBe(401),
    );
  });

  it('disabled_consumer_use: a token of a disabled consumer', async () => {
    const key = await site.consumer('judy');
    const token = await site.login(gw, key, '127.0.0.91');
    secrets.push(key, token);
    const judy = (await gw.store.consumers.getByName(gw.environment, 'judy'))!;
    await gw.store.consumers.update(gw.environment, judy.id, { enabled: false });
    await eventually(async () =>
      expect(
        (
          await call(url('/protected-resource'), {
            headers: { authorization: `Bearer ${token}` },
            from: '127.0.0.91',
          })
        ).status,
      ).toBe(401),
    );
    await settle();
    expect(await list('disabled_consumer_use')).toMatchObject([
      { consumer: 'judy', subject: 'consumer:judy' },
    ]);
  });

  it('alerts every new anomaly once, signed, with exactly the documented fields', async () => {
    const all = await list();
    // token_multi_ip's revoke-token response made the next use of erin's token a revoked_token_use too.
    expect([...new Set(all.map((a) => a.rule))].sort()).toEqual([
      'auth_failure_burst',
      'disabled_consumer_use',
      'expired_token_replay',
      'forged_token',
      'issuance_burst',
      'revoked_token_use',
      'token_multi_ip',
      'token_rate_spike',
    ]);
    await eventually(async () => {
      await gw.anomalies!.dispatchAlerts();
      expect(receiver.alerts.map((a) => a.body.id).sort()).toEqual(all.map((a) => a.id).sort());
    });
    expect(opened.sort()).toEqual(all.map((a) => a.rule).sort());
    for (const alert of receiver.alerts) {
      expect(Object.keys(alert.body).sort()).toEqual(ALERT_FIELDS);
      expect(signatureValid(alert, SECRET)).toBe(true);
      expect(
        Math.abs(Number(alert.headers['x-pipegate-timestamp']) - Date.now() / 1000),
      ).toBeLessThan(300);
      expect(alert.body).toMatchObject({
        status: 'open',
        realm: gw.realm,
        environment: gw.environment,
      });
    }
  });

  it('ack and resolve from the CLI and the admin API; a resolution is alerted once', async () => {
    const revoked = (await list('revoked_token_use')).find((a) => a.consumer === 'dave');
    const [forged] = await list('forged_token');
    const ack = await cli('anomalies', 'ack', revoked!.id, '--json');
    expect(ack.code).toBe(0);
    expect(JSON.parse(ack.out)).toMatchObject({
      anomaly: { id: revoked!.id, status: 'acknowledged' },
    });
    const listed = await cli('anomalies', 'list', '--status', 'acknowledged', '--json');
    expect(
      (JSON.parse(listed.out) as { anomalies: { id: string }[] }).anomalies.map((a) => a.id),
    ).toEqual([revoked!.id]);
    expect((await cli('anomalies', 'show', 'no-such-id')).code).not.toBe(0);

    const admin = await ensureAdmin(gw.store);
    const password = admin?.password ?? '';
    const auth = {
      authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`,
      'content-type': 'application/json',
    };
    expect((await call(adminUrl('/admin/anomalies'))).status).toBe(401);
    const page = JSON.parse(
      (await call(adminUrl('/admin/anomalies?limit=3'), { headers: auth })).body,
    ) as {
      anomalies: { id: string }[];
      nextCursor: string;
    };
    expect(page.anomalies).toHaveLength(3);
    const rest = JSON.parse(
      (
        await call(adminUrl(`/admin/anomalies?limit=100&cursor=${page.nextCursor}`), {
          headers: auth,
        })
      ).body,
    ) as { anomalies: { id: string }[]; nextCursor: string | null };
    expect(rest.anomalies).toHaveLength((await list()).length - 3);
    expect(rest.nextCursor).toBeNull();
    const resolved = await call(adminUrl(`/admin/anomalies/${forged!.id}/resolve`), {
      method: 'POST',
      headers: auth,
    });
    expect(resolved.status).toBe(200);
    expect(JSON.parse(resolved.body)).toMatchObject({
      anomaly: { status: 'resolved', resolvedBy: 'admin:admin' },
    });
    const again = await call(adminUrl(`/admin/anomalies/${forged!.id}/ack`), {
      method: 'POST',
      headers: auth,
    });
    expect(again.status).toBe(409);
    expect(JSON.parse(again.body)).toMatchObject({ code: 'ERR_ANOMALY_STATE' });
    expect(
      (await call(adminUrl('/admin/anomalies/nope/ack'), { method: 'POST', headers: auth })).status,
    ).toBe(404);
    expect((await cli('anomalies', 'resolve', revoked!.id)).code).toBe(0);
    await eventually(async () => {
      await gw.anomalies!.dispatchAlerts();
      const resolutions = receiver.alerts.filter((a) => a.body.status === 'resolved');
      expect(resolutions.map((a) => a.body.id).sort()).toEqual([forged!.id, revoked!.id].sort());
    });
    // A new forged burst from the same IP opens a new anomaly (the resolved one stays resolved).
    const [h, p, s] = secrets.at(-1)!.split('.') as [string, string, string];
    for (let n = 0; n < 5; n++)
      await call(url('/protected-resource'), {
        headers: { authorization: `Bearer ${h}.${p}.${s.slice(0, -6)}AAAAA${n}` },
        from: '127.0.0.52',
      });
    await settle();
    expect((await list('forged_token')).map((a) => a.status)).toEqual(['open', 'resolved']);
  });

  it('never puts a secret in an anomaly or an alert', async () => {
    const { anomalies } = await gw.store.anomalies.list(gw.environment, { limit: 1000 });
    const haystack = JSON.stringify(anomalies) + receiver.alerts.map((a) => a.raw).join('\n');
    expect(secrets.length).toBeGreaterThan(70);
    for (const s of secrets) expect(haystack.includes(s)).toBe(false);
    for (const s of [SECRET, 'hunter2-not-in-token']) expect(haystack.includes(s)).toBe(false);
  });
});
