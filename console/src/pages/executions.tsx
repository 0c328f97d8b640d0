// Executions: the filtered list (live), and one execution with its messages, logs and timing.
import { useState } from 'preact/hooks';
import { api, seg } from '../lib/api';
import { useLiveEvents } from '../lib/events';
import { formatBytes, formatDuration, formatTime, maskedParts, showMessage } from '../lib/format';
import {
  apiQuery,
  EXECUTION_FILTERS,
  executionMatches,
  periodOf,
  readFilters,
  toQuery,
} from '../lib/query';
import type { Filters } from '../lib/query';
import { navigate } from '../lib/router';
import {
  Badge,
  Empty,
  ErrorBox,
  FilterForm,
  Link,
  LiveBadge,
  Loading,
  PageTitle,
  PeriodSelect,
  SelectField,
  TableWrap,
  TextField,
  useData,
} from '../components/ui';
import type { LogRow } from './logs';
import { LogTable } from './logs';

export interface ExecutionRow {
  executionKey: string;
  realm: string | null;
  environment: string;
  pipeline: string;
  version: string;
  trigger: { method: string | null; route: string | null };
  consumer: string | null;
  jti: string | null;
  clientIp: string | null;
  outcome: string;
  httpStatus: number | null;
  errorCode: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number;
  requestBytes: number | null;
  responseBytes: number | null;
  request?: unknown;
  response?: unknown;
}

interface Page {
  executions: ExecutionRow[];
  nextCursor: string | null;
}

const PAGE = 50;

export function OutcomeBadge(props: {
  row: Pick<ExecutionRow, 'outcome' | 'httpStatus' | 'errorCode'>;
}) {
  const r = props.row;
  const ok = r.outcome === 'response' && (r.httpStatus ?? 200) < 400;
  return (
    <Badge kind={ok ? 'ok' : r.outcome === 'error' ? 'bad' : 'warn'}>
      {r.outcome === 'error' ? 'error' : 'response'}
      {r.httpStatus ? ` ${r.httpStatus}` : ''}
    </Badge>
  );
}

export function ExecutionsPage(props: { search: string }) {
  const applied = readFilters(props.search, EXECUTION_FILTERS);
  const [form, setForm] = useState<Filters>(applied);
  const [formFor, setFormFor] = useState(props.search);
  if (formFor !== props.search) {
    setForm(applied);
    setFormFor(props.search);
  }
  const set = (k: string) => (v: string) => setForm({ ...form, [k]: v });
  const [older, setOlder] = useState<{ rows: ExecutionRow[]; cursor: string | null } | null>(null);
  const [fresh, setFresh] = useState<ExecutionRow[]>([]);
  const [liveOn, setLiveOn] = useState(true);
  // The period's start is computed when the filters are applied (not on every render).
  const { data, error, loading } = useData(async () => {
    setOlder(null);
    setFresh([]);
    return api.get<Page>(
      `/admin/executions${apiQuery(applied, { limit: PAGE, keyIgnoresPeriod: 'key' })}`,
    );
  }, [props.search]);
  const live = useLiveEvents(
    ['execution'],
    (_t, d) => {
      const row = d as ExecutionRow;
      if (typeof row?.executionKey !== 'string' || !executionMatches(row, applied)) return;
      setFresh((rows) =>
        rows.some((r) => r.executionKey === row.executionKey) ? rows : [row, ...rows].slice(0, 500),
      );
    },
    liveOn,
  );
  const rows = [
    ...fresh.filter((r) => !data?.executions.some((e) => e.executionKey === r.executionKey)),
    ...(data?.executions ?? []),
    ...(older?.rows ?? []),
  ];
  const cursor = older ? older.cursor : (data?.nextCursor ?? null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const loadMore = async (): Promise<void> => {
    try {
      const p = await api.get<Page>(
        `/admin/executions${apiQuery(applied, { limit: PAGE, cursor, keyIgnoresPeriod: 'key' })}`,
      );
      setOlder({ rows: [...(older?.rows ?? []), ...p.executions], cursor: p.nextCursor });
    } catch (err) {
      setMoreError(err);
    }
  };
  const apply = (): void => navigate(`/executions${toQuery(form)}`);

  return (
    <section aria-labelledby="page-title">
      <PageTitle
        actions={
          <>
            <LiveBadge state={live} />
            <label class="inline">
              <input
                type="checkbox"
                checked={liveOn}
                onChange={(e) => setLiveOn(e.currentTarget.checked)}
              />{' '}
              Live updates
            </label>
          </>
        }
      >
        Executions
      </PageTitle>
      <FilterForm
        label="Filter executions"
        onSubmit={apply}
        onReset={() => navigate('/executions')}
      >
        <PeriodSelect id="f-period" value={periodOf(form)} onChange={set('period')} />
        <SelectField
          id="f-status"
          label="Status"
          value={form.status ?? ''}
          options={[
            ['', 'Any'],
            ['response', 'Response'],
            ['error', 'Error'],
          ]}
          onChange={set('status')}
        />
        <TextField
          id="f-pipeline"
          label="Pipeline"
          value={form.pipeline ?? ''}
          onInput={set('pipeline')}
        />
        <TextField
          id="f-version"
          label="Version"
          value={form.version ?? ''}
          onInput={set('version')}
          placeholder="1.0"
        />
        <TextField id="f-key" label="Execution key" value={form.key ?? ''} onInput={set('key')} />
        <TextField
          id="f-consumer"
          label="Consumer"
          value={form.consumer ?? ''}
          onInput={set('consumer')}
        />
        <TextField
          id="f-search"
          label="Text in messages"
          value={form.search ?? ''}
          onInput={set('search')}
        />
      </FilterForm>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && rows.length === 0 ? <Empty>No executions match.</Empty> : null}
      {rows.length > 0 ? <ExecutionTable rows={rows} label="Executions, newest first" /> : null}
      <ErrorBox error={moreError} />
      {cursor ? (
        <button type="button" onClick={() => void loadMore()}>
          Load older executions
        </button>
      ) : null}
    </section>
  );
}

