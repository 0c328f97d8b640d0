// Benchmark: the cost of anomaly detection — the same gateway with detection on vs off, interleaved.
// Run: npm run build && node bench/anomalies.js [--duration 5] [--rounds 5] [--connections 32]
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { answerParent, load, median, startChild } from './lib/child-server.js';

const SELF = fileURLToPath(import.meta.url);
const SERVICE = `name: bench-service
version: "1.0"
trigger: { type: rest, methods: [GET], routes: [/protected], removePrefix: true, auth: { jwt: true, scopes: [read] } }
steps:
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

/** A gateway child process: detection `on` (defaults, which the load trips: rate spike, issuance burst) or `off`. */
async function serve(detection) {
  const { startGateway } = await import('../dist/gateway/index.js');
  const { loadMasterKey } = await import('../dist/security/index.js');
  const { createConsumer } = await import('../dist/consumers/consumer-admin.js');
  const root = await mkdtemp(join(tmpdir(), 'pg-bench-anom-'));
  const dir = join(root, 'pipelines');
  const dataDir = join(root, 'data');
  await mkdir(dir);
  await writeFile(join(dir, 'service.yaml'), SERVICE);
  await writeFile(join(dir, 'login.yaml'), LOGIN);
  const gw = await startGateway({
    dirs: [dir],
    port: 0,
    dataDir,
    env: {},
    logger: false,
    anomalies: { enabled: detection === 'on' },
  });
  const master = await loadMasterKey({ env: {}, dataDir, create: false });
  const { apiKey } = await createConsumer(
    { store: gw.store, master, environment: 'test' },
    { name: 'bench', pipelines: ['*'], scopes: ['read'] },
  );
  const login = await fetch(`${gw.url}/auth`, {
    method: 'POST',
    headers: { apikey: apiKey, 'content-type': 'application/json' },
    body: '{}',
  });
  const token = login.headers.get('authorization').slice(7);
  answerParent(
    { url: gw.url, token, apiKey },
    async () => {
      await gw.close();
      await rm(root, { recursive: true, force: true });
    },
    {
      anomalies: async () => {
        const { anomalies } = await gw.store.anomalies.list('test', { limit: 100 });
        return anomalies.map((a) => `${a.rule}:${a.count}`);
      },
    },
  );
}

/** The request-path share in isolation: ns per AnomalyDetector.observe() of typical events (no store work). */
async function observeCost() {
  const { AnomalyDetector, resolveAnomalySettings } =
    await import('../dist/monitoring/anomalies/index.js');
  const d = new AnomalyDetector({
    store: null, // tick() is never called: only the synchronous request-path part is measured
    environment: 'test',
    realm: 'local',
    settings: resolveAnomalySettings(),
    onRaised() {},
    onError() {},
  });
  const allowed = (i) => ({
    time: Date.now(),
    kind: 'auth',
    outcome: 'allowed',
    reason: null,
    status: 200,
    clientIp: '127.0.0.1',
    consumer: 'bench',
    credentialKind: 'jwt',
    jti: `jti-${i % 50}`,
    executionKey: `k${i}`,
  });
  const denied = (i) => ({
    ...allowed(i),
    outcome: 'denied',
    reason: 'bad_signature',
    status: 401,
    jti: null,
    consumer: null,
    clientIp: `10.0.${i % 200}.1`,
  });
  const out = {};
  for (const [name, make] of [
    ['allowed token use', allowed],
    ['refused forged token', denied],
  ]) {
    const events = Array.from({ length: 10_000 }, (_, i) => make(i));
    const ns = [];
    for (let r = 0; r < 7; r++) {
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < 20; k++) for (const e of events) d.observe(e);
      ns.push(Number(process.hrtime.bigint() - t0) / 200_000);
    }
    out[name] = median(ns);
  }
  return out;
}

async function main() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '5' },
      connections: { type: 'string', default: '32' },
    },
  });
  const opts = { duration: Number(values.duration), connections: Number(values.connections) };
  const rounds = Number(values.rounds);
  const { default: autocannon } = await import('autocannon');
  const on = await startChild(SELF, ['serve', 'on']);
  const off = await startChild(SELF, ['serve', 'off']);
  try {
    const cases = [
      {
        name: 'reused ES256 token',
        path: '/protected',
        request: (s) => ({ headers: { authorization: `Bearer ${s.info.token}` } }),
      },
      {
        name: 'login (new token each)',
        path: '/auth',
        request: (s) => ({
          method: 'POST',
          headers: { apikey: s.info.apiKey, 'content-type': 'application/json' },
          body: '{}',
        }),
      },
    ];
    const variants = [
      { name: 'detection on', s: on },
      { name: 'detection off', s: off },
    ];
    for (const c of cases)
      for (const v of variants)
        await load(autocannon, `${v.s.info.url}${c.path}`, {
          ...opts,
          duration: 2,
          request: c.request(v.s),
          cpu: v.s.cpu,
        });
    const results = new Map();
    for (let r = 0; r < rounds; r++) {
      for (const c of cases) {
        const order = r % 2 ? [...variants].reverse() : variants;
        for (const v of order) {
          const m = await load(autocannon, `${v.s.info.url}${c.path}`, {
            ...opts,
            request: c.request(v.s),
            cpu: v.s.cpu,
          });
          const key = `${c.name}|${v.name}`;
          results.set(key, [...(results.get(key) ?? []), m]);
          process.stderr.write(
            `round ${r + 1} ${key}: ${Math.round(m.rps)} req/s p99 ${m.p99} ms, ${Math.round(m.cpuUs)} µs CPU/req\n`,
          );
        }
      }
    }
    const lines = [
      `node ${process.version}, ${opts.connections} connections, ${opts.duration} s x ${rounds} rounds, interleaved (order alternating); medians.`,
      'ratio = on ÷ off per round, then the median of the rounds.',
      '',
      '| case | variant | req/s | p99 ms | server CPU µs/req | req/s ratio on/off | CPU/req ratio on/off |',
      '|---|---|---|---|---|---|---|',
    ];
    for (const c of cases) {
      const onR = results.get(`${c.name}|detection on`);
      const offR = results.get(`${c.name}|detection off`);
      for (const [name, ms] of [
        ['detection on', onR],
        ['detection off', offR],
      ]) {
        const rps = median(ms.map((m, i) => m.rps / offR[i].rps));
        const cpu = median(ms.map((m, i) => m.cpuUs / offR[i].cpuUs));
        lines.push(
          `| ${c.name} | ${name} | ${Math.round(median(ms.map((m) => m.rps)))} | ${median(ms.map((m) => m.p99))} | ${median(ms.map((m) => m.cpuUs)).toFixed(1)} | ${rps.toFixed(3)} | ${cpu.toFixed(3)} |`,
        );
      }
    }
    lines.push(
      '',
      `anomalies raised by the "on" server under this load: ${JSON.stringify(await on.ask('anomalies'))}`,
    );
    const cost = await observeCost();
    const perReq = median(results.get('reused ES256 token|detection off').map((m) => m.cpuUs));
    for (const [name, ns] of Object.entries(cost))
      lines.push(
        `observe() of one ${name}: ${ns.toFixed(0)} ns (${((ns / 1000 / perReq) * 100).toFixed(2)} % of the ${perReq.toFixed(0)} µs CPU a reused-token request costs with detection off, measured in the same run)`,
      );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    on.child.stdin.end();
    off.child.stdin.end();
  }
}

if (process.argv[2] === 'serve') await serve(process.argv[3]);
else if (process.argv[2] === 'observe') console.log(await observeCost());
else await main();
