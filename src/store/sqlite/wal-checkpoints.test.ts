// While the writer thread runs, WAL checkpoints are its job: the event loop's connection has them off,
// the thread copies the frames the event loop's commits appended, and the default returns after close.
import { statSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteDriver } from './sqlite-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'pg-wal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The WAL auto-checkpoint threshold of the event loop's connection, in pages (0: off). */
function autocheckpoint(d: ReturnType<typeof openSqliteDriver>): number {
  return d.db.pragma('wal_autocheckpoint', { simple: true }) as number;
}

describe('WAL checkpoints with the writer thread', () => {
  it('moves them off the event loop while the writer runs, and copies the event loop’s frames', async () => {
    const file = join(dir, 'wal.db');
    const d = openSqliteDriver(file);
    try {
      expect(autocheckpoint(d)).toBe(1000);
      await d.exec('CREATE TABLE big (n INTEGER, pad TEXT)');
      await d.bulkInsert([{ table: 'big', columns: ['n', 'pad'], rows: [[0, 'x']] }]);
      expect(autocheckpoint(d)).toBe(0);
      // ~3,000 pages from the event loop's connection: past SQLite's threshold, which it no longer acts on.
      const pad = 'p'.repeat(3_000);
      for (let i = 0; i < 30; i++) {
        await d.transaction(async (tx) => {
          for (let j = 0; j < 100; j++)
            await tx.run('INSERT INTO big VALUES (?, ?)', [i * 100 + j, pad]);
        });
      }
      const walBytes = statSync(`${file}-wal`).size;
      expect(walBytes).toBeGreaterThan(1000 * 4096);
      // The thread's once-a-second PASSIVE checkpoint copies them: the next commit then restarts the
      // WAL from its start, so new frames overwrite the old ones instead of growing the file.
      const dbBefore = statSync(file).size;
      const deadline = Date.now() + 10_000;
      while (statSync(file).size <= dbBefore + 1000 * 4096 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(statSync(file).size).toBeGreaterThan(dbBefore + 1000 * 4096);
    } finally {
      await d.close();
    }
  });

  it('gives the connection its default back once the writer is closed', async () => {
    const d = openSqliteDriver(join(dir, 'back.db'));
    await d.exec('CREATE TABLE t (n INTEGER)');
    await d.bulkInsert([{ table: 't', columns: ['n'], rows: [[1]] }]);
    expect(autocheckpoint(d)).toBe(0);
    await d.bulkWriter!.close();
    expect(autocheckpoint(d)).toBe(1000);
    await d.close();
  });
});
