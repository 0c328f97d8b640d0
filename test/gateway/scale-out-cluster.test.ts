// Two nodes × two workers (four processes serving) on one PostgreSQL and one Redis: a 10/min limit,
// a deploy and a key revocation hold on all four.
import { randomUUID } from 'node:crypto';
import { get } from 'node:http';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { generateMasterKeyText } from '../../src/security/index.js';
import { postgresTarget } from '../store/harness.js';
import type { StoreTarget } from '../store/harness.js';
import { startServe } from './cluster-process.js';
import type { ServeProcess } from './cluster-process.js';
import { echoPipeline, eventually, pipelineDir } from './harness.js';

describe('two nodes × two workers on PostgreSQL + Redis (processes)', () => {
  let pgTarget: StoreTarget;
  let root: string;
  let dir: string;
  const nodes: ServeProcess[] = [];
  const env = {
    PIPEGATE_MASTER_KEY: generateMasterKeyText(),
    PIPEGATE_REDIS_KEY_PREFIX: `pipegate-scale-test:${randomUUID()}:`,
    // Round robin through the primary, and a new connection per request (below): consecutive
    // requests to a node alternate between its two workers, so every check covers all four.
    NODE_CLUSTER_SCHED_POLICY: 'rr',
  };
  /** GET on a new connection (no keep-alive): the status. */
  const status = (url: string, headers: Record<string, string>): Promise<number> =>
    new Promise((resolve, reject) => {
      get(url, { headers, agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      }).on('error', reject);
    });
  const cli = async (...args: string[]): Promise<string> => {
    const out: string[] = [];
    const code = await main([...args, '--store', pgTarget.url], {
      stdout: (t) => void out.push(t),
      stderr: (t) => void out.push(t),
      env,
      cwd: root,
    });
    expect(code, out.join('')).toBe(0);
    return out.join('');
  };
  /** Six calls on new connections: three on each worker of the node. */
  const statuses = async (url: string, headers: Record<string, string>, n = 6): Promise<number[]> => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(await status(url, headers));
    return out;
  };

  beforeAll(async () => {
    pgTarget = await postgresTarget();
    const limited = JSON.stringify({
      name: 'limited',
      version: '1.0',
      trigger: {
        type: 'rest',
        auth: { apiKey: true },
        rateLimit: { limits: [{ interval: 'minute', limit: 10 }] },
      },
      steps: [{ type: 'transformer-jsonata', expression: '$' }],
    });
    ({ root, dir } = await pipelineDir({
      'limited.json': limited,
      'keyed.json': echoPipeline('keyed', { auth: { apiKey: true } }),
    }));
    const args = [dir, '--workers', '2', '--port', '0', '--store', pgTarget.url, '--redis', 'redis://127.0.0.1:6379'];
    // Started one after the other: the second primary finds the first start's work done.
    nodes.push(await startServe(args, env));
    nodes.push(await startServe(args, env));
  }, 180_000);
  afterAll(async () => {
    for (const n of nodes) if (n.child.exitCode === null) n.child.kill('SIGKILL');
    await pgTarget?.dispose();
  });

  it('holds a 10/min limit across all four workers', async () => {
    const created = await cli('consumers', 'create', 'acme', '--json');
    const key = (JSON.parse(created) as { apiKey: string }).apiKey;
    const got: number[] = [];
    for (let i = 0; i < 16; i++) {
      const node = nodes[i % 2]!;
      got.push(await status(`${node.url}/pipeline/local/v1/limited`, { apikey: key }));
    }
    expect(got.filter((s) => s === 200)).toHaveLength(10);
    expect(got.filter((s) => s === 429)).toHaveLength(6);
  }, 60_000);

  it('serves a deploy and refuses a revoked key on all four', async () => {
    const created = await cli('consumers', 'create', 'beta', '--json');
    const key = (JSON.parse(created) as { apiKey: string }).apiKey;
    const file = join(root, 'fresh.json');
    await writeFile(file, echoPipeline('fresh', { auth: { apiKey: true } }));
    await cli('deploy', file);
    for (const n of nodes)
      await eventually(async () =>
        expect(await statuses(`${n.url}/pipeline/local/v1/fresh`, { apikey: key })).toEqual(Array(6).fill(200)),
      );
    const shown = JSON.parse(await cli('consumers', 'show', 'beta', '--json')) as {
      consumer: { apiKeys: { id: string }[] };
    };
    await cli('consumers', 'revoke-key', 'beta', shown.consumer.apiKeys[0]!.id);
    for (const n of nodes)
      await eventually(async () =>
        expect(await statuses(`${n.url}/pipeline/local/v1/fresh`, { apikey: key })).toEqual(Array(6).fill(401)),
      );
  }, 60_000);

  it('drains both nodes on SIGTERM', async () => {
    for (const n of nodes) n.child.kill('SIGTERM');
    for (const n of nodes) {
      expect(await n.exit).toBe(0);
      expect(n.records().at(-1)).toMatchObject({ msg: 'stopped', signal: 'SIGTERM' });
    }
  }, 90_000);
});
