// Issue 18 item 6: with `serve --durable-usage`, a SIGKILL loses no usage event of an answered request.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servingUrl } from '../support/serve-output.js';
import { openStore } from '../../src/store/index.js';

const repo = resolve(import.meta.dirname, '../..');

describe('serve --durable-usage (process)', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pg-durable-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('commits every usage event before answering: none lost on SIGKILL', async () => {
    const dataDir = join(root, 'data');
    const child = spawn(
      process.execPath,
      [
        join(repo, 'bin/pipegate.js'),
        'serve',
        join(repo, 'examples/jwt-auth'),
        '--demo',
        '--durable-usage',
        '--port',
        '0',
        '--data-dir',
        dataDir,
      ],
      {
        cwd: repo,
        env: { ...process.env, PIPEGATE_MASTER_KEY: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exit = new Promise<unknown>((r) => child.once('exit', r));
    let err = '';
    let out = '';
    const url = await new Promise<string>((resolveUrl, reject) => {
      child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        const u = servingUrl(out);
        if (u) resolveUrl(u);
      });
      void exit.then(() => reject(new Error(`serve exited: ${err}${out}`)));
    });
    // No terminal here: the demo key is in a 0600 file of the data directory.
    const key = (await readFile(join(dataDir, 'demo-api-key'), 'utf8')).trim();
    const logins = 120;
    let answered = 0;
    const worker = async (): Promise<void> => {
      while (answered < logins) {
        answered++;
        const res = await fetch(`${url}/auth`, {
          method: 'POST',
          headers: { apikey: key, 'content-type': 'application/json' },
          body: '{"userID":"u-1","role":"viewer"}',
        });
        expect(res.status).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    child.kill('SIGKILL');
    await exit;
    const store = await openStore(`sqlite:${join(dataDir, 'pipegate.db')}`);
    try {
      const events = await store.usage.query('test', { consumer: 'demo', limit: 1000 });
      expect(events.filter((e) => e.kind === 'issued').length).toBe(logins);
      expect(events.filter((e) => e.kind === 'auth').length).toBe(logins);
    } finally {
      await store.close();
    }
  }, 60_000);
});
