// The gateway's Prometheus metrics: one prom-client registry per gateway, served at GET /metrics.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { HistogramCells, PipelineMeter, ValueCells } from './pipeline-meters.js';
import type { MeterCells } from './pipeline-meters.js';

export { statusClass } from './pipeline-meters.js';

/*
 * Label values are bounded (docs/monitoring.md "Metrics"): pipeline names (deployments are finite),
 * status classes, outcomes, denial reasons and rule names from fixed lists — never paths, keys, ids,
 * consumers or client addresses, which an attacker could vary to grow the registry without bound.
 * One registry per gateway (not prom-client's global one) so that several gateways in one process
 * (tests, benchmarks) do not collide.
 */

/** Label used when a request matched no pipeline. */
export const NO_PIPELINE = '(none)';

/** The metrics of one gateway; other modules increment them (e.g. `anomalies.inc({ rule })`). */
export interface GatewayMetrics {
  readonly registry: Registry;
  /**
   * Set in a `serve --workers N` worker: the exposition of every worker, aggregated by the primary
   * (prom-client AggregatorRegistry), served at /metrics instead of this process's registry.
   */
  clusterText?: () => Promise<string>;
  /**
   * The meter of one pipeline (created on first use, then cached): the five per-pipeline metrics
   * below are counted through it, never with their own `inc`/`observe` (pipeline-meters.ts).
   */
  pipeline(name: string): PipelineMeter;
  /** `pipegate_http_requests_total{pipeline, status_class}` (2xx … 5xx). */
  readonly requests: Counter<'pipeline' | 'status_class'>;
  /** `pipegate_http_request_duration_seconds{pipeline}`. */
  readonly requestDuration: Histogram<'pipeline'>;
  /** `pipegate_executions_total{pipeline, outcome}` (`response` | `error`). */
  readonly executions: Counter<'pipeline' | 'outcome'>;
  /** `pipegate_executions_in_flight{pipeline}`. */
  readonly inFlight: Gauge<'pipeline'>;
  /** `pipegate_message_size_bytes{pipeline, direction}` (`request` | `response`). */
  readonly messageBytes: Histogram<'pipeline' | 'direction'>;
  /** `pipegate_auth_denials_total{reason}`. */
  readonly authDenials: Counter<'reason'>;
  /** `pipegate_tokens_issued_total`. */
  readonly tokensIssued: Counter;
  /** `pipegate_tokens_revoked_total{kind}` (`jti` | `consumer` | `before`). */
  readonly tokensRevoked: Counter<'kind'>;
  /** `pipegate_anomalies_total{rule}`: incremented by the anomaly detector for each new anomaly. */
  readonly anomalies: Counter<'rule'>;
  /** `pipegate_monitoring_records_dropped_total{kind}` (`execution` | `log` | `usage`). */
  readonly recordsDropped: Counter<'kind'>;
  /** `pipegate_store_errors_total{operation}` (failed monitoring writes, purges). */
  readonly storeErrors: Counter<'operation'>;
}

/** Creates a registry with the gateway metrics plus Node's process and event-loop metrics. */
/** The configuration of the five per-pipeline metrics (shared with the equivalence test). */
export const PIPELINE_METRICS = {
  requests: {
    name: 'pipegate_http_requests_total',
    help: 'HTTP requests answered on pipeline routes, by pipeline and status class',
    labelNames: ['pipeline', 'status_class'],
  },
  requestDuration: {
    name: 'pipegate_http_request_duration_seconds',
    help: 'Time from request to response on pipeline routes',
    labelNames: ['pipeline'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
  executions: {
    name: 'pipegate_executions_total',
    help: 'Pipeline executions, by pipeline and outcome (response or error)',
    labelNames: ['pipeline', 'outcome'],
  },
  inFlight: {
    name: 'pipegate_executions_in_flight',
    help: 'Executions running now',
    labelNames: ['pipeline'],
  },
  messageBytes: {
    name: 'pipegate_message_size_bytes',
    help: 'Size of execution request and response messages as JSON',
    labelNames: ['pipeline', 'direction'],
    buckets: [256, 1024, 4096, 16384, 32768, 131072, 327680, 1048576],
  },
} as const;

/** Creates a registry with the gateway metrics plus Node's process and event-loop metrics. */
export function createGatewayMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const registers = [registry];
  const d = PIPELINE_METRICS;
  const cells: MeterCells = {
    requests: new ValueCells(),
    requestDuration: new HistogramCells(d.requestDuration.buckets),
    executions: new ValueCells(),
    inFlight: new ValueCells(),
    messageBytes: new HistogramCells(d.messageBytes.buckets),
  };
  const meters = new Map<string, PipelineMeter>();
  return {
    registry,
    pipeline(name) {
      let m = meters.get(name);
      if (m === undefined) meters.set(name, (m = new PipelineMeter(name, cells)));
      return m;
    },
    requests: new Counter({
      ...d.requests,
      labelNames: [...d.requests.labelNames],
      registers,
      collect() {
        cells.requests.writeCounter(this);
      },
    }),
    requestDuration: new Histogram({
      ...d.requestDuration,
      labelNames: [...d.requestDuration.labelNames],
      buckets: [...d.requestDuration.buckets],
      registers,
      collect() {
        cells.requestDuration.writeHistogram(this);
      },
    }),
    executions: new Counter({
      ...d.executions,
      labelNames: [...d.executions.labelNames],
      registers,
      collect() {
        cells.executions.writeCounter(this);
      },
    }),
    inFlight: new Gauge({
      ...d.inFlight,
      labelNames: [...d.inFlight.labelNames],
      registers,
      collect() {
        cells.inFlight.writeGauge(this);
      },
    }),
    messageBytes: new Histogram({
      ...d.messageBytes,
      labelNames: [...d.messageBytes.labelNames],
      buckets: [...d.messageBytes.buckets],
      registers,
      collect() {
        cells.messageBytes.writeHistogram(this);
      },
    }),
    authDenials: new Counter({
      name: 'pipegate_auth_denials_total',
      help: 'Refused requests on pipeline routes, by reason',
      labelNames: ['reason'],
      registers,
    }),
    tokensIssued: new Counter({
      name: 'pipegate_tokens_issued_total',
      help: 'Platform tokens issued',
      registers,
    }),
    tokensRevoked: new Counter({
      name: 'pipegate_tokens_revoked_total',
      help: 'Token revocations written by this node, by kind',
      labelNames: ['kind'],
      registers,
    }),
    anomalies: new Counter({
      name: 'pipegate_anomalies_total',
      help: 'Anomalies raised, by rule',
      labelNames: ['rule'],
      registers,
    }),
    recordsDropped: new Counter({
      name: 'pipegate_monitoring_records_dropped_total',
      help: 'Monitoring records dropped because the write queue was full, by kind',
      labelNames: ['kind'],
      registers,
    }),
    storeErrors: new Counter({
      name: 'pipegate_store_errors_total',
      help: 'Failed store operations of the monitoring writers and the retention purge',
      labelNames: ['operation'],
      registers,
    }),
  };
}
