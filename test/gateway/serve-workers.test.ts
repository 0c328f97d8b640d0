// `pipegate serve --workers 2` as a process on the embedded store: first start once, a crashed worker
// replaced, /metrics aggregated over the workers, SIGTERM drains both with every record flushed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { freshRequest, startServe } from './cluster-process.js';
import type { ServeProcess } from './cluster-process.js';

const repo = resolve(import.meta.dirname, '../..');

describe('pipegate serve --workers 2 (process, SQLite)', () => {
  let root: string;
  let server: ServeProcess | undefined;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pg-workers-'));
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('does the first start once, replaces a killed worker, aggregates /metrics, and drains on SIGTERM', async () => {
    const dataDir = join(root, 'data');
    const args = [join(repo, 'examples/jwt-auth'), '--demo', '--workers', '2', '--port', '0', '--data-dir', dataDir];
    // Round robin and a new connection per login: both workers serve, so /metrics must aggregate.
    server = await startServe(args, { PIPEGATE_MASTER_KEY: '', NODE_CLUSTER_SCHED_POLICY: 'rr' });
    const s = server;
    const count = (msg: string): number => s.records().filter((r) => r.msg === msg).length;
    // First-start work ran once, in the primary: one admin credential, one demo key, one banner.
    expect(count('admin credential created')).toBe(1);
    expect(count('demo consumer created')).toBe(1);
    expect(count('serving')).toBe(1);
    expect(s.workerPids()).toHaveLength(2);
    const key = (await readFile(join(dataDir, 'demo-api-key'), 'utf8')).trim();
    const password = (await readFile(join(dataDir, 'admin-password'), 'utf8')).trim();

    // A worker killed outright is replaced (with backoff, logged), and the port keeps serving.
    const victim = s.workerPids()[0]!;
    process.kill(victim, 'SIGKILL');
    await s.waitFor(new RegExp(`worker 1 \\(pid ${victim}\\) exited \\(SIGKILL\\).*starting a replacement in \\d+ ms`));
    await s.waitFor(/worker 3 ready/);
    expect(s.workerPids()).toHaveLength(3);

    const logins = 30;
    for (let i = 0; i < logins; i++) {
      const r = await freshRequest(`${s.url}/auth`, {
        method: 'POST',
        headers: { apikey: key, 'content-type': 'application/json' },
        body: `{"userID":"u-${i}","role":"viewer"}`,
      });
      expect(r.status).toBe(200);
    }
    // /metrics on either worker sums both workers' counters (the primary aggregates).
    const auth = `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
    const metrics = await (await fetch(`${s.adminUrl}/metrics`, { headers: { authorization: auth } })).text();
    expect(metrics).toContain(`pipegate_http_requests_total{pipeline="auth-login",status_class="2xx"} ${logins}`);

    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    const stopping = s.records().find((r) => r.msg === 'stopping');
    expect(stopping).toMatchObject({ signal: 'SIGTERM', detail: expect.stringMatching(/draining 2 workers/) });
    expect(s.records().at(-1)).toMatchObject({ msg: 'stopped', signal: 'SIGTERM' });

    // Every usage event and execution record of both workers reached the store before they exited.
    const store = await openStore(`sqlite:${join(dataDir, 'pipegate.db')}`);
    try {
      const events = await store.usage.query('test', { consumer: 'demo', limit: 1000 });
      expect(events.filter((e) => e.kind === 'auth')).toHaveLength(logins);
      expect(events.filter((e) => e.kind === 'issued')).toHaveLength(logins);
      const executions = await store.executions.query('test', { pipeline: 'auth-login', limit: 1000 });
      expect(executions).toHaveLength(logins);
    } finally {
      await store.close();
    }
  }, 180_000);
});

describe('pipegate serve --workers 2 that cannot start', () => {
  it('exits non-zero with the workers’ coded error when the port is taken', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const dir = await mkdtemp(join(tmpdir(), 'pg-workers-fail-'));
    try {
      const started = startServe(
        [join(repo, 'examples/jwt-auth'), '--workers', '2', '--port', String(port), '--admin-port', '0', '--data-dir', join(dir, 'data')],
        { PIPEGATE_MASTER_KEY: '' },
      );
      const err = await started.then(
        () => 'started',
        (e: Error) => e.message,
      );
      expect(err).toMatch(/serve exited with [1-9]/);
      expect(err).toContain('ERR_GATEWAY_LISTEN');
      expect(err).toMatch(/worker \d+ exited during start/);
    } finally {
      blocker.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
