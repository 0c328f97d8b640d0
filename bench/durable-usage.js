// Benchmark: the cost of durable usage recording (serve --durable-usage) vs the default in-memory queue.
// Run: npm run build && node bench/durable-usage.js [--duration 4] [--rounds 3] [--connections 16]
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const SELF = fileURLToPath(import.meta.url);
// An API-key protected route: every request writes one `auth` usage event; the login also an `issued` one.
const SERVICE = `name: bench-keyed
version: "1.0"
trigger: { type: rest, methods: [GET], routes: [/keyed], removePrefix: true, auth: { apiKey: true } }
steps:
  - type: json-generator
    json: { ok: true }
`;
const LOGIN = `name: bench-login
version: "1.0"
trigger: { type: rest, methods: [POST], routes: [/auth], removePrefix: true, auth: { apiKey: true } }
steps:
  - type: json-generator
    json: { userID: u-1 }
  - type: jwt
`;

async function serve(mode) {
  const { startGateway } = await import('../dist/gateway/index.js');
  const { loadMasterKey } = await import('../dist/security/index.js');
  const { createConsumer } = await import('../dist/consumers/consumer-admin.js');
  const root = await mkdtemp(join(tmpdir(), 'pg-bench-durable-'));
  const dir = join(root, 'pipelines');
  await mkdir(dir);
  await writeFile(join(dir, 'keyed.yaml'), SERVICE);
  await writeFile(join(dir, 'login.yaml'), LOGIN);
  const dataDir = join(root, 'data');
  const gw = await startGateway({
    dirs: [dir],
    port: 0,
    dataDir,
    env: {},
    logger: false,
    faults: { durableUsage: mode === 'durable' },
  });
  const master = await loadMasterKey({ env: {}, dataDir, create: false });
  const { apiKey } = await createConsumer(
    { store: gw.store, master, environment: 'test' },
    { name: 'bench', pipelines: ['*'] },
  );
  process.stdout.write(JSON.stringify({ url: gw.url, apiKey }) + '\n');
  process.on('SIGTERM', async () => {
    await gw.close();
    await rm(root, { recursive: true, force: true });
    process.exit(0);
  });
}

function startChild(mode) {
  const child = spawn(process.execPath, [SELF, '--serve', mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => {
    child.stdout.once('data', (d) => resolve({ child, ...JSON.parse(d.toString()) }));
  });
}

function run(url, opts) {
  return new Promise((resolve, reject) =>
    autocannon({ ...opts, url }, (err, r) => (err ? reject(err) : resolve(r))),
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      duration: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '3' },
      connections: { type: 'string', default: '16' },
    },
  });
  if (values.serve) return serve(values.serve);
  const servers = { default: await startChild('default'), durable: await startChild('durable') };
  const scenarios = {
    'GET /keyed (1 auth event)': (s) => ({
      path: '/keyed',
      method: 'GET',
      headers: { apikey: s.apiKey },
    }),
    'POST /auth login (auth + issued events)': (s) => ({
      path: '/auth',
      method: 'POST',
      headers: { apikey: s.apiKey, 'content-type': 'application/json' },
      body: '{}',
    }),
  };
  const results = {};
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const [name, req] of Object.entries(scenarios)) {
      for (const mode of round % 2 === 0 ? ['default', 'durable'] : ['durable', 'default']) {
        const s = servers[mode];
        const r = await run(s.url + req(s).path, {
          ...req(s),
          duration: Number(values.duration),
          connections: Number(values.connections),
        });
        if (r.non2xx > 0) throw new Error(`${mode} ${name}: ${r.non2xx} non-2xx answers`);
        ((results[name] ??= {})[mode] ??= []).push({
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
        });
      }
    }
  }
  console.log(
    `| Scenario | default req/s | durable req/s | ratio | default p50/p99 ms | durable p50/p99 ms |`,
  );
  console.log(`|---|---|---|---|---|---|`);
  for (const [name, byMode] of Object.entries(results)) {
    const m = (mode, k) => median(byMode[mode].map((x) => x[k]));
    console.log(
      `| ${name} | ${m('default', 'rps').toFixed(0)} | ${m('durable', 'rps').toFixed(0)} | ${(m('durable', 'rps') / m('default', 'rps')).toFixed(2)}× | ${m('default', 'p50')}/${m('default', 'p99')} | ${m('durable', 'p50')}/${m('durable', 'p99')} |`,
    );
  }
  for (const s of Object.values(servers)) s.child.kill('SIGTERM');
}

await main();
