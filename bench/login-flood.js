// Benchmark: API-key logins during a flood of wrong Basic Auth passwords, with and without the login guard.
// Run: npm run build && node bench/login-flood.js [--duration 4] [--rounds 3] [--flood 200] [--reference]
// Three processes: the gateway, the attacker (the flood) and this one, which only times the
// legitimate logins, so that neither the flood's 200 sockets nor the gateway share its event loop.
import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const LOGIN = `name: login
version: "1.0"
trigger: { type: rest, methods: [POST], routes: [/auth], removePrefix: true, auth: { apiKey: true } }
steps:
  - type: json-generator
    json: { userID: u-1 }
  - type: jwt
    scopes: read
`;
const BASIC = `name: basic-login
version: "1.0"
trigger: { type: rest, methods: [POST], routes: [/basic-auth], removePrefix: true, auth: { basicAuth: true } }
steps:
  - type: jwt
    scopes: read
`;

/** The guard off: what the gateway did before issue 10 (every wrong password hashed, no cap). */
const UNGUARDED = {
  maxConcurrentHashes: 1e9,
  maxQueuedHashes: 1e9,
  maxFailuresPerIp: 1e9,
  maxFailuresPerUser: 1e9,
};

const SELF = fileURLToPath(import.meta.url);
const { values } = parseArgs({
  options: {
    serve: { type: 'string' },
    attack: { type: 'string' },
    duration: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    flood: { type: 'string', default: '200' },
    reference: { type: 'boolean', default: false },
  },
});
const DURATION_MS = Number(values.duration) * 1000;
const FLOOD = Number(values.flood);

async function serve(logins) {
  const { startGateway } = await import('../dist/gateway/index.js');
  const { loadMasterKey } = await import('../dist/security/index.js');
  const { createConsumer, addBasic } = await import('../dist/consumers/consumer-admin.js');
  const root = await mkdtemp(join(tmpdir(), 'pg-flood-'));
  const dir = join(root, 'pipelines');
  await mkdir(dir);
  await writeFile(join(dir, 'login.yaml'), LOGIN);
  await writeFile(join(dir, 'basic.yaml'), BASIC);
  const dataDir = join(root, 'data');
  // trustProxy: the flood comes from many addresses (X-Forwarded-For), so per-address limits do not
  // hide the cost of hashing: this is the hash cap's worst case.
  const gw = await startGateway({
    dirs: [dir],
    port: 0,
    adminPort: 0,
    dataDir,
    env: {},
    logger: false,
    trustProxy: true,
    logins,
  });
  const master = await loadMasterKey({ env: {}, dataDir, create: false });
  const target = { store: gw.store, master, environment: gw.environment };
  const { apiKey } = await createConsumer(target, {
    name: 'bench',
    pipelines: ['*'],
    scopes: ['read'],
  });
  await addBasic(target, 'bench', 'victim', 'the-right-password');
  process.stdout.write(`${JSON.stringify({ url: gw.url, apiKey })}\n`);
  // Is the flood blocking the gateway's event loop? Its delay and the processor time it used.
  const delay = monitorEventLoopDelay({ resolution: 5 });
  let cpu0 = process.cpuUsage();
  // The main thread's own processor time (Linux: /proc, in clock ticks of 10 ms), apart from the
  // hashing threads of libuv's pool.
  const mainTicks = () => {
    try {
      const f = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
        .split(') ')[1]
        .split(' ');
      return Number(f[11]) + Number(f[12]);
    } catch {
      return NaN;
    }
  };
  let main0 = mainTicks();
  process.on('SIGUSR2', () => {
    delay.reset();
    delay.enable();
    cpu0 = process.cpuUsage();
    main0 = mainTicks();
  });
  process.on('SIGTERM', async () => {
    const cpu = process.cpuUsage(cpu0);
    const stats = {
      loopP99: delay.percentile(99) / 1e6,
      loopMax: delay.max / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1000,
      mainCpuMs: (mainTicks() - main0) * 10,
    };
    process.stdout.write(`${JSON.stringify(stats)}\n`);
    await gw.close();
    await rm(root, { recursive: true, force: true });
    process.exit(0);
  });
}

/** The gateway in its own process, so that the load generator does not share its event loop. */
function start(logins) {
  const child = spawn(process.execPath, [SELF, '--serve', JSON.stringify(logins)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = [];
  let buf = '';
  let wake = () => {};
  child.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buf.slice(0, i)));
      buf = buf.slice(i + 1);
      wake();
    }
  });
  const next = async () => {
    while (lines.length === 0) await new Promise((r) => (wake = r));
    return lines.shift();
  };
  return next().then(({ url, apiKey }) => ({
    url,
    apiKey,
    /** Starts the gateway's event-loop and processor measurements. */
    mark: () => child.kill('SIGUSR2'),
    /** Stops it; resolves to its measurements since mark(). */
    close: async () => {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      const stats = await next();
      await exited;
      return stats;
    },
  }));
}

/**
 * The attacker's process: FLOOD wrong-password requests sent at once (each from its own address),
 * and again whenever the previous burst has been answered, for `ms`; prints the answers' statuses.
 */
