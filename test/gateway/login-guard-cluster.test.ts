// `serve --workers 2 --redis`: wrong admin passwords sent alternately to both workers (round robin, a
// new connection each) add up to the per-username lock-out (default 5); without --redis each worker
// counts its own, and the same sequence is never locked (the control that shows the requests were
// spread). A second node on the same Redis and store sees the lock too.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshRequest, startServe } from './cluster-process.js';
import type { ServeProcess } from './cluster-process.js';

const repo = resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('the failed-login guard across workers and nodes (processes, SQLite + Redis)', () => {
  let root: string;
  const servers: ServeProcess[] = [];
  const wrong = {
    authorization: `Basic ${Buffer.from('admin:not-the-password').toString('base64')}`,
  };
  /** Wrong admin passwords on new connections: their statuses. */
  const attempts = async (s: ServeProcess, n: number): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++)
      out.push((await freshRequest(`${s.adminUrl}/admin/deployments`, { headers: wrong })).status);
    return out;
  };
  const serve = async (
    name: string,
    extra: string[],
    dataDir = join(root, name),
  ): Promise<ServeProcess> => {
    const s = await startServe(
      [
        join(repo, 'examples/jwt-auth'),
        '--workers',
        '2',
        '--port',
        '0',
        '--admin-port',
        String(await freePort()),
        '--data-dir',
        dataDir,
        ...extra,
      ],
      {
        PIPEGATE_MASTER_KEY: '',
        NODE_CLUSTER_SCHED_POLICY: 'rr',
        PIPEGATE_REDIS_KEY_PREFIX: `pipegate-login-test:${randomUUID()}:`,
      },
    );
    servers.push(s);
    return s;
  };
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pg-login-cluster-'));
  });
  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null) s.child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('without --redis each worker counts alone: six failures over two workers are never locked', async () => {
    const s = await serve('alone', []);
    expect(await attempts(s, 6)).toEqual([401, 401, 401, 401, 401, 401]);
  }, 120_000);

  it('with --redis the fifth failure, on either worker, locks the username on both and on another node', async () => {
    const prefix = `pipegate-login-test:${randomUUID()}:`;
    const redis = ['--redis', 'redis://127.0.0.1:6379'];
    const a = await startServe(
      [
        join(repo, 'examples/jwt-auth'),
        '--workers',
        '2',
        '--port',
        '0',
        '--admin-port',
        String(await freePort()),
        '--data-dir',
        join(root, 'shared'),
        ...redis,
      ],
      {
        PIPEGATE_MASTER_KEY: '',
        NODE_CLUSTER_SCHED_POLICY: 'rr',
        PIPEGATE_REDIS_KEY_PREFIX: prefix,
      },
    );
    servers.push(a);
    // A second node: the same store file and the same Redis keys (SQLite allows it on one machine).
    const b = await startServe(
      [
        join(repo, 'examples/jwt-auth'),
        '--workers',
        '2',
        '--port',
        '0',
        '--admin-port',
        String(await freePort()),
        '--data-dir',
        join(root, 'shared'),
        ...redis,
      ],
      {
        PIPEGATE_MASTER_KEY: '',
        NODE_CLUSTER_SCHED_POLICY: 'rr',
        PIPEGATE_REDIS_KEY_PREFIX: prefix,
      },
    );
    servers.push(b);
    // Five failures locks for 1 s (the default base backoff): the next attempts are refused before hashing.
    const got = await attempts(a, 6);
    const onB = await attempts(b, 1);
    expect(got).toEqual([401, 401, 401, 401, 401, 429]);
    expect(onB).toEqual([429]);
  }, 180_000);
});
