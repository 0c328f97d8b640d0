// Benchmark servers run in child processes: the parent asks each one for its CPU time (a noise-robust
// cost measure) and other figures over stdin/stdout, one JSON line per question.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Child side: prints `info` as the first line, then answers every stdin line `cmd` with the JSON of
 * `handlers[cmd]()` — `cpu` (user + system µs used so far) is built in. The end of stdin runs
 * `cleanup` and exits.
 */
export function answerParent(info, cleanup, handlers = {}) {
  const all = {
    cpu: () => {
      const u = process.cpuUsage();
      return u.user + u.system;
    },
    ...handlers,
  };
  process.stdout.write(`${JSON.stringify(info)}\n`);
  process.stdin.setEncoding('utf8');
  let pending = Promise.resolve();
  process.stdin.on('data', (d) => {
    for (const cmd of d.split('\n').filter(Boolean)) {
      // Answers keep the order of the questions even when a handler is asynchronous.
      pending = pending.then(async () => {
        process.stdout.write(`${JSON.stringify(await all[cmd]())}\n`);
      });
    }
  });
  process.stdin.on('end', async () => {
    await pending;
    await cleanup();
    process.exit(0);
  });
}

/**
 * Parent side: runs `node file ...args` (a script that calls answerParent) and resolves once its
 * first line arrived: `{ child, info, ask(cmd), cpu() }`, where `ask` resolves with the parsed answer.
 */
export function startChild(file, args, label = args[0] ?? 'server') {
  const flags = (process.env.BENCH_CHILD_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...flags, file, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let buf = '';
    let info = null;
    const waiting = [];
    const ask = (cmd) =>
      new Promise((r) => {
        waiting.push(r);
        child.stdin.write(`${cmd}\n`);
      });
    child.stdout.on('data', (d) => {
      buf += d;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (info === null) {
          info = JSON.parse(line);
          resolve({ child, info, ask, cpu: () => ask('cpu') });
        } else waiting.shift()?.(JSON.parse(line));
      }
    });
    child.on('exit', (code) => reject(new Error(`${label} exited with ${code}`)));
  });
}

/** One autocannon run against `url`: req/s, p99 and (with `opts.cpu`) the server's CPU µs per request. */
export async function load(autocannon, url, opts) {
  const cpu0 = opts.cpu ? await opts.cpu() : 0;
  const result = await autocannon({
    url,
    connections: opts.connections,
    duration: opts.duration,
    pipelining: 1,
    ...opts.request,
  });
  const cpu1 = opts.cpu ? await opts.cpu() : 0;
  const bad = result.non2xx + result.errors + result.timeouts;
  if (bad > 0) throw new Error(`${url}: ${bad} failed requests of ${result.requests.total}`);
  return {
    rps: result.requests.average,
    p99: result.latency.p99,
    cpuUs: (cpu1 - cpu0) / result.requests.total,
  };
}

/** The median (the mean of the two middle values for an even count). */
export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** CPU µs used so far by each thread of process `pid` (Linux /proc): the main thread and the others. */
export function threadCpu(pid) {
  const out = { main: 0, other: 0 };
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const us = ((Number(f[11]) + Number(f[12])) * 1e6) / 100; // utime + stime, in clock ticks (100 Hz)
      out[Number(t) === pid ? 'main' : 'other'] += us;
    }
  } catch {
    // not Linux: the per-thread split is left out
  }
  return out;
}
