// Two real `pipegate serve` processes on one PostgreSQL store: shared windows, one anomaly and one alert, not one per node.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servingUrl } from '../support/serve-output.js';
import { main } from '../../src/cli/main.js';
import { generateMasterKeyText } from '../../src/security/index.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/store.js';
import { postgresTarget } from '../store/harness.js';
import type { StoreTarget } from '../store/harness.js';
import { call, eventually, repoRoot, signatureValid, startReceiver } from './support.js';

const bin = join(repoRoot, 'bin/pipegate.js');
const SECRET = 'whsec-multi-node-42';

interface Node {
  child: ChildProcess;
  url: string;
  exit: Promise<number | null>;
}

/** Starts `pipegate serve` on the shared store; resolves once it prints its URL. */
function serve(storeUrl: string, env: NodeJS.ProcessEnv, webhook: string): Promise<Node> {
  const child = spawn(
    process.execPath,
    [
      bin,
      'serve',
      join(repoRoot, 'examples/jwt-auth'),
      '--port',
      '0',
      '--store',
      storeUrl,
      '--public-url',
      'http://gateway.test',
      '--alert-webhook',
      webhook,
      '--anomaly-threshold',
      'forged_token.count=2',
      '--anomaly-threshold',
      'forged_token.window=5m',
    ],
    // The secret comes from the environment here (PIPEGATE_ALERT_SECRET), as a deployment should pass it.
    {
      cwd: repoRoot,
      env: { ...process.env, ...env, PIPEGATE_ALERT_SECRET: SECRET },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.stdout!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      const url = servingUrl(err);
      if (url) done({ child, url, exit });
    });
    void exit.then((code) => fail(new Error(`serve exited with ${code}: ${err}`)));
  });
}

describe('anomaly detection across two serve processes on PostgreSQL', () => {
  let pg: StoreTarget;
  let store: Store;
  let a: Node;
  let b: Node;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let apiKey: string;
  const env = { PIPEGATE_MASTER_KEY: generateMasterKeyText() };

  beforeAll(async () => {
    pg = await postgresTarget();
    receiver = await startReceiver();
    a = await serve(pg.url, env, receiver.url);
    b = await serve(pg.url, env, receiver.url);
    const out: string[] = [];
    await main(['consumers', 'create', 'acme', '--json', '--store', pg.url], {
      stdout: (t) => void out.push(t),
      stderr: () => undefined,
      env,
      cwd: repoRoot,
    });
    apiKey = (JSON.parse(out.join('')) as { apiKey: string }).apiKey;
    store = await openStore(pg.url);
  });
  afterAll(async () => {
    for (const n of [a, b]) n?.child.kill('SIGTERM');
    await Promise.all([a?.exit, b?.exit]);
    await store?.close();
    await receiver?.close();
    await pg?.dispose();
  });

  const anomalies = async (rule: string) =>
    (await store.anomalies.list('test', { rule, limit: 100 })).anomalies;

  it('counts one token used from three IPs across both nodes, raises it once within 5 s, alerts once', async () => {
    let token = '';
    await eventually(async () => {
      const login = await call(`${a.url}/auth`, {
        method: 'POST',
        headers: { apikey: apiKey },
        body: '{"userID":"u-1","role":"viewer"}',
        from: '127.0.0.2',
      });
      expect(login.status).toBe(200);
      token = String(login.headers.authorization).slice(7);
    });
    const use = (node: Node, from: string) =>
      call(`${node.url}/protected-resource`, {
        headers: { authorization: `Bearer ${token}` },
        from,
      });
    expect((await use(a, '127.0.0.2')).status).toBe(200);
    await eventually(async () => expect((await use(b, '127.0.0.3')).status).toBe(200));
    expect((await use(a, '127.0.0.4')).status).toBe(200);
    await eventually(async () => expect(await anomalies('token_multi_ip')).toHaveLength(1), 5000);
    const [found] = await anomalies('token_multi_ip');
    expect([...found!.clientIps].sort()).toEqual(['127.0.0.2', '127.0.0.3', '127.0.0.4']);
    await eventually(async () =>
      expect(receiver.alerts.filter((x) => x.body.rule === 'token_multi_ip')).toHaveLength(1),
    );
  });

  it('adds refused authentications from both nodes into one window: 10 + 10 make one auth_failure_burst', async () => {
    for (const node of [a, b])
      for (let n = 0; n < 10; n++)
        expect(
          (
            await call(`${node.url}/auth`, {
              method: 'POST',
              headers: { apikey: `pg_bad_${n}` },
              body: '{}',
              from: '127.0.0.5',
            })
          ).status,
        ).toBe(401);
    await eventually(
      async () => expect(await anomalies('auth_failure_burst')).toHaveLength(1),
      5000,
    );
    expect((await anomalies('auth_failure_burst'))[0]).toMatchObject({
      subject: 'ip:127.0.0.5',
      count: 20,
    });
  });

  it('applies the --anomaly-threshold flags: two forged tokens, one per node, are enough', async () => {
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
    const forged = `${b64({ alg: 'ES256', kid: 'no-such-kid', typ: 'at+jwt' })}.${b64({})}.AAAA`;
    for (const node of [a, b])
      expect(
        (
          await call(`${node.url}/protected-resource`, {
            headers: { authorization: `Bearer ${forged}` },
            from: '127.0.0.6',
          })
        ).status,
      ).toBe(401);
    await eventually(async () => expect(await anomalies('forged_token')).toHaveLength(1), 5000);
  });

  it('sends each anomaly exactly once, signed, though both nodes have the webhook', async () => {
    const ids = (await store.anomalies.list('test', { limit: 100 })).anomalies
      .map((x) => x.id)
      .sort();
    expect(ids).toHaveLength(3);
    await eventually(async () => expect(receiver.alerts.map((x) => x.body.id).sort()).toEqual(ids));
    // Both nodes poll the outbox every second: give them time to (wrongly) send a second copy.
    await new Promise((r) => setTimeout(r, 2500));
    expect(receiver.alerts).toHaveLength(3);
    for (const alert of receiver.alerts) expect(signatureValid(alert, SECRET)).toBe(true);
    expect(receiver.alerts.map((x) => x.raw).join('')).not.toContain(apiKey);
  });
});
