// End-to-end fixtures: gateways on loopback serving examples/jwt-auth over one temporary embedded store.
import { mkdtemp, rm, writeFile, mkdir, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startGateway } from '../../src/gateway/index.js';
import type { Gateway } from '../../src/gateway/index.js';
import { createConsumer } from '../../src/consumers/consumer-admin.js';
import { loadMasterKey, openPrivateJwk, SecretBox } from '../../src/security/index.js';
import type { MasterKey } from '../../src/security/index.js';
import type { TokenUsageEvent } from '../../src/store/records.js';
import type { JWK } from 'jose';

export const repoRoot = resolve(import.meta.dirname, '../..');

export interface E2e {
  root: string;
  dataDir: string;
  dir: string;
  gw: Gateway;
  master: MasterKey;
  start(environment: string): Promise<Gateway>;
  consumer(name: string, scopes?: string[] | null, environment?: string): Promise<string>;
  login(apiKey: string, body: unknown, gw?: Gateway): Promise<Response>;
  tokenOf(res: Response): string;
  get(path: string, token?: string, gw?: Gateway): Promise<Response>;
  /** Flushes the usage recorder and returns the auth event of the request with this execution key (or the latest one). */
  authEvent(res: Response, gw?: Gateway): Promise<TokenUsageEvent | undefined>;
  platformKey(gw?: Gateway): Promise<{ kid: string; jwk: JWK }>;
  close(): Promise<void>;
}

/** Starts a `test` gateway over examples/jwt-auth plus `extra` pipeline files. */
export async function startE2e(extra: Record<string, string> = {}): Promise<E2e> {
  const root = await mkdtemp(join(tmpdir(), 'pg-e2e-'));
  const dir = join(root, 'pipelines');
  const dataDir = join(root, 'data');
  await mkdir(dir);
  await cp(join(repoRoot, 'examples/jwt-auth'), dir, {
    recursive: true,
    filter: (src) => !src.endsWith('.md'),
  });
  for (const [name, text] of Object.entries(extra)) await writeFile(join(dir, name), text);
  const gateways: Gateway[] = [];
  const start = async (environment: string): Promise<Gateway> => {
    const gw = await startGateway({
      dirs: [dir],
      port: 0,
      dataDir,
      environment,
      env: {},
      logger: false,
      pollIntervalMs: 50,
    });
    gateways.push(gw);
    return gw;
  };
  const gw = await start('test');
  const master = await loadMasterKey({ env: {}, dataDir, create: false });
  const e: E2e = {
    root,
    dataDir,
    dir,
    gw,
    master,
    start,
    async consumer(name, scopes = null, environment = 'test') {
      const r = await createConsumer(
        { store: gw.store, master, environment },
        { name, pipelines: ['*'], scopes },
      );
      return r.apiKey;
    },
    login: (apiKey, body, g = gw) =>
      fetch(`${g.url}/auth`, {
        method: 'POST',
        headers: { apikey: apiKey, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    tokenOf(res) {
      const h = res.headers.get('authorization');
      if (!h?.startsWith('Bearer '))
        throw new Error(`no token in login response (status ${res.status})`);
      return h.slice(7);
    },
    get: (path, token, g = gw) =>
      fetch(`${g.url}${path}`, {
        headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
      }),
    async authEvent(res, g = gw) {
      await g.usage.flush();
      const key = res.headers.get('x-pipegate-execution-key');
      const events = await g.store.usage.query(g.environment, { kind: 'auth', limit: 50 });
      return key ? events.find((ev) => ev.executionKey === key) : events[0];
    },
    async platformKey(g = gw) {
      const rec = (await g.store.signingKeys.getActive(g.environment, g.realm))!;
      return { kid: rec.kid, jwk: openPrivateJwk(new SecretBox(master), rec) };
    },
    async close() {
      for (const g of gateways.reverse()) await g.close();
      await rm(root, { recursive: true, force: true });
    },
  };
  return e;
}
