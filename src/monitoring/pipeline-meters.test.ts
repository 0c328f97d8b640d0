// The pipeline meters give the same /metrics exposition as direct prom-client calls (generated sequences).
import fc from 'fast-check';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { PIPELINE_METRICS, createGatewayMetrics, statusClass } from './metrics.js';

type Op =
  | { kind: 'requestDone'; pipeline: string; status: number; seconds: number }
  | { kind: 'started'; pipeline: string }
  | { kind: 'finished'; pipeline: string; outcome: 'response' | 'error' }
  | { kind: 'messageSizes'; pipeline: string; request: number; response: number }
  | { kind: 'read' };

const NAMES = Object.values(PIPELINE_METRICS).map((m) => m.name);

/** The metrics as the gateway kept them before the meters: prom-client called on every event. */
function directMetrics() {
  const registry = new Registry();
  const registers = [registry];
  const d = PIPELINE_METRICS;
  const requests = new Counter({
    ...d.requests,
    labelNames: [...d.requests.labelNames],
    registers,
  });
  const requestDuration = new Histogram({
    ...d.requestDuration,
    labelNames: [...d.requestDuration.labelNames],
    buckets: [...d.requestDuration.buckets],
    registers,
  });
  const executions = new Counter({
    ...d.executions,
    labelNames: [...d.executions.labelNames],
    registers,
  });
  const inFlight = new Gauge({ ...d.inFlight, labelNames: [...d.inFlight.labelNames], registers });
  const messageBytes = new Histogram({
    ...d.messageBytes,
    labelNames: [...d.messageBytes.labelNames],
    buckets: [...d.messageBytes.buckets],
    registers,
  });
  const apply = (op: Op): void => {
    switch (op.kind) {
      case 'requestDone':
        requests.inc({ pipeline: op.pipeline, status_class: statusClass(op.status) });
        requestDuration.observe({ pipeline: op.pipeline }, op.seconds);
        return;
      case 'started':
        inFlight.inc({ pipeline: op.pipeline });
        return;
      case 'finished':
        inFlight.dec({ pipeline: op.pipeline });
        executions.inc({ pipeline: op.pipeline, outcome: op.outcome });
        return;
      case 'messageSizes':
        messageBytes.observe({ pipeline: op.pipeline, direction: 'request' }, op.request);
        messageBytes.observe({ pipeline: op.pipeline, direction: 'response' }, op.response);
        return;
      case 'read':
        return;
    }
  };
  return { registry, apply };
}

function meteredMetrics() {
  const m = createGatewayMetrics();
  const apply = (op: Op): void => {
    switch (op.kind) {
      case 'requestDone':
        return m.pipeline(op.pipeline).requestDone(op.status, op.seconds);
      case 'started':
        return m.pipeline(op.pipeline).started();
      case 'finished':
        return m.pipeline(op.pipeline).finished(op.outcome);
      case 'messageSizes':
        return m.pipeline(op.pipeline).messageSizes(op.request, op.response);
      case 'read':
        return;
    }
  };
  return { registry: m.registry, apply };
}

/** The text and the JSON (what the cluster aggregation reads) of the five metrics. */
async function exposition(registry: Registry): Promise<{ text: string[]; json: unknown[] }> {
  const text: string[] = [];
  const json: unknown[] = [];
  for (const name of NAMES) {
    text.push(await registry.getSingleMetricAsString(name));
    json.push(await registry.getSingleMetric(name)!.get());
  }
  return { text, json };
}

const pipeline = fc.constantFrom(
  'orders',
  'bench-service',
  '(none)',
  'odd "name" \\ with\nnewline',
);
const boundary = (buckets: readonly number[]) =>
  fc.constantFrom(...buckets, ...buckets.map((b) => b + Number.EPSILON * b), 0);
const seconds = fc.oneof(
  fc.double({ min: 0, max: 60, noNaN: true }),
  boundary(PIPELINE_METRICS.requestDuration.buckets),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY),
);
const bytes = fc.oneof(
  fc.integer({ min: 0, max: 3_000_000 }),
  boundary(PIPELINE_METRICS.messageBytes.buckets),
  fc.constant(Number.NaN),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('requestDone' as const),
    pipeline,
    status: fc.oneof(
      fc.constantFrom(200, 204, 401, 404, 429, 500, 503),
      fc.integer({ min: -5, max: 700 }),
    ),
    seconds,
  }),
  fc.record({ kind: fc.constant('started' as const), pipeline }),
  fc.record({
    kind: fc.constant('finished' as const),
    pipeline,
    outcome: fc.constantFrom('response' as const, 'error' as const),
  }),
  fc.record({
    kind: fc.constant('messageSizes' as const),
    pipeline,
    request: bytes,
    response: bytes,
  }),
  fc.constant({ kind: 'read' as const }),
);

/** Applies `op`, returning the error's class and message if it threw. */
function attempt(apply: (op: Op) => void, o: Op): string | null {
  try {
    apply(o);
    return null;
  } catch (err) {
    return `${(err as Error).name}: ${(err as Error).message}`;
  }
}

describe('pipeline meters', () => {
  it('expose the same text and JSON as direct prom-client calls (generated sequences)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 120 }), async (ops) => {
        const direct = directMetrics();
        const metered = meteredMetrics();
        for (const o of ops) {
          expect(attempt(metered.apply, o)).toBe(attempt(direct.apply, o));
          // Reads in the middle: collecting twice must not count twice.
          if (o.kind === 'read')
            expect(await exposition(metered.registry)).toEqual(await exposition(direct.registry));
        }
        expect(await exposition(metered.registry)).toEqual(await exposition(direct.registry));
      }),
      { numRuns: 300 },
    );
  });

  it('count into the prom-client metrics that other readers use (the console`s in-flight gauge)', async () => {
    const m = createGatewayMetrics();
    m.pipeline('orders').started();
    m.pipeline('orders').started();
    m.pipeline('orders').finished('response');
    m.pipeline('orders').requestDone(200, 0.003);
    const g = await m.inFlight.get();
    expect(g.values).toEqual([{ value: 1, labels: { pipeline: 'orders' } }]);
    const text = await m.registry.metrics();
    expect(text).toContain('pipegate_http_requests_total{pipeline="orders",status_class="2xx"} 1');
    expect(text).toContain(
      'pipegate_http_request_duration_seconds_bucket{le="0.005",pipeline="orders"} 1',
    );
    expect(text).toContain('pipegate_executions_total{pipeline="orders",outcome="response"} 1');
  });

  it('resolve one meter per pipeline', () => {
    const m = createGatewayMetrics();
    expect(m.pipeline('a')).toBe(m.pipeline('a'));
    expect(m.pipeline('a')).not.toBe(m.pipeline('b'));
  });
});
