// Per-pipeline request and execution metrics counted in plain numbers, handed to prom-client when read.
import type { Counter, Gauge, Histogram } from 'prom-client';

/*
 * prom-client's `inc`/`observe` hash and validate the label object on every call: five calls per
 * request were ~4–5 % of the event loop in bench/gateway-monitoring.js. Here each label set is
 * resolved once into a cell (a small object of numbers) that a pipeline's meter keeps, and each
 * metric's `collect` callback — which prom-client calls before every read: GET /metrics, the cluster
 * aggregation's getMetricsAsJSON, `metric.get()` — writes the cells into the metric. Cells are kept
 * in the order their label set was first counted, the order in which prom-client itself would list
 * them, so the exposition is the same text as with direct calls (pipeline-meters.test.ts compares
 * both on generated sequences). These metrics must therefore only be counted through the meters:
 * a direct `inc` would be overwritten at the next read.
 */

type Labels = Record<string, string>;

/** One label set of a counter or gauge. */
interface ValueCell {
  readonly labels: Labels;
  value: number;
}

/** The label sets of one counter or gauge, in first-counted order. */
export class ValueCells {
  readonly #cells: ValueCell[] = [];

  /** A new label set (the caller keeps the cell; asking twice for one label set is a defect). */
  cell(labels: Labels): ValueCell {
    const c = { labels, value: 0 };
    this.#cells.push(c);
    return c;
  }

  /** `collect` of a counter: prom-client's own entries, rebuilt from the cells. */
  writeCounter(metric: Counter<string>): void {
    metric.reset();
    for (const c of this.#cells) metric.inc(c.labels, c.value);
  }

  /** `collect` of a gauge. */
  writeGauge(metric: Gauge<string>): void {
    metric.reset();
    for (const c of this.#cells) metric.set(c.labels, c.value);
  }
}

/** One label set of a histogram: per-bucket (not cumulative) counts, sum and count. */
export class HistogramCell {
  readonly buckets: number[];
  sum = 0;
  count = 0;

  constructor(
    readonly labels: Labels,
    readonly bounds: readonly number[],
  ) {
    this.buckets = new Array<number>(bounds.length).fill(0);
  }

  /** As prom-client's observe (a finite value): the first bucket whose bound is ≥ value; beyond the last only count and sum. */
  observe(value: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    if (i < b.length) this.buckets[i]!++;
    this.sum += value;
    this.count += 1;
  }
}

/** What prom-client 15 keeps per label set of a histogram (`hashMap` values; zero() creates one). */
interface PromHistogramEntry {
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

/** The label sets of one histogram, in first-counted order. */
export class HistogramCells {
  readonly #cells: HistogramCell[] = [];

  constructor(readonly bounds: readonly number[]) {}

  cell(labels: Labels): HistogramCell {
    const c = new HistogramCell(labels, this.bounds);
    this.#cells.push(c);
    return c;
  }

  /**
   * `collect` of a histogram. prom-client has no public way to set a label set's buckets: zero()
   * creates each entry (with prom-client's own key, in our order), then the entries — listed in
   * insertion order, their keys are never integer-like — get the counts. prom-client is pinned
   * (package.json); the equivalence test fails if its internals change.
   */
  writeHistogram(metric: Histogram<string>): void {
    metric.reset();
    for (const c of this.#cells) metric.zero(c.labels);
    const entries = Object.values(
      (metric as unknown as { hashMap: Record<string, PromHistogramEntry> }).hashMap,
    );
    this.#cells.forEach((c, i) => {
      const e = entries[i]!;
      c.bounds.forEach((bound, j) => (e.bucketValues[bound] = c.buckets[j]!));
      e.sum = c.sum;
      e.count = c.count;
    });
  }
}

/** The cells of the five per-pipeline metrics (one set per gateway). */
export interface MeterCells {
  readonly requests: ValueCells;
  readonly requestDuration: HistogramCells;
  readonly executions: ValueCells;
  readonly inFlight: ValueCells;
  readonly messageBytes: HistogramCells;
}

/** prom-client refuses a value that is not finite before it creates the label set: so do the meters. */
function finite(value: number): number {
  if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
  return value;
}

/** `2xx`, `4xx`, …: the bounded form of an HTTP status. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}

/** The metrics of one pipeline, its cells resolved on first use (label sets created lazily, as prom-client does). */
export class PipelineMeter {
  /** Index 0 `other`, 1–5 `1xx`–`5xx`. */
  readonly #requests: (ValueCell | undefined)[] = [];
  #duration: HistogramCell | undefined;
  #inFlight: ValueCell | undefined;
  #response: ValueCell | undefined;
  #error: ValueCell | undefined;
  #requestBytes: HistogramCell | undefined;
  #responseBytes: HistogramCell | undefined;

  constructor(
    readonly pipeline: string,
    readonly cells: MeterCells,
  ) {}

  /** A response went out on a pipeline route: `pipegate_http_requests_total`, `…_duration_seconds`. */
  requestDone(status: number, seconds: number): void {
    const i = status >= 100 && status < 600 ? Math.floor(status / 100) : 0;
    const pipeline = this.pipeline;
    (this.#requests[i] ??= this.cells.requests.cell({
      pipeline,
      status_class: statusClass(status),
    })).value += 1;
    finite(seconds);
    (this.#duration ??= this.cells.requestDuration.cell({ pipeline })).observe(seconds);
  }

  /** An execution starts (`pipegate_executions_in_flight`). */
  started(): void {
    (this.#inFlight ??= this.cells.inFlight.cell({ pipeline: this.pipeline })).value += 1;
  }

  /** An execution ended: in-flight gauge down, `pipegate_executions_total{outcome}` up. */
  finished(outcome: 'response' | 'error'): void {
    const pipeline = this.pipeline;
    (this.#inFlight ??= this.cells.inFlight.cell({ pipeline })).value -= 1;
    const cell =
      outcome === 'response'
        ? (this.#response ??= this.cells.executions.cell({ pipeline, outcome }))
        : (this.#error ??= this.cells.executions.cell({ pipeline, outcome }));
    cell.value += 1;
  }

  /** Sizes of an execution's request and response messages (`pipegate_message_size_bytes`). */
  messageSizes(requestBytes: number, responseBytes: number): void {
    const pipeline = this.pipeline;
    const h = this.cells.messageBytes;
    finite(requestBytes);
    (this.#requestBytes ??= h.cell({ pipeline, direction: 'request' })).observe(requestBytes);
    finite(responseBytes);
    (this.#responseBytes ??= h.cell({ pipeline, direction: 'response' })).observe(responseBytes);
  }
}
