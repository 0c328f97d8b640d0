// Engine overhead per step and Double Braces evaluation throughput (run: npm run build && node bench/engine.js).
import { defineConnector } from '../dist/core/connector.js';
import { createRegistry } from '../dist/core/registry.js';
import { builtInConnectors } from '../dist/connectors/index.js';
import { loadPipelineText } from '../dist/core/loader/index.js';
import { runPipeline } from '../dist/core/engine/index.js';
import { compileTemplate, newCompileInfo } from '../dist/expr/index.js';

const noop = defineConnector({
  type: 'noop',
  version: 1,
  title: 'No-op',
  category: 'tools',
  summary: 'Bench only: returns its input.',
  failOnErrorDefault: false,
  parameters: {},
  run: (_ctx, { message }) => message,
});
const registry = createRegistry([...builtInConnectors, noop]);

function pipelineOf(steps) {
  const body = Array.from({ length: steps }, () => '  - type: noop').join('\n');
  return loadPipelineText(`bench-${steps}.yaml`, `name: bench\nversion: "1.0"\nsteps:\n${body}\n`, { registry });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timeRuns(pipeline, n) {
  const message = { body: { userID: 'u-1', role: 'admin' } };
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await runPipeline(pipeline, { message, executionKey: 'k' });
  return Number(process.hrtime.bigint() - start) / n; // ns per execution
}

async function engineOverhead() {
  const one = pipelineOf(1);
  const ten = pipelineOf(10);
  const n = 20_000;
  await timeRuns(one, 2_000);
  await timeRuns(ten, 2_000);
  const perStep = [];
  const perExec = [];
  for (let round = 0; round < 9; round++) {
    // Interleaved so that machine noise hits both variants alike.
    const t1 = await timeRuns(one, n);
    const t10 = await timeRuns(ten, n);
    perStep.push((t10 - t1) / 9);
    perExec.push(t1);
  }
  return { perStepNs: median(perStep), oneStepExecutionNs: median(perExec) };
}

const expressions = {
  'reference': '{{ message.body.userID }}',
  'nested call': '{{ IF(EQUALTO(message.body.role, "admin"), "read,write", "read") }}',
  'interpolation': 'token issued for {{ message.body.userID }} in execution {{ metadata.execution.key }}',
  'concat+upper': '{{ CONCAT(UPPERCASE(message.body.role), "-", message.body.userID) }}',
};

function expressionThroughput() {
  const scope = {
    message: { body: { userID: 'u-42', role: 'admin' } },
    global: {},
    account: {},
    metadata: { execution: { key: '7f1c' } },
    step: {},
    item: null,
    services: { now: () => 0, uuid: () => 'u', random: () => 0.5 },
  };
  const out = {};
  for (const [name, src] of Object.entries(expressions)) {
    const compiled = compileTemplate(src, newCompileInfo());
    const rates = [];
    for (let round = 0; round < 7; round++) {
      const n = 500_000;
      const start = process.hrtime.bigint();
      for (let i = 0; i < n; i++) compiled.evaluate(scope);
      rates.push(n / (Number(process.hrtime.bigint() - start) / 1e9));
    }
    out[name] = Math.round(median(rates));
  }
  return out;
}

const engine = await engineOverhead();
const exprs = expressionThroughput();
console.log(JSON.stringify({ node: process.version, engine, evaluationsPerSecond: exprs }, null, 2));
console.log(`per-step engine overhead (median): ${(engine.perStepNs / 1000).toFixed(3)} µs (target < 2 µs)`);
