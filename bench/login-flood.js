// Benchmark: API-key logins during a flood of wrong Basic Auth passwords, with and without the login guard.
// Run: npm run build && node bench/login-flood.js [--duration 4] [--rounds 3] [--flood 200]
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
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
  process.on('SIGTERM', async () => {
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
  return new Promise((resolve) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (!buf.includes('\n')) return;
      const { url, apiKey } = JSON.parse(buf);
      resolve({
        url,
        apiKey,
        close: () => new Promise((done) => (child.once('exit', done), child.kill('SIGTERM'))),
      });
    });
  });
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
  const end = Date.now() + DURATION_MS;
  const statuses = {};
  let sent = 0;
  let n = 0;
  // The flood: FLOOD wrong-password requests sent at once (each from its own address), and again
  // whenever the previous burst has been answered, until the end of the round.
  const burst = () =>
    Promise.all(
      Array.from({ length: flood }, async () => {
        const i = n++;
        const r = await fetch(`${url}/basic-auth`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`user${i % 5000}:wrong-${i}`).toString('base64')}`,
            'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          },
        }).catch(() => null);
        sent++;
        const st = r ? r.status : 'error';
        statuses[st] = (statuses[st] ?? 0) + 1;
        if (r) await r.arrayBuffer();
      }),
    );
  const attacker = async () => {
    while (Date.now() < end && flood > 0) await burst();
  };
  const attacks = [attacker()];
  const lat = [];
  let ok = 0;
  await new Promise((r) => setTimeout(r, 200));
  while (Date.now() < end) {
    const t0 = performance.now();
    const r = await fetch(`${url}/auth`, { method: 'POST', headers: { apikey: s.apiKey } });
    await r.text();
    lat.push(performance.now() - t0);
    if (r.status === 200) ok++;
    await new Promise((res) => setTimeout(res, 10));
  }
  await Promise.all(attacks);
  await s.close();
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
  };
}

if (values.serve !== undefined) {
  await serve(JSON.parse(values.serve));
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
    '| round | config | API-key logins | 200s | p50 ms | p99 ms | max ms | attack requests | attack statuses |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  rows.forEach((x, i) =>
    console.log(
      `| ${Math.floor(i / (values.reference ? 3 : 2)) + 1} | ${x.label} | ${x.logins} | ${x.ok} | ${f(x.p50)} | ${f(x.p99)} | ${f(x.max)} | ${x.attack} | ${JSON.stringify(x.statuses)} |`,
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
