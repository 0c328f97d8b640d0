// `pipegate serve --demo` as a process (the `npm start` path): demo key once, the login works, SIGTERM is graceful.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/security/index.js';
import { openStore } from '../../src/store/index.js';

const repo = resolve(import.meta.dirname, '../..');
const bin = join(repo, 'bin/pipegate.js');

interface Server {
  child: ChildProcess;
  url: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Starts the CLI; resolves once it prints the serving line (bounded by the test timeout). */
function serve(dataDir: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [bin, 'serve', join(repo, 'examples/jwt-auth'), '--demo', '--port', '0', '--data-dir', dataDir],
    {
      cwd: repo,
      env: { ...process.env, PIPEGATE_MASTER_KEY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let err = '';
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return new Promise((resolveServer, reject) => {
    child.once('error', reject);
    child.stdout!.resume();
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString('utf8');
      const m = /serving on (http:\/\/[^\s]+) /.exec(err);
      if (m) resolveServer({ child, url: m[1]!, stderr: () => err, exit });
    });
    void exit.then((code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
}

describe('pipegate serve --demo (process)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pg-serve-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('prints the demo key once, serves the login, and shuts down gracefully on SIGTERM', async () => {
    const dataDir = join(root, 'data');
    const first = await serve(dataDir);
    const key = /API key: (pg_[A-Za-z0-9_-]+)/.exec(first.stderr())?.[1];
    expect(key).toBeDefined();
    // stderr is a pipe here (a log collector, not a terminal): the password never goes to it, but to
    // an owner-only file of the data directory.
    const passwordFile = join(dataDir, 'admin-password');
    expect(first.stderr()).toContain(`Admin credential created: user admin;`);
    expect(first.stderr()).toContain(passwordFile);
    expect((await stat(passwordFile)).mode & 0o777).toBe(0o600);
    const adminPassword = (await readFile(passwordFile, 'utf8')).trim();
    expect(adminPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(first.stderr()).not.toContain(adminPassword);
    const login = await fetch(`${first.url}/auth`, {
      method: 'POST',
      headers: { apikey: key!, 'content-type': 'application/json' },
      body: '{"userID":"u-1","role":"viewer"}',
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('authorization')).toMatch(/^Bearer /);
    first.child.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    expect(first.stderr()).toContain('SIGTERM: finishing in-flight requests');
    // The banner names the admin API, the token metadata URL and where token usage is read.
    expect(first.stderr()).toMatch(/Admin API {6}http:\/\/127\.0\.0\.1:\d+\/admin/);
    expect(first.stderr()).toContain(`${first.url}/.well-known/oauth-authorization-server/realms/local`);
    expect(first.stderr()).toContain('pipegate tokens usage --environment test');
    expect(first.stderr().trimEnd().split('\n').pop()).toBe('Pipegate stopped (SIGTERM).');

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
    expect(second.stderr()).toContain('already exists');
    expect(second.stderr()).not.toContain(key!);
    expect(second.stderr()).not.toContain('Admin credential created');
    expect(second.stderr()).not.toContain(adminPassword);
    second.child.kill('SIGINT');
    expect(await second.exit).toBe(0);
  }, 60_000);
});
