// Benchmark: the cost of a shared rate-limit check in Redis — checks/s from one process and checks per
// Redis CPU-second (docs/scaling.md "What each component costs").
// Run: npm run build && node bench/redis-limit-rate.js [--seconds 10] [--concurrency 64]
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '64' } },
});
const { createSharedState } = await import('../dist/gateway/shared-state/index.js');

function redisCpuSeconds() {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!/^\d+ \(redis-server\)/.test(stat)) continue;
      const f = stat.split(') ')[1].split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      /* gone */
    }
  }
  return ticks / 100;
}

const prefix = `pipegate-bench:${randomUUID()}:`;
const log = { warn: (d, m) => console.error(m, d), info: () => undefined };
const state = await createSharedState({ url: 'redis://127.0.0.1:6379', keyPrefix: prefix }, { environment: 'test', registry: new Registry(), log });
const policy = { aggregateBy: 'consumer', limits: [{ interval: 'minute', limit: 1_000_000_000 }] };
const until = Date.now() + Number(values.seconds) * 1000;
let checks = 0;
const cpu0 = redisCpuSeconds();
const own0 = process.cpuUsage();
const t0 = performance.now();
await Promise.all(
  Array.from({ length: Number(values.concurrency) }, async (_, i) => {
    while (Date.now() < until) {
      const d = await state.limiter.check(policy, `p@1|consumer:c${i % 500}`);
      if (!d.allowed) throw new Error('refused');
      checks++;
    }
  }),
);
const secs = (performance.now() - t0) / 1000;
const cpu = redisCpuSeconds() - cpu0;
const own = process.cpuUsage(own0);
const ownUs = (own.user + own.system) / checks;
console.log(`${checks} checks in ${secs.toFixed(1)} s: ${(checks / secs).toFixed(0)} checks/s from one process; Redis CPU ${cpu.toFixed(2)} s → ${(checks / cpu).toFixed(0)} checks per Redis CPU-second; ${ownUs.toFixed(0)} µs of gateway-process CPU per check`);
await state.close();
