// Audit log: every state change made through the admin API or the console, newest first.
import { useState } from 'preact/hooks';
import { api } from '../lib/api';
import { formatTime } from '../lib/format';
import { toQuery } from '../lib/query';
import { Badge, Empty, ErrorBox, Loading, PageTitle, TableWrap, useData } from '../components/ui';

interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  clientIp: string | null;
  outcome?: string | null;
  status?: number | null;
  details?: unknown;
}

interface AuditPage {
  entries: AuditEntry[];
  nextCursor: string | null;
}

export function AuditPage() {
  const { data, error, loading } = useData(() => api.get<AuditPage>('/admin/audit?limit=100'), []);
  const [older, setOlder] = useState<AuditPage | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const rows = [...(data?.entries ?? []), ...(older?.entries ?? [])];
  const cursor = older ? older.nextCursor : (data?.nextCursor ?? null);
  const more = async (): Promise<void> => {
    try {
      const p = await api.get<AuditPage>(`/admin/audit${toQuery({ limit: 100, cursor })}`);
      setOlder({ entries: [...(older?.entries ?? []), ...p.entries], nextCursor: p.nextCursor });
    } catch (err) {
      setMoreError(err);
    }
  };
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Audit log</PageTitle>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && rows.length === 0 ? <Empty>No changes recorded yet.</Empty> : null}
      {rows.length > 0 ? (
        <TableWrap label="Audit log, newest first">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Outcome</th>
              <th scope="col">Client IP</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id}>
                <td class="nowrap">{formatTime(e.at)}</td>
                <td>{e.actor}</td>
                <td class="mono small">{e.action}</td>
                <td class="mono small">{e.target ?? '—'}</td>
                <td>
                  {e.outcome ? (
                    <Badge kind={e.outcome === 'ok' || e.outcome === 'success' ? 'ok' : 'bad'}>
                      {e.outcome}
                      {e.status ? ` ${e.status}` : ''}
                    </Badge>
                  ) : (
                    '—'
                  )}
                </td>
                <td class="mono small">{e.clientIp ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      ) : null}
      <ErrorBox error={moreError} />
      {cursor ? (
        <button type="button" onClick={() => void more()}>
          Load older entries
        </button>
      ) : null}
    </section>
  );
}
