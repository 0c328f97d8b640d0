// Benchmark: per-request CPU of three gateway hot-path pieces, this build vs another (interleaved rounds).
// Run: npm run build && node bench/hot-path-pieces.js --compare DIR   (DIR holds a copy of another build's dist/)
// The pieces, as one request uses them: the five per-pipeline metrics (prom-client calls vs the
// pipeline meters), the execution timeout (setTimeout + clearTimeout vs the deadline queue) and the
// route lookup of an exact path. CPU from process.cpuUsage over 200,000 iterations; median of rounds 2–7.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { compare: { type: 'string' } } });
if (!values.compare) throw new Error('--compare DIR is required (a copy of the build before)');
const NEW = fileURLToPath(new URL('../dist', import.meta.url));
const OLD = join(values.compare, 'dist');
const N = 200_000;
const cpu = (f) => {
  const a = process.cpuUsage();
  f();
  const b = process.cpuUsage(a);
  return (b.user + b.system) / N;
};
const med = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const oldM = (await import(`${OLD}/monitoring/metrics.js`)).createGatewayMetrics();
const newM = (await import(`${NEW}/monitoring/metrics.js`)).createGatewayMetrics();
const { statusClass } = await import(`${OLD}/monitoring/metrics.js`);
const { executionDeadlines } = await import(`${NEW}/core/engine/deadlines.js`); // new only
const { RouteTable: OldRT } = await import(`${OLD}/deployments/route-table.js`);
const { RouteTable: NewRT } = await import(`${NEW}/deployments/route-table.js`);
const routes = [
  { pattern: '/protected', owner: 'a@1', target: 1 },
  { pattern: '/auth', owner: 'b@1', target: 2 },
  { pattern: '/items/:id', owner: 'c@1', target: 3 },
];
const ort = new OldRT(routes),
  nrt = new NewRT(routes);
const pipeline = 'bench-service';
const cases = {
  'metrics, prom-client calls (old)': () => {
    for (let i = 0; i < N; i++) {
      oldM.inFlight.inc({ pipeline });
      oldM.inFlight.dec({ pipeline });
      oldM.executions.inc({ pipeline, outcome: 'response' });
      oldM.messageBytes.observe({ pipeline, direction: 'request' }, 300);
      oldM.messageBytes.observe({ pipeline, direction: 'response' }, 80);
      oldM.requests.inc({ pipeline, status_class: statusClass(200) });
      oldM.requestDuration.observe({ pipeline }, 0.002);
    }
  },
  'metrics, meters (new)': () => {
    for (let i = 0; i < N; i++) {
      newM.pipeline(pipeline).started();
      newM.pipeline(pipeline).finished('response');
      newM.pipeline(pipeline).messageSizes(300, 80);
      newM.pipeline(pipeline).requestDone(200, 0.002);
    }
  },
  'timeout, setTimeout+clearTimeout (old)': () => {
    for (let i = 0; i < N; i++) clearTimeout(setTimeout(() => {}, 30000));
  },
  'timeout, deadline queue (new)': () => {
    for (let i = 0; i < N; i++) executionDeadlines.after(30000, () => {}).cancel();
  },
  'route match /protected (old)': () => {
    for (let i = 0; i < N; i++) ort.match('/protected');
  },
  'route match /protected (new)': () => {
    for (let i = 0; i < N; i++) nrt.match('/protected');
  },
};
const res = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let r = 0; r < 7; r++) for (const [k, f] of Object.entries(cases)) res[k].push(cpu(f));
for (const [k, xs] of Object.entries(res))
  console.log(k.padEnd(42), med(xs.slice(1)).toFixed(3), 'µs/request (median of 6 rounds)');
process.exit(0);
