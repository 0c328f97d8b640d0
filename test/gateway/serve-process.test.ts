// `pipegate serve --demo` as a process (the `npm start` path): JSON-line output, demo key once, the login works, SIGTERM is graceful.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/security/index.js';
import { openStore } from '../../src/store/index.js';
import { serveRecords, servingUrl } from '../support/serve-output.js';

const repo = resolve(import.meta.dirname, '../..');
const bin = join(repo, 'bin/pipegate.js');

interface Server {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Starts the CLI; resolves once it prints the serving record (bounded by the test timeout). */
function serve(dataDir: string, extra: string[] = ['--demo']): Promise<Server> {
  const child = spawn(
    process.execPath,
    [bin, 'serve', join(repo, 'examples/jwt-auth'), ...extra, '--port', '0', '--data-dir', dataDir],
    {
      cwd: repo,
      env: { ...process.env, PIPEGATE_MASTER_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  let out = '';
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolveServer, reject) => {
    child.once('error', reject);
    child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const url = servingUrl(out);
      if (url) resolveServer({ child, url, stdout: () => out, stderr: () => err, exit });
    });
    void exit.then((code) => reject(new Error(`serve exited with ${code}: ${err}${out}`)));
  });
}

describe('pipegate serve --demo (process)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pg-serve-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('hands out the demo key once, serves the login, and shuts down gracefully on SIGTERM', async () => {
    const dataDir = join(root, 'data');
    const first = await serve(dataDir);
    // stdout and stderr are pipes here (a log collector, not a terminal): the secrets shown once
    // never go to them, but to owner-only files of the data directory named by the records.
    const created = serveRecords(first.stdout()).find((r) => r.msg === 'demo consumer created');
    const keyFile = join(dataDir, 'demo-api-key');
    expect(created).toMatchObject({ level: 30, consumer: 'demo', apiKeyFile: keyFile });
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const key = (await readFile(keyFile, 'utf8')).trim();
    expect(key).toMatch(/^pg_[A-Za-z0-9_-]+$/);
    const passwordFile = join(dataDir, 'admin-password');
    expect(serveRecords(first.stdout())).toContainEqual(
      expect.objectContaining({ msg: 'admin credential created', user: 'admin', passwordFile }),
    );
    expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
    const adminPassword = (await readFile(passwordFile, 'utf8')).trim();
    expect(adminPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.stdout() + first.stderr()).not.toContain(adminPassword);
    expect(first.stdout() + first.stderr()).not.toContain(key);
    const login = await fetch(`${first.url}/auth`, {
      method: 'POST',
      headers: { apikey: key, 'content-type': 'application/json' },
      body: '{"userID":"u-1","role":"viewer"}',
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('authorization')).toMatch(/^Bearer /);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    // One format: every line of stdout is a JSON record, stderr is empty; the last record says stopped.
    const lines = first.stdout().trimEnd().split('\n');
    const records = serveRecords(first.stdout());
    expect(records).toHaveLength(lines.length);
    expect(first.stderr()).toBe('');
    expect(records.at(-1)).toMatchObject({ level: 30, msg: 'stopped', signal: 'SIGTERM' });
    expect(records.at(-2)).toMatchObject({ msg: 'stopping', signal: 'SIGTERM' });
    // The banner names the admin API and its user, the token metadata URL and where usage is read.
    const byMsg = (msg: string) => records.find((r) => r.msg === msg);
    expect(byMsg('serving')).toMatchObject({ url: first.url, environment: 'test', realm: 'local' });
    expect(byMsg('admin API')).toMatchObject({
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/admin$/),
      user: 'admin',
    });
    expect(byMsg('token metadata')).toMatchObject({
      url: `${first.url}/.well-known/oauth-authorization-server/realms/local`,
      jwksUrl: `${first.url}/.well-known/jwks.json`,
    });
    expect(byMsg('token usage')).toMatchObject({
      command: 'pipegate tokens usage --environment test --since 15m',
    });
    for (const r of records)
      expect(r).toMatchObject({ time: expect.any(Number), pid: expect.any(Number) });

    const store = await openStore(`sqlite:${join(dataDir, 'pipegate.db')}`);
    try {
      const admin = await store.admins.get('admin');
      expect(await verifyPassword(adminPassword, admin!.passwordHash)).toBe(true);
      const events = await store.usage.query('test', { consumer: 'demo' });
      expect(events.map((e) => `${e.kind}:${e.outcome}`).sort()).toEqual([
        'auth:allowed',
        'issued:allowed',
      ]);
    } finally {
      await store.close();
    }

    const second = await serve(dataDir);
    const again = serveRecords(second.stdout());
    expect(again.map((r) => r.msg)).toContain('demo consumer already exists');
    expect(again.map((r) => r.msg)).not.toContain('admin credential created');
    expect(second.stdout() + second.stderr()).not.toContain(key);
    expect(second.stdout() + second.stderr()).not.toContain(adminPassword);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  }, 60_000);

  it('reports a configuration warning as a record of the same stream, never the value', async () => {
    const config = join(root, 'pipegate.yaml');
    await writeFile(config, 'publicUrl: https://app:hunter2@api.example.com\n');
    const s = await serve(join(root, 'data-2'), ['--config', config, '--admin-port', '0']);
    s.child.kill('SIGTERM');
    expect(await s.exit).toBe(0);
    const records = serveRecords(s.stdout());
    expect(records).toHaveLength(s.stdout().trimEnd().split('\n').length);
    expect(records[0]).toMatchObject({
      level: 40,
      msg: 'configuration warning',
      code: 'ERR_CONFIG_SECRET_LIKE_VALUE',
      file: config,
      line: 1,
    });
    expect(records.at(-1)).toMatchObject({ msg: 'stopped' });
    expect(s.stderr()).toBe('');
    expect(s.stdout()).not.toContain('hunter2');
  }, 60_000);
});
