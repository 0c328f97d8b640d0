// Tokens: usage per consumer and per token, the usage events (linked to their executions), revocation.
import { useMemo, useState } from 'preact/hooks';
import { api, seg } from '../lib/api';
import { formatCount, formatList, formatTime } from '../lib/format';
import {
  apiQuery,
  localInputToIso,
  periodOf,
  readFilters,
  revokeBody,
  revokeQuestion,
  toQuery,
  USAGE_FILTERS,
} from '../lib/query';
import type { Filters, RevokeRequest } from '../lib/query';
import { navigate } from '../lib/router';
import { columns } from '../lib/period';
import { usageTimeline } from '../lib/timeline';
import { Chart, PALETTE } from '../components/chart';
import {
  Badge,
  ConfirmButton,
  Empty,
  ErrorBox,
  FilterForm,
  Link,
  Loading,
  Notice,
  PageTitle,
  PeriodSelect,
  SelectField,
  TableWrap,
  TextField,
  useData,
} from '../components/ui';

/** One row of the summary: per consumer (`jti` absent) or per token. */
interface UsageSummaryRow {
  consumer: string | null;
  jti?: string | null;
  issued?: number;
  allowed?: number;
  denied?: number;
  total?: number;
  outcomes?: Record<string, number>;
  /** Events by kind: `issued`, `auth`. */
  kinds?: Record<string, number>;
  clientIps?: string[];
  firstSeen?: string | number | null;
  lastSeen?: string | number | null;
}

interface UsageSummary {
  consumers: UsageSummaryRow[];
  tokens: UsageSummaryRow[];
}

interface UsageEvent {
  id: string;
  time: string | number;
  kind: string;
  pipeline: string | null;
  route: string | null;
  consumer: string | null;
  credentialKind: string | null;
  jti: string | null;
  outcome: string;
  reason: string | null;
  status: number | null;
  clientIp: string | null;
  executionKey: string | null;
  count?: number;
}

const n = (v: number | undefined): string => formatCount(v ?? 0);
const count = (v: number | null): string => formatCount(v);

function outcomesOf(r: UsageSummaryRow): string {
  if (r.outcomes)
    return Object.entries(r.outcomes)
      .map(([k, v]) => `${k} ${formatCount(v)}`)
      .join(', ');
  return `allowed ${n(r.allowed)}, denied ${n(r.denied)}`;
}

