// Pipeline logs: filters and a live tail (new lines appended at the bottom, like `pipegate logs --follow`).
import { useState } from 'preact/hooks';
import { api, seg } from '../lib/api';
import { useLiveEvents } from '../lib/events';
import { formatTime } from '../lib/format';
import { apiQuery, LOG_FILTERS, logMatches, periodOf, readFilters, toQuery } from '../lib/query';
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

export interface LogRow {
  id: number | null;
  timestamp: string;
  level: string;
  executionKey: string;
  realm: string | null;
  pipeline: string;
  version: string | null;
  step: string | null;
  message: string;
}

const LEVEL_KIND: Record<string, string> = { INFO: 'info', WARN: 'warn', ERROR: 'bad' };

export function LogTable(props: { rows: LogRow[]; label: string; hideKey?: boolean }) {
  return (
    <TableWrap label={props.label}>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Level</th>
          <th scope="col">Pipeline</th>
          <th scope="col">Step</th>
          <th scope="col">Message</th>
          {props.hideKey ? null : <th scope="col">Execution</th>}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((l, i) => (
          <tr key={`${l.id ?? ''}-${l.timestamp}-${i}`}>
            <td class="nowrap">{formatTime(l.timestamp)}</td>
            <td>
              <Badge kind={LEVEL_KIND[l.level] ?? 'info'}>{l.level}</Badge>
            </td>
            <td>
              {l.pipeline} {l.version ?? ''}
            </td>
            <td>{l.step ?? '—'}</td>
            <td class="message-cell">{l.message}</td>
            {props.hideKey ? null : (
              <td>
                <Link to={`/executions/${seg(l.executionKey)}`} class="mono">
                  {l.executionKey.slice(0, 12)}…
                </Link>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </TableWrap>
  );
}

export function LogsPage(props: { search: string }) {
  const applied = readFilters(props.search, LOG_FILTERS);
  const [form, setForm] = useState<Filters>(applied);
  const [formFor, setFormFor] = useState(props.search);
  if (formFor !== props.search) {
    setForm(applied);
    setFormFor(props.search);
  }
  const set = (k: string) => (v: string) => setForm({ ...form, [k]: v });
  const [tail, setTail] = useState(true);
  const [fresh, setFresh] = useState<LogRow[]>([]);
  const [older, setOlder] = useState<{ rows: LogRow[]; cursor: string | null } | null>(null);
  const { data, error, loading } = useData(async () => {
    setFresh([]);
    setOlder(null);
    const q = apiQuery(applied, { limit: 200, keyIgnoresPeriod: 'execution' });
    return api.get<{ logs: LogRow[]; nextCursor: string | null }>(`/admin/logs${q}`);
  }, [props.search]);
  const live = useLiveEvents(
    ['log'],
    (_t, d) => {
      const row = d as LogRow;
      if (typeof row?.message !== 'string' || !logMatches(row, applied)) return;
      setFresh((rows) => [...rows, row].slice(-2000));
    },
    tail,
  );
  // Live lines carry no id: a line both loaded and streamed is recognised by its content.
  const lineKey = (l: LogRow): string => `${l.timestamp}|${l.executionKey}|${l.message}`;
  const seen = new Set((data?.logs ?? []).map(lineKey));
  const rows = [
    ...(older?.rows ?? []),
    ...(data?.logs ?? []),
    ...fresh.filter((l) => !seen.has(lineKey(l))),
  ];
  const cursor = older ? older.cursor : (data?.nextCursor ?? null);
  const loadOlder = async (): Promise<void> => {
    const p = await api.get<{ logs: LogRow[]; nextCursor: string | null }>(
      `/admin/logs${apiQuery(applied, { limit: 200, cursor, keyIgnoresPeriod: 'execution' })}`,
    );
    setOlder({ rows: [...p.logs, ...(older?.rows ?? [])], cursor: p.nextCursor });
  };
  return (
    <section aria-labelledby="page-title">
      <PageTitle
        actions={
          <>
            <LiveBadge state={live} />
            <label class="inline">
              <input
                type="checkbox"
                checked={tail}
                onChange={(e) => setTail(e.currentTarget.checked)}
              />{' '}
              Live tail
            </label>
          </>
        }
      >
        Pipeline logs
      </PageTitle>
      <FilterForm
        label="Filter logs"
        onSubmit={() => navigate(`/logs${toQuery(form)}`)}
        onReset={() => navigate('/logs')}
      >
        <PeriodSelect id="l-period" value={periodOf(form)} onChange={set('period')} />
        <SelectField
          id="l-level"
          label="Level"
          value={form.level ?? ''}
          options={[
            ['', 'Any'],
            ['INFO', 'INFO'],
            ['WARN', 'WARN'],
            ['ERROR', 'ERROR'],
          ]}
          onChange={set('level')}
        />
        <TextField
          id="l-pipeline"
          label="Pipeline"
          value={form.pipeline ?? ''}
          onInput={set('pipeline')}
        />
        <TextField
          id="l-execution"
          label="Execution key"
          value={form.execution ?? ''}
          onInput={set('execution')}
        />
        <TextField id="l-search" label="Words" value={form.search ?? ''} onInput={set('search')} />
      </FilterForm>
      <ErrorBox error={error} />
      {cursor ? (
        <button type="button" onClick={() => void loadOlder()}>
          Load older lines
        </button>
      ) : null}
      {loading && !data ? <Loading /> : null}
      {data && rows.length === 0 ? <Empty>No log lines match.</Empty> : null}
      {rows.length > 0 ? <LogTable rows={rows} label="Log lines, oldest first" /> : null}
      <p class="sr-only" aria-live="polite">
        {fresh.length > 0 ? `${fresh.length} new log lines` : ''}
      </p>
    </section>
  );
}
