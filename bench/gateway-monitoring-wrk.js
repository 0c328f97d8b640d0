// Benchmark: recording on vs off (bench/gateway-monitoring.js's servers) loaded by wrk instead of autocannon,
// with and without the service's log step, interleaved; per-thread CPU per request of each server.
// Run: npm run build && node bench/gateway-monitoring-wrk.js [--rounds 6] [--duration 4] [--connections 32]
//      [--variants on,off,on:no-log,off:no-log]   (needs wrk: apt-get install wrk)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median, startChild, threadCpu } from './lib/child-server.js';

const SERVERS = fileURLToPath(new URL('./gateway-monitoring.js', import.meta.url));
const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '6' },
    duration: { type: 'string', default: '4' },
    connections: { type: 'string', default: '32' },
    variants: { type: 'string', default: 'on,off,on:no-log,off:no-log' },
  },
});

function wrk(s, seconds) {
  const out = execFileSync('wrk', [
    '-t1',
    `-c${values.connections}`,
    `-d${seconds}s`,
    '-H',
    `authorization: Bearer ${s.info.token}`,
    `${s.info.url}/protected`,
  ]).toString();
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    requests: Number(/(\d+) requests in/.exec(out)[1]),
  };
}

const variants = values.variants.split(',');
const servers = {};
try {
  for (const v of variants) servers[v] = await startChild(SERVERS, ['serve', ...v.split(':')], v);
  for (const v of variants) wrk(servers[v], 3); // warm-up, discarded
  const results = Object.fromEntries(variants.map((v) => [v, []]));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
      const s = servers[v];
      const t0 = threadCpu(s.child.pid);
      const w = wrk(s, values.duration);
      const t1 = threadCpu(s.child.pid);
      results[v].push({
        rps: w.rps,
        main: (t1.main - t0.main) / w.requests,
        other: (t1.other - t0.other) / w.requests,
      });
    }
  }
  for (const v of variants) {
    const r = results[v];
    console.log(
      `${v.padEnd(12)} ${median(r.map((x) => x.rps)).toFixed(0)} req/s, event loop ${median(r.map((x) => x.main)).toFixed(1)} µs/req, other threads ${median(r.map((x) => x.other)).toFixed(1)} µs/req (rounds: ${r.map((x) => x.rps.toFixed(0)).join(' ')})`,
    );
  }
  // on ÷ off per round (same moment of the machine), then the median.
  for (const suffix of ['', ':no-log']) {
    const on = results[`on${suffix}`];
    const off = results[`off${suffix}`];
    if (on && off)
      console.log(
        `on ÷ off${suffix || ''}: ${median(on.map((x, i) => x.rps / off[i].rps)).toFixed(3)}`,
      );
  }
} finally {
  for (const s of Object.values(servers)) s.child.stdin.end();
}
