// Deployments: active pipeline versions, their history, rollback.
import { api, seg } from '../lib/api';
import { formatTime } from '../lib/format';
import { readFilters, toQuery } from '../lib/query';
import {
  Badge,
  ConfirmButton,
  Empty,
  ErrorBox,
  Link,
  Loading,
  PageTitle,
  TableWrap,
  useData,
} from '../components/ui';

interface Active {
  name: string;
  version: string;
  id: string;
  deployedAt: string;
  paths: string[];
}

interface HistoryRow {
  id: string;
  name: string;
  version: string;
  deployedAt: string | number;
  active: boolean;
  previousId?: string | null;
}

export function DeploymentsPage(props: { search: string }) {
  const selected = readFilters(props.search, ['pipeline']).pipeline ?? null;
  const active = useData(
    () => api.get<{ environment: string; deployments: Active[] }>('/admin/deployments'),
    [],
  );
  const history = useData(
    async () =>
      selected
        ? api.get<{ deployments?: HistoryRow[]; history?: HistoryRow[] }>(
            `/admin/deployments/history${toQuery({ pipeline: selected })}`,
          )
        : null,
    [selected],
  );
  const rows = history.data ? (history.data.deployments ?? history.data.history ?? []) : [];
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Deployments</PageTitle>
      <ErrorBox error={active.error} />
      {active.loading && !active.data ? <Loading /> : null}
      {active.data && active.data.deployments.length === 0 ? (
        <Empty>No pipeline is deployed.</Empty>
      ) : null}
      {active.data && active.data.deployments.length > 0 ? (
        <TableWrap label="Active deployments">
          <thead>
            <tr>
              <th scope="col">Pipeline</th>
              <th scope="col">Version</th>
              <th scope="col">Deployed</th>
              <th scope="col">Paths</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {active.data.deployments.map((d) => {
              const major = d.version.split('.')[0]!;
              return (
                <tr key={d.id}>
                  <td>
                    <Link to={`/deployments${toQuery({ pipeline: d.name })}`}>{d.name}</Link>
                  </td>
                  <td>{d.version}</td>
                  <td class="nowrap">{formatTime(d.deployedAt)}</td>
                  <td class="mono small">{d.paths.join(' ')}</td>
                  <td>
                    <ConfirmButton
                      label="Roll back"
                      aria-label={`Roll back ${d.name} ${d.version}`}
                      danger
                      question={`Roll back ${d.name} major ${major} to the version deployed before ${d.version}?`}
                      confirmLabel="Roll back"
                      onConfirm={async () => {
                        await api.post(`/admin/deployments/${seg(d.name)}/${seg(major)}/rollback`);
                        active.reload();
                        history.reload();
                      }}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </TableWrap>
      ) : null}
      <h2>{selected ? `History of ${selected}` : 'History'}</h2>
      {!selected ? <Empty>Choose a pipeline above to see its deployment history.</Empty> : null}
      <ErrorBox error={history.error} />
      {selected && history.data && rows.length === 0 ? <Empty>No history.</Empty> : null}
      {rows.length > 0 ? (
        <TableWrap label={`Deployment history of ${selected}`}>
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col">Deployed</th>
              <th scope="col">State</th>
              <th scope="col">Id</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td>{r.version}</td>
                <td class="nowrap">{formatTime(r.deployedAt)}</td>
                <td>
                  {r.active ? <Badge kind="ok">active</Badge> : <Badge kind="info">past</Badge>}
                </td>
                <td class="mono small">{r.id}</td>
              </tr>
            ))}
          </tbody>
        </TableWrap>
      ) : null}
    </section>
  );
}
