// Anomalies: list by severity and status (live), detail with the events behind it, acknowledge/resolve.
import { useState } from 'preact/hooks';
import { api, seg } from '../lib/api';
import { useLiveEvents } from '../lib/events';
import { formatCount, formatList, formatTime } from '../lib/format';
import { readFilters, toQuery } from '../lib/query';
import { navigate } from '../lib/router';
import {
  Badge,
  ConfirmButton,
  Empty,
  ErrorBox,
  FilterForm,
  Link,
  LiveBadge,
  Loading,
  PageTitle,
  SelectField,
  TableWrap,
  useData,
} from '../components/ui';

export interface Anomaly {
  id: string;
  rule: string;
  subject: string;
  severity: string;
  realm: string;
  environment: string;
  consumer: string | null;
  jti: string | null;
  clientIps: string[];
  sampleExecutionKeys: string[];
  firstSeen: string | number;
  lastSeen: string | number;
  count: number;
  status: 'open' | 'acknowledged' | 'resolved';
  response: string | null;
  acknowledgedAt: string | number | null;
  acknowledgedBy: string | null;
  resolvedAt: string | number | null;
  resolvedBy: string | null;
}

const SEVERITY_RANK: Record<string, number> = { high: 0, medium: 1, low: 2 };
const SEVERITY_KIND: Record<string, string> = { high: 'bad', medium: 'warn', low: 'info' };
const STATUS_KIND: Record<string, string> = { open: 'bad', acknowledged: 'warn', resolved: 'ok' };

/** Most severe first, then newest first. */
export function sortAnomalies(list: Anomaly[]): Anomaly[] {
  return [...list].sort(
    (a, b) =>
      (SEVERITY_RANK[a.severity] ?? 9) - (SEVERITY_RANK[b.severity] ?? 9) ||
      new Date(b.lastSeen).getTime() - new Date(a.lastSeen).getTime(),
  );
}

function Actions(props: { a: Anomaly; onChange: (a: Anomaly) => void }) {
  const act = async (verb: 'ack' | 'resolve'): Promise<void> => {
    const r = await api.post<{ anomaly: Anomaly }>(`/admin/anomalies/${seg(props.a.id)}/${verb}`);
    props.onChange(r.anomaly);
  };
  return (
    <div class="row">
      {props.a.status === 'open' ? (
        <ConfirmButton
          label="Acknowledge"
          aria-label={`Acknowledge anomaly ${props.a.rule} ${props.a.subject}`}
          question={`Acknowledge ${props.a.rule} on ${props.a.subject}? It stays live and keeps counting while you investigate.`}
          confirmLabel="Acknowledge"
          onConfirm={() => act('ack')}
        />
      ) : null}
      {props.a.status !== 'resolved' ? (
        <ConfirmButton
          label="Resolve"
          aria-label={`Resolve anomaly ${props.a.rule} ${props.a.subject}`}
          question={`Resolve ${props.a.rule} on ${props.a.subject}? A new firing opens a new anomaly.`}
          confirmLabel="Resolve"
          onConfirm={() => act('resolve')}
        />
      ) : null}
    </div>
  );
}

export function AnomaliesPage(props: { search: string }) {
  const applied = readFilters(props.search, ['status', 'severity', 'rule', 'consumer']);
  const [form, setForm] = useState(applied);
  const [formFor, setFormFor] = useState(props.search);
  if (formFor !== props.search) {
    setForm(applied);
    setFormFor(props.search);
  }
  const set = (k: string) => (v: string) => setForm({ ...form, [k]: v });
  const q = toQuery({
    status: applied.status,
    rule: applied.rule,
    consumer: applied.consumer,
    limit: 200,
  });
  const { data, error, loading, setData } = useData(
    () => api.get<{ anomalies: Anomaly[]; nextCursor: string | null }>(`/admin/anomalies${q}`),
    [q],
  );
  const upsert = (a: Anomaly): void => {
    if (!data) return;
    const others = data.anomalies.filter((x) => x.id !== a.id);
    const keep = !applied.status || a.status === applied.status;
    setData({ ...data, anomalies: keep ? [a, ...others] : others });
  };
  const live = useLiveEvents(['anomaly'], (_t, d) => {
    const a = (d as { anomaly?: Anomaly }).anomaly ?? (d as Anomaly);
    if (typeof a?.id === 'string') upsert(a);
  });
  const list = sortAnomalies(
    (data?.anomalies ?? []).filter((a) => !applied.severity || a.severity === applied.severity),
  );
  return (
    <section aria-labelledby="page-title">
      <PageTitle actions={<LiveBadge state={live} />}>Anomalies</PageTitle>
      <FilterForm
        label="Filter anomalies"
        onSubmit={() => navigate(`/anomalies${toQuery(form)}`)}
        onReset={() => navigate('/anomalies')}
      >
        <SelectField
          id="a-status"
          label="Status"
          value={form.status ?? ''}
          options={[
            ['', 'Any'],
            ['open', 'Open'],
            ['acknowledged', 'Acknowledged'],
            ['resolved', 'Resolved'],
          ]}
          onChange={set('status')}
        />
        <SelectField
          id="a-severity"
          label="Severity"
          value={form.severity ?? ''}
          options={[
            ['', 'Any'],
            ['high', 'High'],
            ['medium', 'Medium'],
            ['low', 'Low'],
          ]}
          onChange={set('severity')}
        />
      </FilterForm>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && list.length === 0 ? <Empty>No anomalies match.</Empty> : null}
      {list.length > 0 ? (
        <TableWrap label="Anomalies, most severe first">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Rule</th>
              <th scope="col">Subject</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">
                Count
              </th>
              <th scope="col">Last seen</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id} data-anomaly={a.id}>
                <td>
                  <Badge kind={SEVERITY_KIND[a.severity] ?? 'info'}>{a.severity}</Badge>
                </td>
                <td>
                  <Link to={`/anomalies/${seg(a.id)}`}>{a.rule}</Link>
                </td>
                <td class="mono small">{a.subject}</td>
                <td>
                  <Badge kind={STATUS_KIND[a.status] ?? 'info'}>{a.status}</Badge>
                </td>
                <td class="num">{formatCount(a.count)}</td>
                <td class="nowrap">{formatTime(a.lastSeen)}</td>
                <td>
                  <Actions a={a} onChange={upsert} />
                </td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      ) : null}
    </section>
  );
}

