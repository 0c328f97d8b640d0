// Benchmark: the cost of recording executions and pipeline logs — the gateway-jwt service pipeline with recording on vs off.
// Run: npm run build && node bench/gateway-monitoring.js [--duration 4] [--rounds 4] [--connections 32] [--warmup 5000] [--compare DIR]
// --compare DIR also loads the on/off servers of another build (a copy of dist/ and bench/ in DIR, e.g. the
// commit before a change), interleaved with these: before/after at the same moments of a shared machine.
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { answerParent, median, startChild, threadCpu } from './lib/child-server.js';

const SELF = fileURLToPath(import.meta.url);

// The protected service of bench/gateway-jwt.js plus a log step, so that every request writes an
// execution record (request and response messages) and a log line when recording is on.
const SERVICE = `name: bench-service
version: "1.0"
trigger: { type: rest, methods: [GET], routes: [/protected], removePrefix: true, auth: { jwt: true, scopes: [read] } }
steps:
  - type: log
    level: INFO
    message: "served {{ metadata.execution.key }}"
  - type: json-generator
    json: { ok: true, service: protected, items: [1, 2, 3] }
`;
const LOGIN = `name: bench-login
version: "1.0"
trigger: { type: rest, methods: [POST], routes: [/auth], removePrefix: true, auth: { apiKey: true } }
steps:
  - type: json-generator
    json: { userID: u-1 }
  - type: jwt
    scopes: read
`;

async function pipegateServer(record, logStep = true) {
  const { startGateway } = await import('../dist/gateway/index.js');
  const { loadMasterKey } = await import('../dist/security/index.js');
  const { createConsumer } = await import('../dist/consumers/consumer-admin.js');
  const root = await mkdtemp(join(tmpdir(), 'pg-bench-mon-'));
  const dir = join(root, 'pipelines');
  const dataDir = join(root, 'data');
  await mkdir(dir);
  await writeFile(join(dir, 'service.yaml'), logStep ? SERVICE : SERVICE.replace(/ {2}- type: log\n.*\n.*\n/, ''));
  await writeFile(join(dir, 'login.yaml'), LOGIN);
  const gw = await startGateway({ dirs: [dir], port: 0, dataDir, env: {}, logger: false, monitoring: { record } });
  const master = await loadMasterKey({ env: {}, dataDir, create: false });
  const { apiKey } = await createConsumer(
    { store: gw.store, master, environment: 'test' },
    { name: 'bench', pipelines: ['*'], scopes: ['read'] },
  );
  const login = await fetch(`${gw.url}/auth`, { method: 'POST', headers: { apikey: apiKey, 'content-type': 'application/json' }, body: '{}' });
  const token = login.headers.get('authorization').slice(7);
  return {
    url: gw.url,
    token,
    stats: async () => {
      await gw.monitor.flush();
      const rows = await gw.store.executions.query('test', { pipeline: 'bench-service', limit: 1 });
      return { dropped: gw.monitor.executions.dropped, sample: rows.length };
    },
    cleanup: async () => {
      await gw.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function serve(record) {
  const s = await pipegateServer(record === 'on', process.argv[4] !== 'no-log');
  answerParent({ url: s.url, token: s.token }, s.cleanup, { stats: s.stats });
}



async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '4' },
      connections: { type: 'string', default: '32' },
      warmup: { type: 'string', default: '5000' },
      compare: { type: 'string' },
    },
  });
  const { default: autocannon } = await import('autocannon');
  const servers = {
    on: await startChild(SELF, ['serve', 'on']),
    off: await startChild(SELF, ['serve', 'off']),
  };
  if (values.compare) {
    const other = join(values.compare, 'bench', 'gateway-monitoring.js');
    servers['compare-on'] = await startChild(other, ['serve', 'on']);
    servers['compare-off'] = await startChild(other, ['serve', 'off']);
  }
  const { on } = servers;
  const names = Object.keys(servers);
  const results = Object.fromEntries(names.map((n) => [n, []]));
  try {
    // Warm-up (requests, not seconds): the JIT settles before anything is measured.
    for (const s of Object.values(servers))
      await autocannon({ url: `${s.info.url}/protected`, connections: Number(values.connections), amount: Number(values.warmup), headers: { authorization: `Bearer ${s.info.token}` } });
    for (let round = 0; round < Number(values.rounds); round++) {
      // Interleaved, order alternating per round (ABBA), so drift on the shared machine hits both.
      const order = round % 2 === 0 ? names : [...names].reverse();
      for (const name of order) {
        const s = servers[name];
        const cpu0 = await s.cpu();
        const threads0 = threadCpu(s.child.pid);
        const r = await autocannon({
          url: `${s.info.url}/protected`,
          connections: Number(values.connections),
          duration: Number(values.duration),
          headers: { authorization: `Bearer ${s.info.token}` },
        });
        const bad = r.non2xx + r.errors + r.timeouts;
        if (bad > 0) throw new Error(`${name}: ${bad} failed requests`);
        // CPU per request of the whole server process (all threads, the SQLite writer thread included):
        // steadier than req/s on a shared machine.
        const cpuUs = ((await s.cpu()) - cpu0) / r.requests.total;
        // Split by thread: the event loop vs the others (SQLite writer thread, GC helpers, JIT).
        const threads1 = threadCpu(s.child.pid);
        const mainUs = (threads1.main - threads0.main) / r.requests.total;
        const otherUs = (threads1.other - threads0.other) / r.requests.total;
        results[name].push({ rps: r.requests.average, p99: r.latency.p99, cpuUs, mainUs, otherUs });
        process.stderr.write(`round ${round + 1} ${name.padEnd(11)} ${r.requests.average.toFixed(0)} req/s p99 ${r.latency.p99} ms cpu ${cpuUs.toFixed(0)} µs/req (main ${mainUs.toFixed(0)}, other threads ${otherUs.toFixed(0)})\n`);
      }
    }
    const onStats = await on.ask('stats');
    const summary = (xs) => ({
      rps: median(xs.map((x) => x.rps)),
      p99: median(xs.map((x) => x.p99)),
      cpuUsPerRequest: median(xs.map((x) => x.cpuUs)),
      mainThreadUsPerRequest: median(xs.map((x) => x.mainUs)),
      otherThreadsUsPerRequest: median(xs.map((x) => x.otherUs)),
    });
    // on ÷ off CPU per request, computed per round (same moment of the machine), then the median.
    const cpuRatio = (a, b) => median(results[a].map((x, i) => x.cpuUs / results[b][i].cpuUs));
    const a = summary(results.on);
    const b = summary(results.off);
    const out = {
      recordingOn: a,
      recordingOff: b,
      throughputRatio: a.rps / b.rps,
      costPercent: (1 - a.rps / b.rps) * 100,
      cpuCostPercent: (a.cpuUsPerRequest / b.cpuUsPerRequest - 1) * 100,
      cpuRatioPerRound: cpuRatio('on', 'off'),
      droppedWhileOn: onStats.dropped,
    };
    if (values.compare) {
      out.compareOn = summary(results['compare-on']);
      out.compareOff = summary(results['compare-off']);
      out.compareCpuRatioPerRound = cpuRatio('compare-on', 'compare-off');
    }
    console.log(JSON.stringify(out, null, 2));
  } finally {
    for (const s of Object.values(servers)) s.child.stdin.end();
  }
}

if (process.argv[2] === 'serve') await serve(process.argv[3]);
else await main();
