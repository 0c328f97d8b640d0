// Benchmark: CPU per recorded execution + its log line through store.executions.insertBatch on SQLite, by thread.
// Run: npm run build && node bench/recording-writer.js [--build DIR] [--passes 5] [--rows 30000] [--batch 250] [--prefill 200000]
// --build DIR measures another build (DIR holds a copy of dist/): run two builds alternately for before/after.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

const { values } = parseArgs({
  options: {
    build: { type: 'string', default: fileURLToPath(new URL('..', import.meta.url)) },
    passes: { type: 'string', default: '5' },
    rows: { type: 'string', default: '30000' },
    batch: { type: 'string', default: '250' },
    prefill: { type: 'string', default: '200000' },
  },
});
const build = resolve(values.build);
const { openStore } = await import(join(build, 'dist/store/index.js'));
const { uuidv7 } = await import(join(build, 'dist/core/time-ordered-id.js'));

/** CPU µs of each thread of this process so far, by thread id (Linux /proc). */
function threads() {
  const out = new Map();
  for (const t of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(t), ((Number(f[11]) + Number(f[12])) * 1e6) / 100);
  }
  return out;
}

// A record as the gateway-monitoring benchmark's protected service writes it (sampled from a real run).
const REQUEST = JSON.stringify({ body: {}, form: {}, headers: { host: '127.0.0.1:44569', connection: 'keep-alive', accept: '*/*', 'accept-language': '*', 'sec-fetch-mode': 'cors', 'user-agent': 'node', 'accept-encoding': 'gzip, deflate' }, queryAndPath: {}, method: 'GET', contentType: '', path: '/protected' });
const RESPONSE = JSON.stringify({ ok: true, service: 'protected', items: [1, 2, 3] });
let clock = Date.now() - 86_400_000;
function batch(n) {
  const records = [];
  const lines = [];
  const jti = uuidv7(clock);
  for (let i = 0; i < n; i++) {
    const t = Math.floor((clock += 0.2));
    const key = uuidv7(t);
    const error = i % 50 === 49;
    records.push({
      executionKey: key, pipeline: 'bench-service', versionMajor: 1, versionMinor: 0,
      status: error ? 'error' : 'success', errorCode: error ? 'ERR_THROWN' : null, startedAt: t,
      durationMs: 0.2 + Math.random(), request: null, response: null, requestText: REQUEST,
      responseText: RESPONSE, realm: 'local', outcome: error ? 'error' : 'response', httpStatus: error ? 500 : 200,
      method: 'GET', route: '/protected', consumer: 'bench', jti, clientIp: '127.0.0.1', endedAt: t,
      requestBytes: 269, responseBytes: 49,
    });
    lines.push({ executionKey: key, pipeline: 'bench-service', level: 'INFO', message: `served ${key}`, timestamp: t, step: '/steps/0', realm: 'local', versionMajor: 1, versionMinor: 0 });
  }
  return { records, lines };
}

const dir = await mkdtemp(join(tmpdir(), 'pg-bench-writer-'));
const store = await openStore(`sqlite:${join(dir, 'p.db')}`);
const B = Number(values.batch);
async function write(rows) {
  for (let i = 0; i < rows; i += B) {
    const { records, lines } = batch(Math.min(B, rows - i));
    await store.executions.insertBatch('test', records, lines);
  }
}
try {
  await write(Number(values.prefill) || B);
  const main = [];
  const writer = [];
  const all = [];
  for (let p = 0; p < Number(values.passes); p++) {
    const a = threads();
    await write(Number(values.rows));
    const b = threads();
    let m = 0;
    let o = 0;
    let top = 0;
    for (const [t, us] of b) {
      const d = us - (a.get(t) ?? 0);
      if (t === process.pid) m = d;
      else {
        o += d;
        top = Math.max(top, d);
      }
    }
    const n = Number(values.rows);
    main.push(m / n);
    writer.push(top / n);
    all.push((m + o) / n);
  }
  const med = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
  const f = (xs) => xs.map((x) => x.toFixed(1)).join(' ');
  console.log(`build ${build}: µs per execution + log line (passes: ${f(all)})`);
  console.log(`  median: all threads ${med(all).toFixed(1)}, event loop ${med(main).toFixed(1)}, writer thread ${med(writer).toFixed(1)} (${f(writer)})`);
} finally {
  await store.close();
  await rm(dir, { recursive: true, force: true });
}
