// Benchmark: `serve --workers 2` vs `--workers 1` on this machine (issue 15 part 1/4), the load
// generator (wrk) on the same machine. JWT-protected pipeline with a reused ES256 token, recording on
// (executions, logs, usage to the embedded SQLite file from every worker), interleaved rounds.
// Peer bound (configs http1/http2): node:http doing no work, one process vs node:cluster with two
// workers, measured the same way (bench/lib/http-cluster.js). For every run: the server's CPU per
// request (primary + workers, /proc) and wrk's own CPU per request (bash `times`).
// Run: npm run build && node bench/workers.js [--rounds 5] [--duration 10] [--connections 64]
//      [--threads 1] [--warmup 2] [--configs w1,w2,http1,http2]
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
    threads: { type: 'string', default: '1' },
    // Warm-up runs per configuration before the measured rounds (discarded): two workers each JIT-
    // compile and fill their caches on half the requests, so they need about twice the warm-up.
    warmup: { type: 'string', default: '2' },
    configs: { type: 'string', default: 'w1,w2,http1,http2' },
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
/** The peer bound: node:http doing no work, as one process (0) or a node:cluster of 2. */
const PEERS = { http1: '0', http2: '2', 'http2-1': '1' };

async function peer(name) {
  const child = spawn(process.execPath, [join(repo, 'bench/lib/http-cluster.js'), PEERS[name]], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise((ok, fail) => {
    const t = setInterval(() => {
      const m = /serving on (http:\/\/\S+) /.exec(err);
      if (m) {
        clearInterval(t);
        ok(m[1]);
      }
    }, 50);
    child.once('exit', (c) => fail(new Error(`${name} exited ${c}: ${err}`)));
    child.once('exit', () => clearInterval(t));
  });
  return { name, child, url, token: 'Bearer x', path: '/' };
}

async function serve(name, root) {
  if (PEERS[name]) return peer(name);
  const dataDir = join(root, name);
  // The JSON records (one per request too) go to a file, as a deployment would ship them; the bench
  // reads the `serving` record and the demo consumer's key file from it.
  const logFile = join(root, `${name}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(
    process.execPath,
    [
      join(repo, 'bin/pipegate.js'),
      'serve',
      join(repo, 'examples/jwt-auth'),
      '--demo',
      '--port',
      '0',
      '--admin-port',
      '0',
      '--data-dir',
      dataDir,
      ...CONFIGS[name],
    ],
    {
      env: { ...process.env, PIPEGATE_MASTER_KEY: '', ...CONFIG_ENV[name] },
      stdio: ['ignore', fd, fd],
    },
  );
  closeSync(fd);
  const url = await new Promise((ok, fail) => {
    const t = setInterval(() => {
      const text = readFileSync(logFile, 'utf8');
      const m = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"serving"/.exec(text);
      if (m && /"msg":"token usage"/.test(text)) {
        // Stop reading: the log file grows by one record per request, and re-reading it ten
        // times a second took a whole core from the runs (the session-3 "missing half core").
        clearInterval(t);
        ok(m[1]);
      }
    }, 100);
    child.once('exit', (c) =>
      fail(new Error(`${name} exited ${c}: ${readFileSync(logFile, 'utf8')}`)),
    );
    child.once('exit', () => clearInterval(t));
  });
  const key = readFileSync(join(dataDir, 'demo-api-key'), 'utf8').trim();
  const login = await fetch(`${url}/auth`, {
    method: 'POST',
    headers: { apikey: key, 'content-type': 'application/json' },
    body: '{"userID":"u-1","role":"viewer"}',
  });
  const token = login.headers.get('authorization');
  if (!token) throw new Error(`${name}: login failed ${login.status}`);
  return { name, child, url, token, path: '/protected-resource' };
}

import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';

/**
 * CPU seconds (user + system) of the server — the primary and its workers (its child processes) —
 * in total and in the processes' main threads (the event loops that serve requests; the rest is
 * libuv's pool, V8's GC and compiler threads, the SQLite writer thread).
 */
function cpuSeconds(pid) {
  let total = 0;
  let main = 0;
  const pids = [pid];
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    if (kids) pids.push(...kids.split(/\s+/).map(Number));
  } catch {
    /* gone */
  }
  // With workers the primary only hands out connections: its main thread is not a request thread.
  const serving = pids.length > 1 ? pids.slice(1) : pids;
  for (const p of pids) {
    let tids = [];
    try {
      tids = readdirSync(`/proc/${p}/task`).map(Number);
    } catch {
      continue;
    }
    for (const t of tids) {
      try {
        const f = readFileSync(`/proc/${p}/task/${t}/stat`, 'utf8').split(') ')[1].split(' ');
        const ticks = Number(f[11]) + Number(f[12]);
        total += ticks;
        if (t === p && serving.includes(p)) main += ticks;
      } catch {
        /* exited */
      }
    }
  }
  return { total: total / 100, main: main / 100 };
}

/** Load average (1 min) now. */
const load1 = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

async function wrk(s) {
  const cpu0 = cpuSeconds(s.child.pid);
  const load = load1();
  // bash's `times` prints the CPU of its children (wrk): user and system, on its second line.
  const { stdout } = await run('bash', [
    '-c',
    'wrk "$@"; times',
    'wrk',
    `-t${values.threads}`,
    `-c${values.connections}`,
    `-d${values.duration}s`,
    '--latency',
    '-H',
    `Authorization: ${s.token}`,
    `${s.url}${s.path}`,
  ]);
  const t = /\n(\d+)m([\d.]+)s (\d+)m([\d.]+)s\s*$/.exec(stdout);
  const wrkCpu = t ? Number(t[1]) * 60 + Number(t[2]) + Number(t[3]) * 60 + Number(t[4]) : NaN;
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const ms = p99 ? Number(p99[1]) * { us: 0.001, ms: 1, s: 1000 }[p99[2]] : NaN;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0);
  const requests = Number(/(\d+) requests in/.exec(stdout)[1]);
  const cpu1 = cpuSeconds(s.child.pid);
  const seconds = Number(values.duration);
  return {
    rps,
    p99: ms,
    non2xx,
    cpuUs: ((cpu1.total - cpu0.total) / requests) * 1e6,
    mainUs: ((cpu1.main - cpu0.main) / requests) * 1e6,
    wrkUs: (wrkCpu / requests) * 1e6,
    // Cores the server and wrk actually got (CPU seconds per second): on a busy machine far below 2.
    serverCores: (cpu1.total - cpu0.total) / seconds,
    wrkCores: wrkCpu / seconds,
    load,
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const root = await mkdtemp(join(tmpdir(), 'pg-bench-workers-'));
const names = values.configs.split(',');
const servers = [];
try {
  for (const n of names) servers.push(await serve(n, root));
  const res = Object.fromEntries(names.map((n) => [n, []]));
  for (let i = 0; i < Number(values.warmup); i++) for (const s of servers) await wrk(s); // discarded
  for (let r = 0; r < Number(values.rounds); r++) {
    const order = r % 2 ? [...servers].reverse() : servers;
    for (const s of order) {
      const x = await wrk(s);
      res[s.name].push(x);
      console.log(
        `round ${r + 1} ${s.name.padEnd(13)} ${x.rps.toFixed(0)} req/s p99 ${x.p99.toFixed(1)} ms, server ${x.cpuUs.toFixed(0)} µs CPU/request (main threads ${x.mainUs.toFixed(0)}), wrk ${x.wrkUs.toFixed(1)} µs/request, cores got: server ${x.serverCores.toFixed(2)} wrk ${x.wrkCores.toFixed(2)}, non-2xx ${x.non2xx}, load ${x.load}`,
      );
    }
  }
  // Each configuration against its one-process base: w* against w1, http* against http1.
  const med = (n, k) => median(res[n].map((x) => x[k]));
  for (const n of names) {
    const b = n.startsWith('http') ? 'http1' : 'w1';
    const baseRuns = res[b] ?? res[names[0]];
    const base = median(baseRuns.map((x) => x.rps));
    const rps = med(n, 'rps');
    const ratios = res[n].map((x, i) => (x.rps / baseRuns[i].rps).toFixed(2)).join(' ');
    console.log(
      `${n.padEnd(13)} median ${rps.toFixed(0)} req/s, p99 ${med(n, 'p99').toFixed(1)} ms, server ${med(n, 'cpuUs').toFixed(0)} µs CPU/request (main threads ${med(n, 'mainUs').toFixed(0)}), wrk ${med(n, 'wrkUs').toFixed(1)} µs/request, cores got: server ${med(n, 'serverCores').toFixed(2)} wrk ${med(n, 'wrkCores').toFixed(2)}; ×${(rps / base).toFixed(2)} of ${b} (median of per-round ratios ${median(res[n].map((x, i) => x.rps / baseRuns[i].rps)).toFixed(2)}; per round: ${ratios})`,
    );
  }
  // What the measured costs allow on two free cores: one process is bound by its main thread (one
  // core) or by both cores shared with wrk; N workers by the two cores shared with wrk (their main
  // threads have a core each).
  const ceiling = (n) => {
    const workers = n === 'w1' || n === 'http1' ? 1 : 2;
    const main = workers === 1 ? 1e6 / med(n, 'mainUs') : (2 * 1e6) / med(n, 'mainUs');
    return Math.min(main, (2 * 1e6) / (med(n, 'cpuUs') + med(n, 'wrkUs')));
  };
  for (const [one, two] of [
    ['w1', 'w2'],
    ['http1', 'http2'],
  ]) {
    if (!res[one] || !res[two]) continue;
    console.log(
      `two free cores, from the measured CPU per request: ${one} ≤ ${ceiling(one).toFixed(0)} req/s, ${two} ≤ ${ceiling(two).toFixed(0)} req/s: ×${(ceiling(two) / ceiling(one)).toFixed(2)}`,
    );
  }
} finally {
  for (const s of servers) {
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
  }
  await rm(root, { recursive: true, force: true });
}
