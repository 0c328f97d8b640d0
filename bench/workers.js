// Benchmark: `serve --workers 2` vs `--workers 1` on this machine (issue 15 part 1/4), the load
// generator (wrk) on the same machine. JWT-protected pipeline with a reused ES256 token, recording on
// (executions, logs, usage to the embedded SQLite file from every worker), interleaved rounds.
// Run: npm run build && node bench/workers.js [--rounds 5] [--duration 5] [--connections 64]
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';

const run = promisify(execFile);
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '64' },
    configs: { type: 'string', default: 'w1,w2' },
  },
});
const repo = resolve(import.meta.dirname, '..');
const CONFIGS = {
  w1: ['--workers', '1'],
  w2: ['--workers', '2'],
  'w2-no-record': ['--workers', '2', '--no-record'],
  // The kernel hands out connections instead of Node's round robin through the primary (the default).
  'w2-sched-none': ['--workers', '2'],
};
const CONFIG_ENV = { 'w2-sched-none': { NODE_CLUSTER_SCHED_POLICY: 'none' } };

async function serve(name, root) {
  const dataDir = join(root, name);
  const child = spawn(
    process.execPath,
    [join(repo, 'bin/pipegate.js'), 'serve', join(repo, 'examples/jwt-auth'), '--demo', '--port', '0', '--admin-port', '0', '--data-dir', dataDir, ...CONFIGS[name]],
    { env: { ...process.env, PIPEGATE_MASTER_KEY: '', ...CONFIG_ENV[name] }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise((ok, fail) => {
    const t = setInterval(() => {
      const m = /serving on (http:\/\/\S+) /.exec(err);
      if (m) ok(m[1]);
    }, 100);
    child.once('exit', (c) => fail(new Error(`${name} exited ${c}: ${err}`)));
    child.once('exit', () => clearInterval(t));
    void Promise.resolve().then(() => undefined);
  });
  const key = /API key: (pg_\S+)/.exec(err)[1];
  const login = await fetch(`${url}/auth`, {
    method: 'POST',
    headers: { apikey: key, 'content-type': 'application/json' },
    body: '{"userID":"u-1","role":"viewer"}',
  });
  const token = login.headers.get('authorization');
  if (!token) throw new Error(`${name}: login failed ${login.status}`);
  return { name, child, url, token };
}

import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) of the server: the primary and its workers (its child processes). */
function cpuSeconds(pid) {
  let ticks = 0;
  const pids = [pid];
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    if (kids) pids.push(...kids.split(/\s+/).map(Number));
  } catch {
    /* gone */
  }
  for (const p of pids) {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* exited */
    }
  }
  return ticks / 100;
}

async function wrk(s) {
  const cpu0 = cpuSeconds(s.child.pid);
  const { stdout } = await run('wrk', [
    '-t2', `-c${values.connections}`, `-d${values.duration}s`, '--latency',
    '-H', `Authorization: ${s.token}`, `${s.url}/protected-resource`,
  ]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const ms = p99 ? Number(p99[1]) * { us: 0.001, ms: 1, s: 1000 }[p99[2]] : NaN;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(stdout)[1]);
  const cpuUs = ((cpuSeconds(s.child.pid) - cpu0) / requests) * 1e6;
  return { rps, p99: ms, non2xx, cpuUs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const root = await mkdtemp(join(tmpdir(), 'pg-bench-workers-'));
const names = values.configs.split(',');
const servers = [];
try {
  for (const n of names) servers.push(await serve(n, root));
  const res = Object.fromEntries(names.map((n) => [n, []]));
  for (const s of servers) await wrk({ ...s }); // warm-up, discarded
  for (let r = 0; r < Number(values.rounds); r++) {
    const order = r % 2 ? [...servers].reverse() : servers;
    for (const s of order) {
      const x = await wrk(s);
      res[s.name].push(x);
      console.log(`round ${r + 1} ${s.name.padEnd(13)} ${x.rps.toFixed(0)} req/s p99 ${x.p99.toFixed(1)} ms, ${x.cpuUs.toFixed(0)} µs CPU/request, non-2xx ${x.non2xx}`);
    }
  }
  const base = median(res[names[0]].map((x) => x.rps));
  for (const n of names) {
    const rps = median(res[n].map((x) => x.rps));
    const ratios = res[n].map((x, i) => (x.rps / res[names[0]][i].rps).toFixed(2)).join(' ');
    console.log(`${n.padEnd(13)} median ${rps.toFixed(0)} req/s, median p99 ${median(res[n].map((x) => x.p99)).toFixed(1)} ms, median ${median(res[n].map((x) => x.cpuUs)).toFixed(0)} µs CPU/request, ×${(rps / base).toFixed(2)} of ${names[0]} (per round: ${ratios})`);
  }
} finally {
  for (const s of servers) {
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
  }
  await rm(root, { recursive: true, force: true });
}
