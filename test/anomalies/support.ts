// Anomaly e2e fixtures: gateways over examples/jwt-auth, clients bound to distinct loopback IPs, a webhook receiver.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CompactSign, importJWK } from 'jose';
import { createConsumer } from '../../src/consumers/consumer-admin.js';
import { startGateway } from '../../src/gateway/index.js';
import type { Gateway, GatewayOptions } from '../../src/gateway/index.js';
import { loadMasterKey, openPrivateJwk, SecretBox } from '../../src/security/index.js';
import type { MasterKey } from '../../src/security/index.js';

export const repoRoot = resolve(import.meta.dirname, '../..');

/** A plain HTTP exchange. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request whose client socket is bound to `from` (127.0.0.2, 127.0.0.3, … are all loopback). */
export function call(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {},
): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request(
      url,
      {
        method: opts.method ?? 'GET',
        headers: { ...(opts.body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
        localAddress: opts.from ?? '127.0.0.1',
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          done({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(opts.body);
  });
}

/** A received alert. */
export interface Alert {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: Record<string, unknown>;
}

/** A real local webhook receiver (node:http) recording every POST; `status` sets its answer. */
export async function startReceiver(): Promise<{
  url: string;
  alerts: Alert[];
  status: number;
  close(): Promise<void>;
}> {
  const state = {
    url: '',
    alerts: [] as Alert[],
    status: 204,
    close: async (): Promise<void> => undefined,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      if (state.status < 300)
        state.alerts.push({
          headers: req.headers,
          raw,
          body: JSON.parse(raw) as Record<string, unknown>,
        });
      res.writeHead(state.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}

/** True when the signature header is the HMAC-SHA256 of the raw body under `secret`. */
export function signatureValid(alert: Alert, secret: string): boolean {
  const got = String(alert.headers['x-pipegate-signature'] ?? '');
  const want = `sha256=${createHmac('sha256', secret).update(alert.raw).digest('hex')}`;
  return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
}

/** A folder with examples/jwt-auth, and gateways over one store. */
export interface Site {
  root: string;
  dir: string;
  dataDir: string;
  nodes: Gateway[];
  master: MasterKey;
  start(opts?: GatewayOptions): Promise<Gateway>;
  consumer(name: string): Promise<string>;
  login(gw: Gateway, apiKey: string, from?: string): Promise<string>;
  /** A token signed with the platform key (e.g. already expired), for `consumer`. */
  craftToken(gw: Gateway, consumer: string, claims: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function startSite(base: GatewayOptions): Promise<Site> {
  const root = await mkdtemp(join(tmpdir(), 'pg-anom-'));
  const dir = join(root, 'pipelines');
  const dataDir = join(root, 'data');
  await mkdir(dir);
  await cp(join(repoRoot, 'examples/jwt-auth'), dir, {
    recursive: true,
    filter: (src) => !src.endsWith('.md'),
  });
  const nodes: Gateway[] = [];
  const start = async (opts: GatewayOptions = {}): Promise<Gateway> => {
    const gw = await startGateway({
      dirs: [dir],
      port: 0,
      dataDir,
      env: {},
      logger: false,
      pollIntervalMs: 50,
      publicUrl: 'http://gateway.test',
      ...base,
      ...opts,
    });
    nodes.push(gw);
    return gw;
  };
  const first = await start();
  const master = base.env?.PIPEGATE_MASTER_KEY
    ? await loadMasterKey({ env: base.env, dataDir, create: false })
    : await loadMasterKey({ env: {}, dataDir, create: false });
  return {
    root,
    dir,
    dataDir,
    nodes,
    master,
    start,
    async consumer(name) {
      const r = await createConsumer(
        { store: first.store, master, environment: first.environment },
        { name, pipelines: ['*'], scopes: null },
      );
      return r.apiKey;
    },
    async login(gw, apiKey, from) {
      const res = await call(`${gw.url}/auth`, {
        method: 'POST',
        headers: { apikey: apiKey },
        body: JSON.stringify({ userID: 'u-1', role: 'admin', password: 'hunter2-not-in-token' }),
        from,
      });
      const h = String(res.headers.authorization ?? '');
      if (!h.startsWith('Bearer ')) throw new Error(`login failed: ${res.status} ${res.body}`);
      return h.slice(7);
    },
    async craftToken(gw, consumer, claims) {
      const rec = (await gw.store.signingKeys.getActive(gw.environment, gw.realm))!;
      const jwk = openPrivateJwk(new SecretBox(master), rec);
      const now = Math.floor(Date.now() / 1000);
      const payload = {
        iss: gw.tokens.issuer,
        aud: gw.tokens.audience,
        sub: consumer,
        client_id: consumer,
        iat: now - 3600,
        exp: now - 1800,
        jti: `crafted-${Math.random().toString(36).slice(2)}`,
        scopes: ['read'],
        ...claims,
      };
      return new CompactSign(Buffer.from(JSON.stringify(payload)))
        .setProtectedHeader({ alg: rec.alg, kid: rec.kid, typ: 'at+jwt' })
        .sign(await importJWK(jwk, rec.alg));
    },
    async close() {
      for (const g of nodes.reverse()) await g.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Waits until `check` passes (bounded, so a broken feature fails instead of hanging). */
export async function eventually(check: () => Promise<void>, deadlineMs = 10_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
