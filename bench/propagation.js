// Benchmark: how long a token revocation made on node A takes to be enforced by node B, with
// PostgreSQL LISTEN/NOTIFY waking B's pollers vs polling alone (issue 15 part 3).
// Run: npm run build && node bench/propagation.js [--revocations 100]
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values } = parseArgs({ options: { revocations: { type: 'string', default: '100' } } });
const N = Number(values.revocations);
const ADMIN = process.env.PIPEGATE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

const { startGateway } = await import('../dist/gateway/index.js');
const { generateMasterKeyText, loadMasterKey } = await import('../dist/security/index.js');
const { createConsumer } = await import('../dist/gateway/consumers/consumer-admin.js');
const { PostgresDriver } = await import('../dist/store/postgres/postgres-driver.js');

async function scratchDb() {
  const name = `pipegate_scale_bench_${randomBytes(4).toString('hex')}`;
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(ADMIN);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const d = new pg.Client({ connectionString: ADMIN });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

/** Two nodes on one store; `notify: false` starts them without the LISTEN connection (polling only). */
async function pair(url, env, notify) {
  const saved = PostgresDriver.prototype.listen;
  if (!notify) PostgresDriver.prototype.listen = undefined;
  try {
    const common = { store: url, env, port: 0, adminPort: 0, logger: false, publicUrl: 'http://gateway.test' };
    const a = await startGateway(common);
    const b = await startGateway(common);
    return [a, b];
  } finally {
    PostgresDriver.prototype.listen = saved;
  }
}

/** Revokes a fresh token on A; ms from the committed revoke until B refuses the token. */
async function once(a, b) {
  const t = await a.tokens.issue({
    consumer: 'bench',
    claims: {},
    scopes: [],
    pipeline: 'x',
    executionKey: 'x',
    sensitiveFields: [],
  });
  const warm = await b.tokens.verify(t.token);
  if (!warm.jti) throw new Error(`B does not accept the token: ${JSON.stringify(warm)}`);
  await a.tokens.revoke({ jti: t.jti });
  const t0 = performance.now();
  for (;;) {
    const r = await b.tokens.verify(t.token);
    if (r.ok === false && r.reason === 'revoked') return performance.now() - t0;
    await new Promise((r) => setTimeout(r, 1));
  }
}

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
function summary(xs) {
  const s = [...xs].sort((x, y) => x - y);
  return { p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s.at(-1) };
}

const db = await scratchDb();
const env = { PIPEGATE_MASTER_KEY: generateMasterKeyText() };
try {
  const notify = await pair(db.url, env, true);
  const poll = await pair(db.url, env, false);
  const master = await loadMasterKey({ env, dataDir: '/nonexistent', create: false });
  await createConsumer({ store: notify[0].store, master, environment: 'test' }, { name: 'bench', pipelines: ['*'] });
  await Promise.all([...notify, ...poll].map((g) => g.refresh()));
  const results = { notify: [], poll: [] };
  // Interleaved: one revocation through each pair in turn, so both see the same machine load.
  for (let i = 0; i < N; i++) {
    results.notify.push(await once(...notify));
    results.poll.push(await once(...poll));
  }
  for (const [mode, xs] of Object.entries(results)) {
    const s = summary(xs);
    console.log(
      `${mode.padEnd(7)} n=${xs.length} p50=${s.p50.toFixed(1)} ms p95=${s.p95.toFixed(1)} ms p99=${s.p99.toFixed(1)} ms max=${s.max.toFixed(1)} ms`,
    );
  }
  await Promise.all([...notify, ...poll].map((g) => g.close()));
} finally {
  await db.drop();
}
