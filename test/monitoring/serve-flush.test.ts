// A real `pipegate serve` process writes every execution and log line on SIGTERM; an overloaded queue drops, never fails requests.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servingUrl } from '../support/serve-output.js';
import { openStore } from '../../src/store/index.js';
import { startHarness } from '../gateway/harness.js';

const repo = resolve(import.meta.dirname, '../..');
const bin = join(repo, 'bin/pipegate.js');
const PIPELINE = JSON.stringify({
  name: 'noted',
  version: '1.0',
  trigger: { type: 'rest', methods: ['POST'] },
  steps: [
    { type: 'log', level: 'INFO', message: 'note {{ message.body.n }}' },
    { type: 'transformer-jsonata', expression: 'body' },
  ],
});

describe('recording under shutdown and overload', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pg-mon-'));
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it('SIGTERM flushes every queued execution record and log line', async () => {
    const dir = join(root, 'pipelines');
    await mkdir(dir);
    await writeFile(join(dir, 'noted.json'), PIPELINE);
    const dataDir = join(root, 'data');
    const child = spawn(
      process.execPath,
      [bin, 'serve', dir, '--port', '0', '--data-dir', dataDir],
      {
        cwd: root,
        env: { ...process.env, PIPEGATE_MASTER_KEY: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
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
    const statuses = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        fetch(`${url}/pipeline/local/v1/noted`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ n }),
        }).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    // Straight after the responses (well inside the 200 ms flush period): stop.
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const store = await openStore(`sqlite:${join(dataDir, 'pipegate.db')}`);
    try {
      expect(await store.executions.query('test', { pipeline: 'noted', limit: 1000 })).toHaveLength(
        40,
      );
      const lines = await store.logs.query('test', { pipeline: 'noted', limit: 1000 });
      expect(new Set(lines.map((l) => l.message)).size).toBe(40);

      // `logs --follow` prints the existing lines, then lines written afterwards, until SIGTERM.
      const follow = spawn(
        process.execPath,
        [bin, 'logs', '--follow', '--limit', '5', '--data-dir', dataDir],
        {
          cwd: root,
          env: { ...process.env, PIPEGATE_MASTER_KEY: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const followed = new Promise<number | null>((r) => follow.once('exit', (code) => r(code)));
      let out = '';
      const waiters: { text: string; ok: () => void }[] = [];
      follow.stdout!.on('data', (d: Buffer) => {
        out += d.toString('utf8');
        for (const w of waiters) if (out.includes(w.text)) w.ok();
      });
      const seen = (text: string) =>
        new Promise<void>((ok) => {
          if (out.includes(text)) ok();
          else waiters.push({ text, ok });
        });
      await seen('note ');
      await store.logs.insertBatch('test', [
        {
          executionKey: 'later',
          pipeline: 'noted',
          level: 'WARN',
          message: 'written after follow started',
          timestamp: Date.now(),
          step: null,
        },
      ]);
      await seen('written after follow started');
      follow.kill('SIGTERM');
      expect(await followed).toBe(0);
      expect(out.split('\n').filter((l) => l.includes('note ')).length).toBe(5);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('drops the oldest records beyond the queue bound and counts them; every request still succeeds', async () => {
    const h = await startHarness({ 'noted.json': PIPELINE }, { monitoring: { maxQueue: 1 } });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 60 }, (_, n) =>
          h
            .fetch('/pipeline/local/v1/noted', {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ n }),
            })
            .then((r) => r.status),
        ),
      );
      expect(statuses.every((s) => s === 200)).toBe(true);
      await h.gw.monitor.flush();
      const dropped = h.gw.monitor.executions.dropped;
      const stored = await h.gw.store.executions.query('test', { pipeline: 'noted', limit: 1000 });
      expect(dropped).toBeGreaterThan(0);
      expect(stored.length + dropped).toBe(60);
      const metrics = await h.gw.metrics.registry.getSingleMetricAsString(
        'pipegate_monitoring_records_dropped_total',
      );
      expect(metrics).toContain(
        `pipegate_monitoring_records_dropped_total{kind="execution"} ${dropped}`,
      );
    } finally {
      await h.close();
    }
  });
});