interface UsageEvent {
  id: string;
  time: string | number;
  kind: string;
  outcome: string;
  reason: string | null;
  clientIp: string | null;
  pipeline: string | null;
  executionKey: string | null;
  count?: number;
}

export function AnomalyDetailPage(props: { id: string }) {
  const { data, error, loading, setData } = useData(
    () => api.get<{ anomaly: Anomaly }>(`/admin/anomalies/${seg(props.id)}`),
    [props.id],
  );
  const a = data?.anomaly;
  const evidence = useData(async () => {
    if (!a) return null;
    const since = new Date(new Date(a.firstSeen).getTime() - 10 * 60_000).toISOString();
    const by = a.jti ? { jti: a.jti } : a.consumer ? { consumer: a.consumer } : null;
    if (!by) return null;
    return api.get<{ events: UsageEvent[] }>(
      `/admin/tokens/usage${toQuery({ ...by, since, limit: 100 })}`,
    );
  }, [a?.id]);
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Anomaly</PageTitle>
      <p>
        <Link to="/anomalies">← All anomalies</Link>
      </p>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {a ? (
        <>
          <dl class="facts">
            <dt>Rule</dt>
            <dd>{a.rule}</dd>
            <dt>Severity</dt>
            <dd>
              <Badge kind={SEVERITY_KIND[a.severity] ?? 'info'}>{a.severity}</Badge>
            </dd>
            <dt>Status</dt>
            <dd data-field="status">
              <Badge kind={STATUS_KIND[a.status] ?? 'info'}>{a.status}</Badge>
              {a.acknowledgedBy
                ? ` acknowledged by ${a.acknowledgedBy} at ${formatTime(a.acknowledgedAt)}`
                : ''}
              {a.resolvedBy ? `; resolved by ${a.resolvedBy} at ${formatTime(a.resolvedAt)}` : ''}
            </dd>
            <dt>Subject</dt>
            <dd class="mono">{a.subject}</dd>
            <dt>Consumer</dt>
            <dd>{a.consumer ?? '—'}</dd>
            <dt>Token (jti)</dt>
            <dd class="mono">
              {a.jti ? (
                <Link to={`/tokens${toQuery({ jti: a.jti, period: '30d' })}`}>{a.jti}</Link>
              ) : (
                '—'
              )}
            </dd>
            <dt>Count</dt>
            <dd>{formatCount(a.count)}</dd>
            <dt>First / last seen</dt>
            <dd>
              {formatTime(a.firstSeen)} / {formatTime(a.lastSeen)}
            </dd>
            <dt>Client IPs</dt>
            <dd class="mono">{formatList(a.clientIps)}</dd>
            <dt>Automatic response</dt>
            <dd>{a.response ?? 'none'}</dd>
            <dt>Sample executions</dt>
            <dd>
              {a.sampleExecutionKeys.length === 0
                ? '—'
                : a.sampleExecutionKeys.map((k) => (
                    <span key={k}>
                      <Link to={`/executions/${seg(k)}`} class="mono small">
                        {k}
                      </Link>{' '}
                    </span>
                  ))}
            </dd>
          </dl>
          <Actions a={a} onChange={(x) => setData({ anomaly: x })} />
          <h2>Events behind it</h2>
          <ErrorBox error={evidence.error} />
          {evidence.data === null && !evidence.loading ? (
            <Empty>This anomaly names no token or consumer; see the client IPs above.</Empty>
          ) : null}
          {evidence.data && evidence.data.events.length === 0 ? (
            <Empty>No usage events kept (retention may have removed them).</Empty>
          ) : null}
          {evidence.data && evidence.data.events.length > 0 ? (
            <TableWrap label="Token usage events of this anomaly's subject">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Client IP</th>
                  <th scope="col">Pipeline</th>
                  <th scope="col">Execution</th>
                </tr>
              </thead>
              <tbody>
                {evidence.data.events.map((e) => (
                  <tr key={e.id}>
                    <td class="nowrap">{formatTime(e.time)}</td>
                    <td>{e.kind}</td>
                    <td>
                      <Badge kind={e.outcome === 'allowed' ? 'ok' : 'bad'}>{e.outcome}</Badge>
                      {e.reason ? <span class="small"> {e.reason}</span> : null}
                      {e.count && e.count > 1 ? <span class="small"> ×{e.count}</span> : null}
                    </td>
                    <td class="mono small">{e.clientIp ?? '—'}</td>
                    <td>{e.pipeline ?? '—'}</td>
                    <td>
                      {e.executionKey ? (
                        <Link to={`/executions/${seg(e.executionKey)}`} class="mono small">
                          {e.executionKey.slice(0, 12)}…
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </TableWrap>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
