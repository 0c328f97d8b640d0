// examples/api-proxy end to end, as its README runs it: accounts add, serve --allow-egress, login, proxied call.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servingUrl } from '../support/serve-output.js';

const repo = resolve(import.meta.dirname, '../..');
const bin = join(repo, 'bin/pipegate.js');
const env = { ...process.env, PIPEGATE_MASTER_KEY: '' };

interface Served {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  stdout: () => string;
}

function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [bin, 'serve', ...args, '--port', '0'], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  let out = '';
  return new Promise((done, reject) => {
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const url = servingUrl(out);
      if (url) done({ child, url, stderr: () => err, stdout: () => out });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

async function stop(s: Served): Promise<void> {
  const exited = new Promise((r) => s.child.once('exit', r));
  s.child.kill('SIGTERM');
  await exited;
}

describe('examples/api-proxy (README flow)', () => {
  let root: string;
  let upstream: Server;
  const seen: { key?: string; consumer?: string }[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pg-api-proxy-'));
    const { startOrdersUpstream } = (await import(join(repo, 'examples/api-proxy/orders-upstream.js'))) as {
      startOrdersUpstream(o: { port: number }): Promise<Server>;
    };
    upstream = await startOrdersUpstream({ port: 0 });
    upstream.prependListener('request', (req) => seen.push({ key: req.headers['x-orders-key'] as string, consumer: req.headers['x-consumer'] as string }));
    // The example calls port 9090; this copy calls the port the test upstream got.
    const port = (upstream.address() as AddressInfo).port;
    await mkdir(join(root, 'api-proxy'));
    const text = await readFile(join(repo, 'examples/api-proxy/order-proxy.yaml'), 'utf8');
    await writeFile(join(root, 'api-proxy/order-proxy.yaml'), text.replace('127.0.0.1:9090', `127.0.0.1:${port}`));
  });
  afterAll(async () => {
    await new Promise((r) => upstream.close(r));
    await rm(root, { recursive: true, force: true });
  });

  it('serves the JWT-protected proxy, maps the answer, and refuses egress without --allow-egress', { timeout: 90_000 }, async () => {
    const dataDir = join(root, 'data');
    const add = spawnSync(
      process.execPath,
      [bin, 'accounts', 'add', 'orders-api', '--type', 'api-key', '--set', 'key=demo-orders-key', '--set', 'name=X-Orders-Key', '--data-dir', dataDir],
      { cwd: repo, env, encoding: 'utf8' },
    );
    expect(add.status, add.stderr).toBe(0);
    const dirs = [join(repo, 'examples/jwt-auth'), join(root, 'api-proxy')];
    const server = await serve([...dirs, '--demo', '--allow-egress', '127.0.0.1', '--data-dir', dataDir]);
    // No terminal here: the demo key is in a 0600 file of the data directory.
    const apiKey = (await readFile(join(dataDir, 'demo-api-key'), 'utf8')).trim();
    const login = async (url: string): Promise<string> => {
      const res = await fetch(`${url}/auth`, { method: 'POST', headers: { apikey: apiKey!, 'content-type': 'application/json' }, body: '{"userID":"u-42","role":"viewer"}' });
      return (res.headers.get('authorization') ?? '').replace(/^Bearer /, '');
    };
    try {
      const token = await login(server.url);
      expect(token).not.toBe('');

      const ok = await fetch(`${server.url}/orders/A-1001`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ orderId: 'A-1001', status: 'shipped', items: 2, total: 88.9 });
      expect(seen.at(-1)).toEqual({ key: 'demo-orders-key', consumer: 'demo' });

      const missing = await fetch(`${server.url}/orders/B-1`, { headers: { authorization: `Bearer ${token}` } });
      expect(missing.status).toBe(404);

      const calls = seen.length;
      const anonymous = await fetch(`${server.url}/orders/A-1001`);
      expect(anonymous.status).toBe(401);
      expect(seen.length).toBe(calls);
    } finally {
      await stop(server);
    }
    expect(server.stdout() + server.stderr()).not.toContain('demo-orders-key');

    const closed = await serve([...dirs, '--data-dir', dataDir]);
    try {
      const calls = seen.length;
      // A new port is a new issuer URL: log in again.
      const token = await login(closed.url);
      const refused = await fetch(`${closed.url}/orders/A-1001`, { headers: { authorization: `Bearer ${token}` } });
      expect(refused.status).toBe(502);
      expect(seen.length).toBe(calls);
    } finally {
      await stop(closed);
    }
    expect(closed.stdout()).toContain('ERR_EGRESS_DENIED');
    expect(closed.stdout() + closed.stderr()).not.toContain('demo-orders-key');
  });
});
