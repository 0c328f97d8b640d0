// Overview: counters, the 10 most-executed pipelines and the success/failure and duration charts.
import { useMemo, useState } from 'preact/hooks';
import { api } from '../lib/api';
import { useLiveEvents } from '../lib/events';
import { formatCount, formatDuration, formatMsAxis } from '../lib/format';
import { columns, fillBuckets, toSeconds } from '../lib/period';
import { periodOf, readFilters, toQuery } from '../lib/query';
import { navigate } from '../lib/router';
import { Chart, PALETTE } from '../components/chart';
import { useRefresh } from '../components/refresh';
import {
  Empty,
  ErrorBox,
  Link,
  LiveBadge,
  Loading,
  PageTitle,
  PeriodSelect,
  TableWrap,
  useData,
} from '../components/ui';

export interface Counters {
  pipelines: number;
  consumers: number;
  accounts: number;
  tokensIssuedToday: number;
  openAnomalies: number;
}

interface OverviewPoint {
  t: number;
  success: number;
  failed: number;
  avgMs: number | null;
  p95Ms: number | null;
}

interface Overview {
  environment?: string;
  counters: Counters;
  topPipelines: {
    pipeline: string;
    version: string;
    total: number;
    failed: number;
    avgMs: number;
  }[];
  bucketSeconds: number;
  series: OverviewPoint[];
}

const COUNTERS: readonly (readonly [keyof Counters, string, string | null])[] = [
  ['pipelines', 'Deployed pipelines', '/deployments'],
  ['consumers', 'Consumers', '/consumers'],
  ['accounts', 'Accounts', null],
  ['tokensIssuedToday', 'Tokens issued today', '/tokens'],
  ['openAnomalies', 'Open anomalies', '/anomalies?status=open'],
];

const ms = (v: number | null): string => formatDuration(v);
const count = (v: number | null): string => formatCount(v);

export function OverviewPage(props: { search: string }) {
  const f = readFilters(props.search, ['period']);
  const period = periodOf(f, '1h');
  const { data, error, loading, reload } = useData(
    () => api.get<Overview>(`/admin/overview${toQuery({ period })}`),
    [period],
  );
  useRefresh(reload, 30_000);
  const [liveCounters, setLiveCounters] = useState<Counters | null>(null);
  const live = useLiveEvents(['overview'], (_topic, d) => {
    const c = (d as { counters?: Counters }).counters;
    if (c) setLiveCounters(c);
  });
  const counters = liveCounters ?? data?.counters ?? null;
  const chart = useMemo(() => {
    if (!data) return null;
    const now = Math.floor(Date.now() / 1000);
    const span = {
      '15m': 900,
      '1h': 3600,
      '6h': 21600,
      '24h': 86400,
      '7d': 604800,
      '30d': 2592000,
    }[period];
    const rows = fillBuckets(
      data.series.map((p) => ({ ...p, t: toSeconds(p.t) })),
      data.bucketSeconds,
      now - span,
      now,
      (t) => ({ t, success: 0, failed: 0, avgMs: null, p95Ms: null }),
    );
    const [x, success, failed, avg, p95] = columns(rows, ['success', 'failed', 'avgMs', 'p95Ms']);
    return { x, success: success!, failed: failed!, avg: avg!, p95: p95! };
  }, [data, period]);

  return (
    <section aria-labelledby="page-title">
      <PageTitle actions={<LiveBadge state={live} />}>Overview</PageTitle>
      <form class="filters" aria-label="Overview period" onSubmit={(e) => e.preventDefault()}>
        <PeriodSelect
          value={period}
          onChange={(p) => navigate(`/${toQuery({ period: p })}`, true)}
        />
        {data?.environment ? (
          <p class="muted">
            Environment: <strong>{data.environment}</strong>
          </p>
        ) : null}
      </form>
      <ErrorBox error={error} />
      {counters ? (
        <ul class="counters" aria-label="Counters">
          {COUNTERS.map(([k, label, to]) => (
            <li key={k} class={k === 'openAnomalies' && counters[k] > 0 ? 'alert' : ''}>
              {to ? (
                <Link to={to}>
                  <span class="value" data-counter={k}>
                    {formatCount(counters[k])}
                  </span>
                  <span class="label">{label}</span>
                </Link>
              ) : (
                <span class="plain">
                  <span class="value" data-counter={k}>
                    {formatCount(counters[k])}
                  </span>
                  <span class="label">{label}</span>
                </span>
              )}
            </li>
          ))}
        </ul>
      ) : loading ? (
        <Loading />
      ) : null}
      {chart ? (
        <div class="charts">
          <Chart
            title="Executions: successes and failures"
            x={chart.x}
            series={[
              { label: 'Succeeded', values: chart.success, color: PALETTE.ok },
              { label: 'Failed', values: chart.failed, color: PALETTE.bad },
            ]}
            format={count}
          />
          <Chart
            title="Duration: average and p95"
            x={chart.x}
            series={[
              { label: 'Average', values: chart.avg, color: PALETTE.blue },
              { label: 'p95', values: chart.p95, color: PALETTE.purple, dash: true },
            ]}
            format={ms}
            axisFormat={formatMsAxis}
          />
        </div>
      ) : null}
      <h2>Most executed pipelines</h2>
      {data && data.topPipelines.length === 0 ? <Empty>No executions in this period.</Empty> : null}
      {data && data.topPipelines.length > 0 ? (
        <TableWrap label="The 10 most executed pipelines">
          <thead>
            <tr>
              <th scope="col">Pipeline</th>
              <th scope="col">Version</th>
              <th scope="col" class="num">
                Executions
              </th>
              <th scope="col" class="num">
                Failed
              </th>
              <th scope="col" class="num">
                Average time
              </th>
            </tr>
          </thead>
          <tbody>
            {data.topPipelines.map((p) => (
              <tr key={`${p.pipeline}@${p.version}`}>
                <td>
                  <Link to={`/executions${toQuery({ pipeline: p.pipeline, period })}`}>
                    {p.pipeline}
                  </Link>{' '}
                  <Link
                    to={`/metrics/${encodeURIComponent(p.pipeline)}${toQuery({ period })}`}
                    class="small"
                  >
                    metrics
                  </Link>
                </td>
                <td>{p.version}</td>
                <td class="num">{formatCount(p.total)}</td>
                <td class={`num ${p.failed > 0 ? 'bad' : ''}`}>
                  {p.failed > 0 ? (
                    <Link
                      to={`/executions${toQuery({ pipeline: p.pipeline, status: 'error', period })}`}
                    >
                      {formatCount(p.failed)}
                    </Link>
                  ) : (
                    '0'
                  )}
                </td>
                <td class="num">{formatDuration(p.avgMs)}</td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      ) : null}
    </section>
  );
}