export function ExecutionTable(props: { rows: ExecutionRow[]; label: string }) {
  return (
    <TableWrap label={props.label}>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Pipeline</th>
          <th scope="col">Version</th>
          <th scope="col">Outcome</th>
          <th scope="col" class="num">
            Duration
          </th>
          <th scope="col">Consumer</th>
          <th scope="col">Execution key</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.executionKey} data-key={r.executionKey}>
            <td class="nowrap">
              <Link
                to={`/executions/${seg(r.executionKey)}`}
                aria-label={`Open execution ${r.executionKey}`}
              >
                {formatTime(r.startedAt)}
              </Link>
            </td>
            <td>{r.pipeline}</td>
            <td>{r.version}</td>
            <td>
              <OutcomeBadge row={r} />
              {r.errorCode ? <span class="small"> {r.errorCode}</span> : null}
            </td>
            <td class="num">{formatDuration(r.durationMs)}</td>
            <td>{r.consumer ?? '—'}</td>
            <td>
              <Link to={`/executions/${seg(r.executionKey)}`} class="mono">
                {r.executionKey}
              </Link>
            </td>
          </tr>
        ))}
      </tbody>
    </TableWrap>
  );
}

function Message(props: { title: string; value: unknown; bytes: number | null }) {
  const m = showMessage(props.value, props.bytes);
  const id = `msg-${props.title.toLowerCase()}`;
  return (
    <section class="message" aria-labelledby={id}>
      <h2 id={id}>
        {props.title} <span class="muted small">{formatBytes(props.bytes)}</span>
      </h2>
      {m.note ? (
        <p
          class={m.state === 'cut' || m.state === 'dropped' ? 'notice' : 'muted'}
          data-truncation={m.state}
        >
          {m.note}
        </p>
      ) : null}
      {m.text !== '' ? (
        <pre tabIndex={0} aria-label={`${props.title} message`}>
          {maskedParts(m.text).map((p, i) =>
            p.masked ? (
              <mark key={i} title="masked value">
                {p.text}
              </mark>
            ) : (
              p.text
            ),
          )}
        </pre>
      ) : null}
    </section>
  );
}

export function ExecutionDetailPage(props: { executionKey: string }) {
  const { data, error, loading } = useData(
    () =>
      api.get<{ execution: ExecutionRow; logs: LogRow[] }>(
        `/admin/executions/${seg(props.executionKey)}`,
      ),
    [props.executionKey],
  );
  const e = data?.execution;
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Execution</PageTitle>
      <p>
        <Link to="/executions">← All executions</Link>
      </p>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {e ? (
        <>
          <dl class="facts">
            <dt>Execution key</dt>
            <dd class="mono">{e.executionKey}</dd>
            <dt>Pipeline</dt>
            <dd>
              <Link to={`/executions${toQuery({ pipeline: e.pipeline })}`}>{e.pipeline}</Link>{' '}
              {e.version}
            </dd>
            <dt>Outcome</dt>
            <dd>
              <OutcomeBadge row={e} /> {e.errorCode ?? ''}
            </dd>
            <dt>Trigger</dt>
            <dd class="mono">
              {e.trigger.method ?? '—'} {e.trigger.route ?? ''}
            </dd>
            <dt>Consumer</dt>
            <dd>{e.consumer ?? '—'}</dd>
            <dt>Token (jti)</dt>
            <dd class="mono">
              {e.jti ? (
                <Link to={`/tokens${toQuery({ jti: e.jti, period: '30d' })}`}>{e.jti}</Link>
              ) : (
                '—'
              )}
            </dd>
            <dt>Client IP</dt>
            <dd class="mono">{e.clientIp ?? '—'}</dd>
            <dt>Realm / environment</dt>
            <dd>
              {e.realm ?? '—'} / {e.environment}
            </dd>
          </dl>
          <h2>Timing</h2>
          <dl class="facts">
            <dt>Started</dt>
            <dd>{formatTime(e.startedAt)}</dd>
            <dt>Ended</dt>
            <dd>{formatTime(e.endedAt)}</dd>
            <dt>Duration</dt>
            <dd data-field="duration">{formatDuration(e.durationMs)}</dd>
          </dl>
          <div class="messages">
            <Message title="Request" value={e.request} bytes={e.requestBytes} />
            <Message title="Response" value={e.response} bytes={e.responseBytes} />
          </div>
          <h2>Logs</h2>
          {data.logs.length === 0 ? (
            <Empty>This execution logged nothing.</Empty>
          ) : (
            <LogTable rows={data.logs} label="Logs of this execution" hideKey />
          )}
        </>
      ) : null}
    </section>
  );
}