async function attack({ url, flood, ms }) {
  // Ready: the parent starts timing now, so that the process start-up does not eat the window.
  process.stdout.write('ready\n');
  const end = Date.now() + ms;
  const statuses = {};
  let n = 0;
  while (Date.now() < end)
    await Promise.all(
      Array.from({ length: flood }, async () => {
        const i = n++;
        const r = await fetch(`${url}/basic-auth`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`user${i % 5000}:wrong-${i}`).toString('base64')}`,
            'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          },
        }).catch(() => null);
        const st = r ? r.status : 'error';
        statuses[st] = (statuses[st] ?? 0) + 1;
        if (r) await r.arrayBuffer();
      }),
    );
  process.stdout.write(`${JSON.stringify({ sent: n, statuses })}\n`);
}

function startAttacker(url, flood, ms) {
  const child = spawn(process.execPath, [SELF, '--attack', JSON.stringify({ url, flood, ms })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let ready;
  const started = new Promise((r) => (ready = r));
  child.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) ready();
  });
  const finished = new Promise((resolve) =>
    child.once('exit', () => resolve(JSON.parse(out.slice('ready\n'.length)))),
  );
  return { started, finished };
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function round(label, logins, flood = FLOOD) {
  const s = await start(logins);
  const url = s.url;
  // Warm up: key lookup and signing key loaded.
  for (let i = 0; i < 20; i++)
    await fetch(`${url}/auth`, { method: 'POST', headers: { apikey: s.apiKey } }).then((r) =>
      r.text(),
    );
  const attacker = flood > 0 ? startAttacker(url, flood, DURATION_MS) : null;
  await attacker?.started;
  s.mark();
  const end = Date.now() + DURATION_MS;
  const lat = [];
  let ok = 0;
  const clientDelay = monitorEventLoopDelay({ resolution: 5 });
  clientDelay.enable();
  await new Promise((r) => setTimeout(r, 200));
  while (Date.now() < end) {
    const t0 = performance.now();
    const r = await fetch(`${url}/auth`, { method: 'POST', headers: { apikey: s.apiKey } });
    await r.text();
    lat.push(performance.now() - t0);
    if (r.status === 200) ok++;
    await new Promise((res) => setTimeout(res, 10));
  }
  clientDelay.disable();
  const { sent, statuses } = (await attacker?.finished) ?? { sent: 0, statuses: {} };
  const gateway = await s.close();
  lat.sort((a, b) => a - b);
  return {
    label,
    logins: lat.length,
    ok,
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    max: lat[lat.length - 1],
    attack: sent,
    statuses,
    gatewayLoopP99: gateway.loopP99,
    gatewayLoopMax: gateway.loopMax,
    gatewayCpuMs: gateway.cpuMs,
    gatewayMainCpuMs: gateway.mainCpuMs,
    clientLoopMax: clientDelay.max / 1e6,
  };
}

if (values.serve !== undefined) {
  await serve(JSON.parse(values.serve));
} else if (values.attack !== undefined) {
  await attack(JSON.parse(values.attack));
} else {
  await main();
}

async function main() {
  const rows = [];
  for (let r = 0; r < Number(values.rounds); r++) {
    for (const [label, logins, flood] of [
      ['guarded (defaults)', {}, FLOOD],
      ['unguarded (before)', UNGUARDED, FLOOD],
      ...(values.reference ? [['no flood (reference)', {}, 0]] : []),
    ]) {
      const x = await round(label, logins, flood);
      rows.push(x);
      // Each row as soon as it is measured (a long unguarded round may be cut by the caller).
      console.error(`round ${r + 1} ${label}: ${JSON.stringify(x)}`);
    }
  }
  const f = (x) => x.toFixed(1);
  console.log(
    `flood: ${FLOOD} concurrent wrong-password requests for ${DURATION_MS / 1000} s per round\n`,
  );
  console.log(
    '| round | config | API-key logins | 200s | p50 ms | p99 ms | max ms | attack requests | attack statuses | gateway loop delay p99 / max ms | gateway CPU ms (main thread) | timing client loop delay max ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  rows.forEach((x, i) =>
    console.log(
      `| ${Math.floor(i / (values.reference ? 3 : 2)) + 1} | ${x.label} | ${x.logins} | ${x.ok} | ${f(x.p50)} | ${f(x.p99)} | ${f(x.max)} | ${x.attack} | ${JSON.stringify(x.statuses)} | ${f(x.gatewayLoopP99)} / ${f(x.gatewayLoopMax)} | ${x.gatewayCpuMs.toFixed(0)} (${x.gatewayMainCpuMs.toFixed(0)}) | ${f(x.clientLoopMax)} |`,
    ),
  );
  const med = (label, k) => {
    const v = rows
      .filter((x) => x.label === label)
      .map((x) => x[k])
      .sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  console.log('');
  for (const label of ['guarded (defaults)', 'unguarded (before)', 'no flood (reference)'])
    if (rows.some((x) => x.label === label))
      console.log(
        `median over rounds, ${label}: p50 ${f(med(label, 'p50'))} ms, p99 ${f(med(label, 'p99'))} ms`,
      );
  console.log(
    `p99 ratio unguarded / guarded: ${(med('unguarded (before)', 'p99') / med('guarded (defaults)', 'p99')).toFixed(1)}×`,
  );
}
