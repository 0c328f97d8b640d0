// Migration 006's execution indexes serve the listings and the aggregates they are meant for (SQLite plans).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';

describe('execution indexes (migration 006)', () => {
  let dir: string;
  let db: Database.Database;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pg-recording-idx-'));
    const store = await openStore(`sqlite:${join(dir, 'p.db')}`);
    await store.close();
    db = new Database(join(dir, 'p.db'));
  });
  afterAll(async () => {
    db.close();
    await rm(dir, { recursive: true, force: true });
  });

  const plan = (sql: string): string =>
    db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all('test', 1, 2)
      .map((r) => (r as { detail: string }).detail)
      .join('\n');

  it('keeps only the listing indexes worth their write cost', () => {
    const names = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'executions' ORDER BY name",
      )
      .all()
      .map((r) => (r as { name: string }).name);
    expect(names).toEqual([
      'executions_errors',
      'executions_pipeline',
      'executions_time',
      'sqlite_autoindex_executions_1',
    ]);
  });

  it('lists the latest failed executions from the partial index, without a sort', () => {
    const p = plan(
      "SELECT execution_key FROM executions WHERE environment = ? AND outcome = 'error' AND started_at >= ? AND started_at < ? ORDER BY started_at DESC, execution_key DESC LIMIT 50",
    );
    expect(p).toContain('executions_errors');
    expect(p).not.toContain('TEMP B-TREE');
  });

  it('aggregates a time window by pipeline and outcome from the time index alone', () => {
    const p = plan(
      'SELECT pipeline, outcome, COUNT(*), AVG(duration_ms), SUM(http_status >= 500) FROM executions WHERE environment = ? AND started_at >= ? AND started_at < ? GROUP BY pipeline, outcome',
    );
    expect(p).toContain('COVERING INDEX executions_time');
  });

  it('lists one pipeline newest first from its index', () => {
    const p = plan(
      "SELECT execution_key FROM executions WHERE environment = ? AND pipeline = 'p' AND started_at >= ? AND started_at < ? ORDER BY started_at DESC, execution_key DESC LIMIT 50",
    );
    expect(p).toContain('executions_pipeline');
    expect(p).not.toContain('TEMP B-TREE');
  });
});
