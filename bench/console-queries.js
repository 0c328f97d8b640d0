// Benchmark: the console's queries with 1,000,000 executions in a SQLite store (target: every page < 1 s).
// Run: npm run build && node bench/console-queries.js [--rows 1000000] [--runs 7] [--postgres]
// With --postgres also on PostgreSQL 127.0.0.1:5432 (user postgres, trust; a scratch database is created and dropped).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { overview, periodWindow, pipelineMetrics, tokenSummary } from '../dist/monitoring/console-queries.js';
import { listExecutions, listLogs } from '../dist/monitoring/monitoring-reader.js';
import { openStore } from '../dist/store/index.js';
import { sqlite005 } from '../dist/store/migrations/sqlite/005-console.js';
import { postgres005 } from '../dist/store/migrations/postgres/005-console.js';

/** The migration's rollup backfill: the fill below writes executions with SQL, not through insertBatch. */
const rollupBackfill = (m) =>
  m.sql
    .split(';')
    .map((x) => x.trim())
    .filter((x) => x.startsWith('INSERT INTO execution_rollups'))
    .join(';\n');

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '7' },
    postgres: { type: 'boolean', default: false },
  },
});
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
const USAGE_ROWS = Math.floor(ROWS / 5);
const PIPELINES = 20;
const NOW = Date.now();
const SPAN = 30 * 86_400_000;
const START = NOW - SPAN;
const STEP = Math.floor(SPAN / ROWS);
const USTEP = Math.floor(SPAN / USAGE_ROWS);

// Executions as the gateway writes them: 20 pipelines (skewed), 50 consumers, 5 % errors, durations
// 0.5 ms to 2 s, spread evenly over 30 days (so the 30-day period aggregates every row).
const pipelineExpr = (i) => `'pipeline-' || ((${i} * ${i}) % ${PIPELINES})`;
const SQLITE_FILL = `
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ${ROWS - 1})
INSERT INTO executions (environment, execution_key, pipeline, version_major, version_minor, status, error_code,
  started_at, duration_ms, request, response, realm, outcome, http_status, method, route, consumer, client_ip,
  ended_at, request_bytes, response_bytes)
SELECT 'test', printf('%016x', i), ${pipelineExpr('i')}, 1, i % 3,
  CASE WHEN i % 20 = 0 THEN 'error' ELSE 'success' END, CASE WHEN i % 20 = 0 THEN 'ERR_THROWN' END,
  ${START} + i * ${STEP}, 0.5 + (i * 7919 % 2000) * (i % 7) / 7.0, '{"body":{"n":' || i || '}}', '{"ok":true}', 'local',
  CASE WHEN i % 20 = 0 THEN 'error' ELSE 'response' END, CASE WHEN i % 20 = 0 THEN 500 ELSE 200 END,
  'POST', '/p', 'consumer-' || (i % 50), '127.0.0.1', ${START} + i * ${STEP} + 2, 40 + i % 100, 11
FROM c;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < ${USAGE_ROWS - 1})
INSERT INTO token_usage (id, environment, occurred_at, kind, pipeline, consumer, jti, outcome, client_ip, count)
SELECT printf('%016x', i), 'test', ${START} + i * ${USTEP}, CASE WHEN i % 10 = 0 THEN 'issued' ELSE 'auth' END,
  'pipeline-1', 'consumer-' || (i % 50), 'jti-' || (i / 10), CASE WHEN i % 25 = 0 THEN 'denied' ELSE 'allowed' END,
  '10.0.' || (i % 7) || '.1', 1
FROM c;`;
const PG_FILL = `
INSERT INTO executions (environment, execution_key, pipeline, version_major, version_minor, status, error_code,
  started_at, duration_ms, request, response, realm, outcome, http_status, method, route, consumer, client_ip,
  ended_at, request_bytes, response_bytes)
SELECT 'test', lpad(to_hex(i), 16, '0'), 'pipeline-' || ((i::bigint * i) % ${PIPELINES}), 1, i % 3,
  CASE WHEN i % 20 = 0 THEN 'error' ELSE 'success' END, CASE WHEN i % 20 = 0 THEN 'ERR_THROWN' END,
  ${START}::bigint + i::bigint * ${STEP}, 0.5 + (i::bigint * 7919 % 2000) * (i % 7) / 7.0, ('{"body":{"n":' || i || '}}')::json, '{"ok":true}'::json, 'local',
  CASE WHEN i % 20 = 0 THEN 'error' ELSE 'response' END, CASE WHEN i % 20 = 0 THEN 500 ELSE 200 END,
  'POST', '/p', 'consumer-' || (i % 50), '127.0.0.1', ${START}::bigint + i::bigint * ${STEP} + 2, 40 + i % 100, 11
FROM generate_series(0, ${ROWS - 1}) AS i;
INSERT INTO token_usage (id, environment, occurred_at, kind, pipeline, consumer, jti, outcome, client_ip, count)
SELECT lpad(to_hex(i), 16, '0'), 'test', ${START}::bigint + i::bigint * ${USTEP}, CASE WHEN i % 10 = 0 THEN 'issued' ELSE 'auth' END,
  'pipeline-1', 'consumer-' || (i % 50), 'jti-' || (i / 10), CASE WHEN i % 25 = 0 THEN 'denied' ELSE 'allowed' END,
  '10.0.' || (i % 7) || '.1', 1
FROM generate_series(0, ${USAGE_ROWS - 1}) AS i;`;

