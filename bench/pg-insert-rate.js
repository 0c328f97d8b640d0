// Benchmark: the usage and monitoring insert path on PostgreSQL — events/s and events per PostgreSQL
// CPU-second (what limits a cluster of gateways on one database, docs/scaling.md).
// Each "request" writes what one JWT-protected call writes: one usage event and one execution record
// (logs off), in the batches the gateway's queues use (up to 500 rows per transaction).
// Run: npm run build && node bench/pg-insert-rate.js [--seconds 10] [--writers 4] [--batch 200]
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    writers: { type: 'string', default: '4' },
    batch: { type: 'string', default: '200' },
  },
});
const ADMIN = process.env.PIPEGATE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const { openStore } = await import('../dist/store/index.js');

/** CPU seconds of every PostgreSQL process on this machine (server and backends). */
function postgresCpuSeconds() {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!/^\d+ \((postgres|postmaster)\)/.test(stat)) continue;
      const f = stat.split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* gone */
    }
  }
  return ticks / 100;
}

const name = `pipegate_scale_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
const u = new URL(ADMIN);
u.pathname = `/${name}`;
const store = await openStore(u.toString(), { poolSize: Number(values.writers) });
const batch = Number(values.batch);
const request = { method: 'GET', path: '/orders', headers: { accept: 'application/json' }, body: null };
const response = { status: 200, body: { ok: true, items: [1, 2, 3] } };

function rows(now) {
  const usage = [];
  const executions = [];
  for (let i = 0; i < batch; i++) {
    const key = randomUUID();
    usage.push({
      time: now, kind: 'auth', outcome: 'allowed', pipeline: 'orders@1', route: '/orders',
      consumer: 'acme', credentialKind: 'jwt', jti: 'j-' + (i % 50), status: 200, latencyMs: 1.2,
      clientIp: '10.0.0.1', userAgent: 'bench', executionKey: key, scopes: ['read'], exp: Math.floor(now / 1000) + 900,
    });
    executions.push({
      executionKey: key, pipeline: 'orders', versionMajor: 1, versionMinor: 0, status: 'success',
      errorCode: null, startedAt: now, durationMs: 1, request, response, realm: 'local',
      outcome: 'response', httpStatus: 200, method: 'GET', route: '/orders', consumer: 'acme',
      jti: 'j-1', clientIp: '10.0.0.1', endedAt: now + 1, requestBytes: 80, responseBytes: 40,
    });
  }
  return { usage, executions };
}

try {
  const until = Date.now() + Number(values.seconds) * 1000;
  let requests = 0;
  const cpu0 = postgresCpuSeconds();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Number(values.writers) }, async () => {
      while (Date.now() < until) {
        const { usage, executions } = rows(Date.now());
        await Promise.all([store.usage.insertBatch('test', usage), store.executions.insertBatch('test', executions)]);
        requests += batch;
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const pgCpu = postgresCpuSeconds() - cpu0;
  console.log(
    `${requests} requests (${requests * 2} rows: usage + execution) in ${secs.toFixed(1)} s with ${values.writers} writers, batch ${batch}: ` +
      `${(requests / secs).toFixed(0)} requests/s, PostgreSQL CPU ${pgCpu.toFixed(1)} s → ${(requests / pgCpu).toFixed(0)} requests per PostgreSQL CPU-second`,
  );
} finally {
  await store.close();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
}
