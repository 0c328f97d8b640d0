// Metrics per pipeline: requests per second, latency p50/p95/p99, error rate, in-flight, message sizes.
import { useMemo } from 'preact/hooks';
import { api, seg } from '../lib/api';
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatMsAxis,
  formatPercent,
} from '../lib/format';
import { columns, durationMs, fillBuckets, toSeconds } from '../lib/period';
import { periodOf, readFilters, toQuery } from '../lib/query';
import { navigate } from '../lib/router';
import { Chart, PALETTE } from '../components/chart';
import { useRefresh } from '../components/refresh';
import {
  Empty,
  ErrorBox,
  Loading,
  PageTitle,
  PeriodSelect,
  SelectField,
  useData,
} from '../components/ui';

interface MetricsPoint {
  t: number;
  requests: number;
  rps: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  errorRate: number | null;
  avgRequestBytes: number | null;
  avgResponseBytes: number | null;
}

interface Metrics {
  bucketSeconds: number;
  inFlight: number;
  series: MetricsPoint[];
}

const rps = (v: number | null): string =>
  v === null ? '—' : v >= 10 ? formatCount(v) : v.toFixed(2);
const ms = (v: number | null): string => formatDuration(v);
const pct = (v: number | null): string => formatPercent(v);
const bytes = (v: number | null): string => formatBytes(v);

export function MetricsPage(props: { pipeline: string | null; search: string }) {
  const period = periodOf(readFilters(props.search, ['period']), '1h');
  const deployments = useData(
    () => api.get<{ deployments: { name: string; version: string }[] }>('/admin/deployments'),
    [],
  );
  const names = [...new Set((deployments.data?.deployments ?? []).map((d) => d.name))].sort();
  const pipeline = props.pipeline ?? names[0] ?? null;
  const metrics = useData(
    async () =>
      pipeline
        ? api.get<Metrics>(`/admin/pipelines/${seg(pipeline)}/metrics${toQuery({ period })}`)
        : null,
    [pipeline, period],
  );
  useRefresh(metrics.reload, 30_000);
  const go = (p: string | null, per: string): void =>
    navigate(`/metrics${p ? `/${encodeURIComponent(p)}` : ''}${toQuery({ period: per })}`, true);
  const chart = useMemo(() => {
    const m = metrics.data;
    if (!m) return null;
    const now = Math.floor(Date.now() / 1000);
    const rows = fillBuckets(
      m.series.map((p) => ({ ...p, t: toSeconds(p.t) })),
      m.bucketSeconds,
      now - durationMs(period)! / 1000,
      now,
      (t) => ({
        t,
        requests: 0,
        rps: 0,
        p50Ms: null,
        p95Ms: null,
        p99Ms: null,
        errorRate: null,
        avgRequestBytes: null,
        avgResponseBytes: null,
      }),
    );
    const [x, r, p50, p95, p99, err, reqB, resB] = columns(rows, [
      'rps',
      'p50Ms',
      'p95Ms',
      'p99Ms',
      'errorRate',
      'avgRequestBytes',
      'avgResponseBytes',
    ]);
    return { x, r: r!, p50: p50!, p95: p95!, p99: p99!, err: err!, reqB: reqB!, resB: resB! };
  }, [metrics.data, period]);
  const total = (metrics.data?.series ?? []).reduce((a, p) => a + (p.requests ?? 0), 0);

  return (
    <section aria-labelledby="page-title">
      <PageTitle>{pipeline ? `Metrics: ${pipeline}` : 'Metrics'}</PageTitle>
      <form class="filters" aria-label="Metrics of" onSubmit={(e) => e.preventDefault()}>
        <SelectField
          id="m-pipeline"
          label="Pipeline"
          value={pipeline ?? ''}
          options={(pipeline && !names.includes(pipeline) ? [pipeline, ...names] : names).map(
            (n) => [n, n] as const,
          )}
          onChange={(p) => go(p, period)}
        />
        <PeriodSelect id="m-period" value={period} onChange={(p) => go(pipeline, p)} />
      </form>
      <ErrorBox error={deployments.error ?? metrics.error} />
      {!pipeline && deployments.data ? <Empty>No pipeline is deployed.</Empty> : null}
      {metrics.loading && !metrics.data ? <Loading /> : null}
      {metrics.data ? (
        <ul class="counters" aria-label="Now">
          <li>
            <span class="plain">
              <span class="value" data-counter="inFlight">
                {formatCount(metrics.data.inFlight)}
              </span>
              <span class="label">In flight now</span>
            </span>
          </li>
          <li>
            <span class="plain">
              <span class="value">{formatCount(total)}</span>
              <span class="label">Requests in the period</span>
            </span>
          </li>
        </ul>
      ) : null}
      {chart ? (
        <div class="charts">
          <Chart
            title="Requests per second"
            x={chart.x}
            series={[{ label: 'req/s', values: chart.r, color: PALETTE.blue }]}
            format={rps}
          />
          <Chart
            title="Latency"
            x={chart.x}
            series={[
              { label: 'p50', values: chart.p50, color: PALETTE.ok },
              { label: 'p95', values: chart.p95, color: PALETTE.orange },
              { label: 'p99', values: chart.p99, color: PALETTE.bad, dash: true },
            ]}
            format={ms}
            axisFormat={formatMsAxis}
          />
          <Chart
            title="Error rate"
            x={chart.x}
            series={[{ label: 'errors', values: chart.err, color: PALETTE.bad }]}
            format={pct}
            yMax={1}
          />
          <Chart
            title="Message sizes (average)"
            x={chart.x}
            series={[
              { label: 'request', values: chart.reqB, color: PALETTE.purple },
              { label: 'response', values: chart.resB, color: PALETTE.blue, dash: true },
            ]}
            format={bytes}
          />
        </div>
      ) : null}
    </section>
  );
}