export function TokensPage(props: { search: string }) {
  const applied = readFilters(props.search, USAGE_FILTERS);
  const [form, setForm] = useState<Filters>(applied);
  const [formFor, setFormFor] = useState(props.search);
  if (formFor !== props.search) {
    setForm(applied);
    setFormFor(props.search);
  }
  const set = (k: string) => (v: string) => setForm({ ...form, [k]: v });
  const period = periodOf(applied, '24h');
  const [done, setDone] = useState<string | null>(null);
  const summary = useData(
    () =>
      api.get<UsageSummary>(
        `/admin/tokens/summary${toQuery({ period, consumer: applied.consumer })}`,
      ),
    [period, applied.consumer],
  );
  const events = useData(
    () =>
      api.get<{ events: UsageEvent[]; nextCursor: string | null }>(
        `/admin/tokens/usage${apiQuery({ ...applied, period }, { limit: 100 })}`,
      ),
    [props.search],
  );
  const timeline = useMemo(() => {
    const list = events.data?.events ?? [];
    if (list.length === 0) return null;
    const [x, allowed, denied] = columns(usageTimeline(list, period, Date.now()), [
      'allowed',
      'denied',
    ]);
    return { x, allowed: allowed!, denied: denied! };
  }, [events.data, period]);
  const revoke = async (r: RevokeRequest): Promise<void> => {
    const res = await api.post<{ revoked?: unknown }>('/admin/tokens/revoke', revokeBody(r));
    const count = typeof res.revoked === 'number' ? ` (${formatCount(res.revoked)})` : '';
    setDone(`Revoked${count}: ${revokeQuestion(r).replace(/^Revoke (.*?)\?.*$/, '$1')}.`);
    summary.reload();
    events.reload();
  };

  return (
    <section aria-labelledby="page-title">
      <PageTitle>Tokens</PageTitle>
      <FilterForm
        label="Filter token usage"
        onSubmit={() => navigate(`/tokens${toQuery(form)}`)}
        onReset={() => navigate('/tokens')}
      >
        <PeriodSelect id="t-period" value={periodOf(form, '24h')} onChange={set('period')} />
        <TextField
          id="t-consumer"
          label="Consumer"
          value={form.consumer ?? ''}
          onInput={set('consumer')}
        />
        <TextField id="t-jti" label="Token id (jti)" value={form.jti ?? ''} onInput={set('jti')} />
        <SelectField
          id="t-outcome"
          label="Outcome"
          value={form.outcome ?? ''}
          options={[
            ['', 'Any'],
            ['allowed', 'Allowed'],
            ['denied', 'Denied'],
          ]}
          onChange={set('outcome')}
        />
        <SelectField
          id="t-kind"
          label="Kind"
          value={form.kind ?? ''}
          options={[
            ['', 'Any'],
            ['issued', 'Issued'],
            ['auth', 'Authentication'],
          ]}
          onChange={set('kind')}
        />
      </FilterForm>
      {done ? <Notice>{done}</Notice> : null}

      <h2>Per consumer</h2>
      <ErrorBox error={summary.error} />
      {summary.loading && !summary.data ? <Loading /> : null}
      {summary.data && summary.data.consumers.length === 0 ? (
        <Empty>No token use in this period.</Empty>
      ) : null}
      {summary.data && summary.data.consumers.length > 0 ? (
        <TableWrap label="Token usage per consumer">
          <thead>
            <tr>
              <th scope="col">Consumer</th>
              <th scope="col" class="num">
                Issued
              </th>
              <th scope="col">Outcomes</th>
              <th scope="col">Client IPs</th>
              <th scope="col">First / last seen</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {summary.data.consumers.map((c) => (
              <tr key={c.consumer ?? '-'}>
                <td>
                  {c.consumer ? (
                    <Link to={`/tokens${toQuery({ consumer: c.consumer, period })}`}>
                      {c.consumer}
                    </Link>
                  ) : (
                    '(none)'
                  )}
                </td>
                <td class="num">{n(c.issued ?? c.kinds?.issued)}</td>
                <td>{outcomesOf(c)}</td>
                <td class="mono small">{formatList(c.clientIps)}</td>
                <td class="nowrap small">
                  {formatTime(c.firstSeen ?? null)}
                  <br />
                  {formatTime(c.lastSeen ?? null)}
                </td>
                <td>
                  {c.consumer ? (
                    <ConfirmButton
                      label="Revoke all"
                      aria-label={`Revoke all tokens of ${c.consumer}`}
                      danger
                      question={revokeQuestion({ kind: 'consumer', consumer: c.consumer })}
                      confirmLabel="Revoke all"
                      onConfirm={() => revoke({ kind: 'consumer', consumer: c.consumer! })}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      ) : null}

      <h2>Per token</h2>
      {summary.data && summary.data.tokens.length === 0 ? (
        <Empty>No token was used in this period.</Empty>
      ) : null}
      {summary.data && summary.data.tokens.length > 0 ? (
        <TableWrap label="Token usage per token">
          <thead>
            <tr>
              <th scope="col">Token (jti)</th>
              <th scope="col">Consumer</th>
              <th scope="col">Outcomes</th>
              <th scope="col">Client IPs</th>
              <th scope="col">First / last seen</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {summary.data.tokens.map((t) => (
              <tr key={t.jti ?? '-'} data-jti={t.jti ?? ''}>
                <td class="mono">
                  {t.jti ? (
                    <Link to={`/tokens${toQuery({ jti: t.jti, period })}`}>{t.jti}</Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{t.consumer ?? '—'}</td>
                <td>{outcomesOf(t)}</td>
                <td class="mono small">{formatList(t.clientIps)}</td>
                <td class="nowrap small">
                  {formatTime(t.firstSeen ?? null)}
                  <br />
                  {formatTime(t.lastSeen ?? null)}
                </td>
                <td>
                  {t.jti ? (
                    <ConfirmButton
                      label="Revoke"
                      aria-label={`Revoke token ${t.jti}`}
                      danger
                      question={revokeQuestion({ kind: 'jti', jti: t.jti })}
                      confirmLabel="Revoke token"
                      onConfirm={() => revoke({ kind: 'jti', jti: t.jti! })}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      ) : null}

      <RevokeForm onRevoke={revoke} />

      <h2>Usage events</h2>
      <ErrorBox error={events.error} />
      {timeline ? (
        <Chart
          title={`Timeline of these ${events.data?.events.length ?? 0} events${applied.jti ? ` of token ${applied.jti}` : applied.consumer ? ` of ${applied.consumer}` : ''}`}
          x={timeline.x}
          series={[
            { label: 'allowed', values: timeline.allowed, color: PALETTE.ok },
            { label: 'denied', values: timeline.denied, color: PALETTE.bad },
          ]}
          format={count}
          height={160}
        />
      ) : null}
      {events.data && events.data.events.length === 0 ? (
        <Empty>No usage events match.</Empty>
      ) : null}
      {events.data && events.data.events.length > 0 ? (
        <TableWrap label="Token usage events, newest first">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Kind</th>
              <th scope="col">Outcome</th>
              <th scope="col">Consumer</th>
              <th scope="col">Token (jti)</th>
              <th scope="col">Pipeline</th>
              <th scope="col">Client IP</th>
              <th scope="col">Execution</th>
            </tr>
          </thead>
          <tbody>
            {events.data.events.map((e) => (
              <tr key={e.id}>
                <td class="nowrap">{formatTime(e.time)}</td>
                <td>{e.kind}</td>
                <td>
                  <Badge kind={e.outcome === 'allowed' ? 'ok' : 'bad'}>{e.outcome}</Badge>
                  {e.reason ? <span class="small"> {e.reason}</span> : null}
                  {e.count && e.count > 1 ? <span class="small"> ×{e.count}</span> : null}
                </td>
                <td>{e.consumer ?? '—'}</td>
                <td class="mono small">{e.jti ?? '—'}</td>
                <td>{e.pipeline ?? '—'}</td>
                <td class="mono small">{e.clientIp ?? '—'}</td>
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
    </section>
  );
}

function RevokeForm(props: { onRevoke: (r: RevokeRequest) => Promise<void> }) {
  const [kind, setKind] = useState<'jti' | 'consumer' | 'before'>('jti');
  const [jti, setJti] = useState('');
  const [consumer, setConsumer] = useState('');
  const [before, setBefore] = useState('');
  const beforeIso = localInputToIso(before);
  const request: RevokeRequest | null =
    kind === 'jti'
      ? jti.trim()
        ? { kind, jti: jti.trim() }
        : null
      : kind === 'consumer'
        ? consumer.trim()
          ? { kind, consumer: consumer.trim() }
          : null
        : beforeIso
          ? { kind, before: beforeIso, ...(consumer.trim() ? { consumer: consumer.trim() } : {}) }
          : null;
  return (
    <section class="panel" aria-labelledby="revoke-title">
      <h2 id="revoke-title">Revoke tokens</h2>
      <fieldset>
        <legend>What to revoke</legend>
        {(
          [
            ['jti', 'One token (by jti)'],
            ['consumer', "All of a consumer's tokens"],
            ['before', 'All tokens issued before a time'],
          ] as const
        ).map(([k, label]) => (
          <label class="inline" key={k}>
            <input
              type="radio"
              name="revoke-kind"
              value={k}
              checked={kind === k}
              onChange={() => setKind(k)}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <div class="filters">
        {kind === 'jti' ? (
          <TextField id="r-jti" label="Token id (jti)" value={jti} onInput={setJti} />
        ) : null}
        {kind !== 'jti' ? (
          <TextField
            id="r-consumer"
            label={kind === 'before' ? 'Consumer (optional)' : 'Consumer'}
            value={consumer}
            onInput={setConsumer}
          />
        ) : null}
        {kind === 'before' ? (
          <TextField
            id="r-before"
            label="Issued before (local time)"
            type="datetime-local"
            value={before}
            onInput={setBefore}
          />
        ) : null}
      </div>
      <ConfirmButton
        label="Revoke…"
        danger
        disabled={request === null}
        question={request ? revokeQuestion(request) : ''}
        confirmLabel="Revoke"
        onConfirm={() => props.onRevoke(request!)}
      />
    </section>
  );
}
