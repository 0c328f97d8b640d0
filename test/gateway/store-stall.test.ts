// Issue 18 item 2: PostgreSQL behind a TCP proxy that stops forwarding — timeouts, circuit breaker, fast /readyz, cached tokens.
import { readFile } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer } from '../../src/consumers/consumer-admin.js';
import { startGateway } from '../../src/gateway/index.js';
import type { Gateway } from '../../src/gateway/index.js';
import { generateMasterKeyText, loadMasterKey } from '../../src/security/index.js';
import { postgresTarget } from '../store/harness.js';
import type { StoreTarget } from '../store/harness.js';
import { eventually, pipelineDir } from './harness.js';

/**
 * A TCP proxy in front of PostgreSQL. `stall()` makes it a black hole: connections stay open, bytes
 * in either direction are swallowed, new connections are accepted and never answered — what a hung
 * database host or a broken network path looks like (unlike a refused connection, nothing fails).
 */
class StallingProxy {
  stalled = false;
  readonly #sockets = new Set<Socket>();
  readonly #server: Server;

  constructor(
    private readonly upstreamHost: string,
    private readonly upstreamPort: number,
  ) {
    this.#server = createServer((client) => this.#accept(client));
  }

  #track(s: Socket): void {
    this.#sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => this.#sockets.delete(s));
  }

  #accept(client: Socket): void {
    this.#track(client);
    if (this.stalled) return; // accepted, never answered
    const upstream = connect(this.upstreamPort, this.upstreamHost);
    this.#track(upstream);
    client.on('data', (d: Buffer) => void (this.stalled || upstream.write(d)));
    upstream.on('data', (d: Buffer) => void (this.stalled || client.write(d)));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  async listen(): Promise<number> {
    await new Promise<void>((r) => this.#server.listen(0, '127.0.0.1', r));
    return (this.#server.address() as { port: number }).port;
  }

  stall(): void {
    this.stalled = true;
  }

  /** Forwards again; connections that stalled stay dead (the pool replaces them). */
  resume(): void {
    this.stalled = false;
    for (const s of this.#sockets) s.destroy();
  }

  async close(): Promise<void> {
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }
}

async function timed(p: Promise<Response>): Promise<{ status: number; ms: number }> {
  const t = performance.now();
  const res = await p;
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t };
}

describe('a stalled PostgreSQL store', () => {
  let target: StoreTarget;
  let proxy: StallingProxy;
  let gw: Gateway;
  let keys: string[];
  const env = { PIPEGATE_MASTER_KEY: generateMasterKeyText() };

  beforeAll(async () => {
    target = await postgresTarget();
    proxy = new StallingProxy('127.0.0.1', Number(new URL(target.url).port || 5432));
    const port = await proxy.listen();
    const viaProxy = new URL(target.url);
    viaProxy.port = String(port);
    const files: Record<string, string> = {};
    for (const f of ['auth-login.yaml', 'service.yaml'])
      files[f] = await readFile(new URL(`../../examples/jwt-auth/${f}`, import.meta.url), 'utf8');
    const { dir } = await pipelineDir(files);
    gw = await startGateway({
      dirs: [dir],
      port: 0,
      store: viaProxy.toString(),
      env,
      logger: false,
      pollIntervalMs: 100,
      faults: {
        storeQueryTimeoutMs: 1000,
        storeConnectTimeoutMs: 1000,
        breakerFailures: 3,
        breakerResetMs: 5000,
      },
    });
    const master = await loadMasterKey({ env, dataDir: '/nonexistent', create: false });
    const owner = { store: gw.store, master, environment: gw.environment };
    keys = [];
    for (const name of ['acme', 'globex', 'initech'])
      keys.push((await createConsumer(owner, { name, pipelines: ['*'] })).apiKey);
    // The gateway's change poller (every 100 ms here) sees these creations and clears its consumer
    // caches: let it, or that clear can land after the test's first verified request and leave no
    // cached consumer to answer from during the stall.
    await new Promise((r) => setTimeout(r, 500));
  });
  afterAll(async () => {
    proxy?.resume();
    await gw?.close().catch(() => undefined);
    await proxy?.close();
    await target?.dispose();
  });

  const login = (key: string) =>
    fetch(`${gw.url}/auth`, {
      method: 'POST',
      headers: { apikey: key, 'content-type': 'application/json' },
      body: JSON.stringify({ userID: 'u-1', role: 'user' }),
    });

  it('answers 503 within the timeout bound, then at once (breaker), keeps cached tokens working, and recovers', async () => {
    const res = await login(keys[0]!);
    expect(res.status).toBe(200);
    const token = res.headers.get('authorization')!;
    const protectedResource = () =>
      fetch(`${gw.url}/protected-resource`, { headers: { authorization: token } });
    expect((await protectedResource()).status).toBe(200);

    proxy.stall();
    // In flight while the database stalls: an API key never seen needs the store. Before the
    // timeouts these hung for as long as the stall lasted (> 10 s).
    const inFlight = await Promise.all([timed(login(keys[1]!)), timed(login(keys[2]!))]);
    for (const r of inFlight) {
      expect(r.status).toBe(503);
      expect(r.ms).toBeLessThan(5000);
    }
    // Once N failures opened the breaker, refusals no longer wait for a timeout (each took the
    // pool's 5 s connect timeout before).
    await eventually(async () => expect((await timed(login(keys[1]!))).ms).toBeLessThan(1000));
    for (let i = 0; i < 3; i++) {
      const r = await timed(login(keys[1]!));
      expect(r.status).toBe(503);
      expect(r.ms).toBeLessThan(1000);
    }
    const ready = await timed(fetch(`${gw.url}/readyz`));
    expect(ready.status).toBe(503);
    expect(ready.ms).toBeLessThan(1500);
    // A token verified before the stall keeps working for its bound, without the store.
    const cached = await timed(protectedResource());
    expect(cached.status).toBe(200);
    expect(cached.ms).toBeLessThan(1000);

    proxy.resume();
    await eventually(async () => expect((await login(keys[1]!)).status).toBe(200), 15_000);
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
  }, 60_000);
});
