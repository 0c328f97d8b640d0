// `pipegate init`: the scaffold is served at once by `pipegate serve` (a process) and the login → protected → logout flow works.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servingUrl } from '../support/serve-output.js';
import { main } from '../../src/cli/main.js';

const bin = resolve(import.meta.dirname, '../../bin/pipegate.js');

async function cliIn(cwd: string, ...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd });
  return { code, stdout, stderr };
}

describe('pipegate init', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pg-init-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('writes the project files, validates them, and never overwrites', async () => {
    const r = await cliIn(root, 'init', 'shop');
    expect(r.code).toBe(0);
    const dir = join(root, 'shop');
    for (const f of ['pipegate.yaml', 'pipelines/auth-login.yaml', 'pipelines/protected-resource.yaml', 'pipelines/auth-logout.yaml', '.gitignore', 'README.md'])
      expect(existsSync(join(dir, f)), f).toBe(true);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('.pipegate/');
    const v = await cliIn(dir, 'validate', '--deploy', ...['auth-login', 'protected-resource', 'auth-logout'].map((n) => join(dir, 'pipelines', `${n}.yaml`)));
    expect(v.code).toBe(0);
    const shown = await cliIn(dir, 'config', 'show', '--json');
    expect(JSON.parse(shown.stdout).values.pipelines.value).toEqual([join(dir, 'pipelines')]);
    const again = await cliIn(root, 'init', 'shop');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('ERR_INIT_EXISTS');
  });

  it('is served at once by `pipegate serve`: login, protected call, logout', async () => {
    const dir = join(root, 'shop');
    const created = await cliIn(dir, 'consumers', 'create', 'my-app', '--scopes', 'read', '--json');
    const apiKey = JSON.parse(created.stdout).apiKey as string;
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: dir, env: { ...process.env, PIPEGATE_MASTER_KEY: '', PIPEGATE_CONFIG: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      let err = '';
      const url = await new Promise<string>((ok, fail) => {
        child.stderr!.on('data', (d: Buffer) => (err += d.toString('utf8')));
        child.stdout!.on('data', (d: Buffer) => {
          err += d.toString('utf8');
          const u = servingUrl(err);
          if (u) ok(u);
        });
        void exit.then((code) => fail(new Error(`serve exited with ${code}: ${err}`)));
      });
      const login = await fetch(`${url}/auth`, { method: 'POST', headers: { apikey: apiKey, 'content-type': 'application/json' }, body: '{"userID":"u-1","role":"viewer","password":"p"}' });
      expect(login.status).toBe(200);
      const bearer = login.headers.get('authorization')!;
      expect(bearer).toMatch(/^Bearer /);
      const ok = await fetch(`${url}/protected-resource`, { headers: { authorization: bearer } });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ consumer: 'my-app', scopes: ['read'] });
      expect((await fetch(`${url}/protected-resource`)).status).toBe(401);
      const out = await fetch(`${url}/logout`, { method: 'POST', headers: { authorization: bearer } });
      expect(await out.json()).toEqual({ status: 'logged out' });
      expect((await fetch(`${url}/protected-resource`, { headers: { authorization: bearer } })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    }
  });
});