/** What each console page asks the store, by endpoint. */
const QUERIES = {
  'GET /admin/overview?period=15m': (s) => overview(s, 'test', periodWindow('15m', NOW), NOW),
  'GET /admin/overview?period=1h': (s) => overview(s, 'test', periodWindow('1h', NOW), NOW),
  'GET /admin/overview?period=6h': (s) => overview(s, 'test', periodWindow('6h', NOW), NOW),
  'GET /admin/overview?period=24h': (s) => overview(s, 'test', periodWindow('24h', NOW), NOW),
  'GET /admin/overview?period=7d': (s) => overview(s, 'test', periodWindow('7d', NOW), NOW),
  'GET /admin/overview?period=30d (all 1M rows)': (s) => overview(s, 'test', periodWindow('30d', NOW), NOW),
  'GET /admin/pipelines/pipeline-1/metrics?period=1h': (s) => pipelineMetrics(s, 'test', 'pipeline-1', periodWindow('1h', NOW), 0),
  'GET /admin/pipelines/pipeline-1/metrics?period=24h': (s) => pipelineMetrics(s, 'test', 'pipeline-1', periodWindow('24h', NOW), 0),
  'GET /admin/pipelines/pipeline-1/metrics?period=30d': (s) => pipelineMetrics(s, 'test', 'pipeline-1', periodWindow('30d', NOW), 0),
  'GET /admin/tokens/summary?period=24h': (s) => tokenSummary(s, 'test', periodWindow('24h', NOW), undefined),
  'GET /admin/tokens/summary?period=30d': (s) => tokenSummary(s, 'test', periodWindow('30d', NOW), undefined),
  'GET /admin/tokens/summary?period=30d&consumer=consumer-7': (s) => tokenSummary(s, 'test', periodWindow('30d', NOW), 'consumer-7'),
  'GET /admin/executions (first page of 50)': (s) => listExecutions(s, 'test', {}),
  'GET /admin/executions?pipeline=pipeline-1&status=error&since=24h': (s) =>
    listExecutions(s, 'test', { pipeline: 'pipeline-1', status: 'error', since: '24h' }),
  'GET /admin/executions?pipeline=pipeline-1&version=1.2': (s) => listExecutions(s, 'test', { pipeline: 'pipeline-1', version: '1.2' }),
  'GET /admin/logs (first page)': (s) => listLogs(s, 'test', {}),
  'GET /admin/audit (first page)': (s) => s.audit.list('test', { limit: 100 }),
  'GET /admin/deployments/history': (s) => s.deployments.list('test'),
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function setupSqlite(dir) {
  const file = join(dir, 'bench.db');
  await (await openStore(`sqlite:${file}`)).close();
  const db = new Database(file);
  const t = performance.now();
  db.exec(SQLITE_FILL);
  const r = performance.now();
  db.exec(rollupBackfill(sqlite005));
  process.stderr.write(`sqlite: rollups of ${ROWS} executions in ${((performance.now() - r) / 1000).toFixed(1)} s\n`);
  db.exec('ANALYZE');
  db.close();
  process.stderr.write(`sqlite: ${ROWS} executions + ${USAGE_ROWS} usage rows in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  return openStore(`sqlite:${file}`);
}

async function setupPostgres() {
  const name = `pipegate_console_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  await (await openStore(url)).close();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const t = performance.now();
  await c.query(PG_FILL);
  await c.query(rollupBackfill(postgres005));
  await c.query('VACUUM ANALYZE');
  await c.end();
  process.stderr.write(`postgres: filled in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  const store = await openStore(url, { queryTimeoutMs: 60_000 });
  return {
    store,
    async drop() {
      await store.close();
      const a = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/postgres' });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

async function measure(label, store) {
  const rows = [];
  for (const [name, q] of Object.entries(QUERIES)) {
    await q(store); // warm the page cache and statement cache
    const times = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      await q(store);
      times.push(performance.now() - t);
    }
    rows.push([name, median(times), Math.max(...times)]);
  }
  console.log(`\n${label} (${ROWS.toLocaleString('en')} executions, median and max of ${RUNS} runs, ms)\n`);
  console.log('| Endpoint query | median ms | max ms |\n|---|---:|---:|');
  for (const [name, med, max] of rows) console.log(`| ${name} | ${med.toFixed(1)} | ${max.toFixed(1)} |`);
}

const dir = await mkdtemp(join(tmpdir(), 'pipegate-console-bench-'));
try {
  const sqlite = await setupSqlite(dir);
  await measure('SQLite', sqlite);
  await sqlite.close();
  if (values.postgres) {
    const p = await setupPostgres();
    try {
      await measure('PostgreSQL', p.store);
    } finally {
      await p.drop();
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
