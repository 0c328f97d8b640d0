// Benchmark: listing the latest 50 executions of one pipeline among 1,000,000, on SQLite and PostgreSQL (target < 50 ms).
// Run: npm run build && node bench/monitoring-store.js [--rows 1000000] [--runs 30]
// Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth); creates and drops a scratch database.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { openStore } from '../dist/store/index.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '30' } } });
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const PIPELINES = 100;
const START = Date.now() - 3 * 86_400_000;
const STEP = Math.floor((3 * 86_400_000) / ROWS);

// Rows as the gateway writes them: 100 pipelines, 50 consumers, 5 % errors, spread over 3 days.
const SQLITE_FILL = `
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ${ROWS - 1})
INSERT INTO executions (environment, execution_key, pipeline, version_major, version_minor, status, error_code,
  started_at, duration_ms, request, response, realm, outcome, http_status, method, route, consumer, client_ip,
  ended_at, request_bytes, response_bytes)
SELECT 'test', lower(hex(randomblob(16))), 'pipeline-' || (i % ${PIPELINES}), 1, 0,
  CASE WHEN i % 20 = 0 THEN 'error' ELSE 'success' END, CASE WHEN i % 20 = 0 THEN 'ERR_THROWN' END,
  ${START} + i * ${STEP}, 1.5, '{"body":{"n":' || i || ',"item":"book"},"method":"POST"}', '{"ok":true}', 'local',
  CASE WHEN i % 20 = 0 THEN 'error' ELSE 'response' END, CASE WHEN i % 20 = 0 THEN 500 ELSE 200 END,
  'POST', '/pipeline/local/v1/p', 'consumer-' || (i % 50), '127.0.0.1', ${START} + i * ${STEP} + 2, 48, 11
FROM c`;
const PG_FILL = `
INSERT INTO executions (environment, execution_key, pipeline, version_major, version_minor, status, error_code,
  started_at, duration_ms, request, response, realm, outcome, http_status, method, route, consumer, client_ip,
  ended_at, request_bytes, response_bytes)
SELECT 'test', md5(random()::text || i), 'pipeline-' || (i % ${PIPELINES}), 1, 0,
  CASE WHEN i % 20 = 0 THEN 'error' ELSE 'success' END, CASE WHEN i % 20 = 0 THEN 'ERR_THROWN' END,
  ${START}::bigint + i * ${STEP}, 1.5, ('{"body":{"n":' || i || ',"item":"book"},"method":"POST"}')::json, '{"ok":true}'::json, 'local',
  CASE WHEN i % 20 = 0 THEN 'error' ELSE 'response' END, CASE WHEN i % 20 = 0 THEN 500 ELSE 200 END,
  'POST', '/pipeline/local/v1/p', 'consumer-' || (i % 50), '127.0.0.1', ${START}::bigint + i * ${STEP} + 2, 48, 11
FROM generate_series(0, ${ROWS - 1}) AS i`;

const QUERIES = {
  'latest 50 of one pipeline': { pipeline: 'pipeline-42', limit: 50 },
  'next page (cursor)': null, // filled from the first query's last row
  'latest 50 overall': { limit: 50 },
  'latest 50 errors': { outcome: 'error', limit: 50 },
  'latest 50 of one consumer': { consumer: 'consumer-7', limit: 50 },
  'one pipeline, last hour': { pipeline: 'pipeline-42', from: START + 3 * 86_400_000 - 3_600_000, limit: 50 },
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function setupSqlite(dir) {
  const file = join(dir, 'bench.db');
  (await openStore(`sqlite:${file}`)).close();
  const db = new Database(file);
  const t = performance.now();
  db.exec(SQLITE_FILL);
  db.exec('ANALYZE');
  db.close();
  process.stderr.write(`sqlite: ${ROWS} rows in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  return openStore(`sqlite:${file}`);
}

async function setupPostgres() {
  const name = `pipegate_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  (await openStore(url)).close();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t = performance.now();
  await c.query(PG_FILL);
  await c.query('VACUUM ANALYZE executions');
  await c.end();
  process.stderr.write(`postgres: ${ROWS} rows in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const store = await openStore(url);
  return {
    store,
    drop: async () => {
      await store.close();
      const a = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'pg-bench-store-'));
  const sqlite = await setupSqlite(dir);
  const postgres = await setupPostgres();
  const stores = { sqlite, postgres: postgres.store };
  const times = {};
  try {
    for (const [name, store] of Object.entries(stores)) {
      const first = await store.executions.query('test', QUERIES['latest 50 of one pipeline']);
      const last = first[first.length - 1];
      stores[name] = { store, cursorQuery: { pipeline: 'pipeline-42', limit: 50, cursor: { startedAt: last.startedAt, executionKey: last.executionKey } } };
    }
    // Interleaved: each run does every query on each dialect in turn.
    for (let run = 0; run < RUNS; run++) {
      for (const [qname, q] of Object.entries(QUERIES)) {
        for (const [dname, { store, cursorQuery }] of Object.entries(stores)) {
          const t = performance.now();
          const rows = await store.executions.query('test', q ?? cursorQuery);
          const ms = performance.now() - t;
          if (rows.length !== 50) throw new Error(`${dname} ${qname}: ${rows.length} rows`);
          ((times[qname] ??= {})[dname] ??= []).push(ms);
        }
      }
    }
    const table = Object.entries(times).map(([q, d]) => ({
      query: q,
      sqliteMedianMs: Number(median(d.sqlite).toFixed(2)),
      postgresMedianMs: Number(median(d.postgres).toFixed(2)),
      sqliteMaxMs: Number(Math.max(...d.sqlite).toFixed(2)),
      postgresMaxMs: Number(Math.max(...d.postgres).toFixed(2)),
    }));
    console.log(JSON.stringify({ rows: ROWS, runs: RUNS, results: table }, null, 2));
  } finally {
    await sqlite.close();
    await postgres.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
