// The recording path alone: ExecutionMonitor.finished() in a loop on a file SQLite store, CPU per execution by thread.
// Run: npm run build && node bench/recording-path.js [--passes 3] [--n 20000] [--runs 3] [--rate 5000] [--compare DIR]
// Each pass records `n` executions of the gateway-monitoring service (a realistic trigger message without
// credential headers, the service's response, one log line, the bearer token as a known secret) at `rate`
// executions a second (yielding to the event loop every 50), then waits for the batches to be written.
// --compare DIR runs a copy of another build (DIR holds dist/ and node_modules) in alternation with this one.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const SELF = fileURLToPath(import.meta.url);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const SERVICE = `name: bench-service
version: "1.0"
trigger: { type: rest, methods: [GET], routes: [/protected], removePrefix: true }
steps:
  - type: log
    level: INFO
    message: "served {{ metadata.execution.key }}"
  - type: json-generator
    json: { ok: true, service: protected, items: [1, 2, 3] }
`;

/** CPU µs of this process's main thread (Linux /proc), and of all threads (process.cpuUsage). */
function cpu() {
  const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const u = process.cpuUsage();
  return { main: ((Number(f[11]) + Number(f[12])) * 1e6) / 100, all: u.user + u.system };
}

async function child(root, passes, n, rate) {
  const imp = (p) => import(pathToFileURL(join(root, 'dist', p)).href);
  const { createRegistry } = await imp('core/registry.js');
  const { builtInConnectors } = await imp('connectors/index.js');
  const { loadPipelineText } = await imp('core/loader/index.js');
  const { runPipeline } = await imp('core/engine/index.js');
  const { uuidv7 } = await imp('core/time-ordered-id.js');
  const { openStore } = await imp('store/index.js');
  const { ExecutionMonitor } = await imp('monitoring/execution-monitor.js');
  const { createGatewayMetrics } = await imp('monitoring/metrics.js');
  const { mapExecution } = await imp('gateway/response-mapper.js');
  const { buildEnvelope } = await imp('gateway/request-envelope.js');
  const pipeline = loadPipelineText('service.yaml', SERVICE, {
    registry: createRegistry(builtInConnectors),
  });
  const dir = await mkdtemp(join(tmpdir(), 'pg-bench-recpath-'));
  const store = await openStore(`sqlite:${join(dir, 'pipegate.db')}`);
  const monitor = new ExecutionMonitor(store, 'test', createGatewayMetrics());
  const token =
    'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ1LTEiLCJzY29wZSI6InJlYWQifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
  const message = buildEnvelope({
    triggerType: 'rest',
    method: 'GET',
    path: '/protected',
    headers: {
      host: '127.0.0.1:40123',
      'user-agent': 'bench/1.0',
      accept: '*/*',
      authorization: `Bearer ${token}`,
    },
    query: null,
    params: {},
    body: undefined,
    strip: { apiKey: false, authorization: true },
  });
  const template = await runPipeline(pipeline, {
    message,
    request: { bearerToken: token, clientIp: '127.0.0.1', route: '/protected' },
  });
  const one = () => {
    const result = { ...template, executionKey: uuidv7(Date.now()) };
    const mapped = mapExecution(result, 'rest');
    monitor.finished({
      pipeline,
      realm: 'local',
      method: 'GET',
      route: '/protected',
      consumer: 'bench',
      jti: null,
      clientIp: '127.0.0.1',
      request: message,
      result,
      httpStatus: mapped.status,
      warnings: [],
      unexpected: false,
      responseBody: mapped.body,
    });
  };
  const out = [];
  for (let p = 0; p < passes + 1; p++) {
    const c0 = cpu();
    const t0 = performance.now();
    let backlog = 0;
    for (let i = 0; i < n; i++) {
      monitor.started(pipeline.name);
      one();
      if (i % 50 === 49) {
        // Paced like a server at `rate` executions a second: the writer thread keeps up, so queued
        // records live as long as they do in a server (flat out, they pile up and all get promoted).
        const wait = t0 + ((i + 1) * 1000) / rate - performance.now();
        await new Promise((r) => (wait > 1 ? setTimeout(r, wait) : setImmediate(r)));
        backlog = Math.max(backlog, monitor.executions.pending);
      }
    }
    await monitor.flush();
    const c1 = cpu();
    // The first pass warms the JIT up and is not reported.
    if (p > 0) out.push({ main: (c1.main - c0.main) / n, all: (c1.all - c0.all) / n, backlog });
  }
  const rows = await store.executions.query('test', { limit: 1 });
  if (rows.length !== 1 || monitor.executions.dropped > 0)
    throw new Error('records missing or dropped');
  await monitor.close();
  await store.close();
  await rm(dir, { recursive: true, force: true });
  process.stdout.write(JSON.stringify(out));
}

function runChild(root, passes, n, rate) {
  return new Promise((res, rej) => {
    const p = spawn(
      process.execPath,
      [SELF, 'child', root, String(passes), String(n), String(rate)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let text = '';
    p.stdout.on('data', (d) => (text += d));
    p.on('exit', (code) =>
      code === 0 ? res(JSON.parse(text)) : rej(new Error(`child exit ${code}`)),
    );
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      passes: { type: 'string', default: '3' },
      n: { type: 'string', default: '20000' },
      runs: { type: 'string', default: '3' },
      rate: { type: 'string', default: '5000' },
      compare: { type: 'string' },
    },
  });
  const builds = { this: resolve(SELF, '../..') };
  if (values.compare) builds.compare = resolve(values.compare);
  const results = Object.fromEntries(Object.keys(builds).map((b) => [b, []]));
  for (let r = 0; r < Number(values.runs); r++) {
    const order = r % 2 === 0 ? Object.keys(builds) : Object.keys(builds).reverse();
    for (const b of order) {
      const passes = await runChild(
        builds[b],
        Number(values.passes),
        Number(values.n),
        Number(values.rate),
      );
      results[b].push(...passes);
      const fmt = (k) => passes.map((x) => x[k].toFixed(1)).join(' ');
      const most = Math.max(...passes.map((x) => x.backlog));
      process.stderr.write(
        `run ${r + 1} ${b.padEnd(8)} main µs/exec ${fmt('main')} | all threads ${fmt('all')} | most queued ${most}\n`,
      );
    }
  }
  const summary = Object.fromEntries(
    Object.entries(results).map(([b, xs]) => [
      b,
      {
        mainUsPerExecution: median(xs.map((x) => x.main)),
        allThreadsUsPerExecution: median(xs.map((x) => x.all)),
        passes: xs.length,
      },
    ]),
  );
  console.log(JSON.stringify(summary, null, 2));
}

if (process.argv[2] === 'child')
  await child(
    process.argv[3],
    Number(process.argv[4]),
    Number(process.argv[5]),
    Number(process.argv[6]),
  );
else await main();
