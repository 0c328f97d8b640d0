// Consumers: create (the API key shown once), enable/disable, rotate keys, scopes and allowed pipelines.
import type { TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import { api, seg } from '../lib/api';
import { formatList, formatTime, parseList } from '../lib/format';
import {
  Badge,
  ConfirmButton,
  Empty,
  ErrorBox,
  Loading,
  PageTitle,
  TableWrap,
  TextField,
  useData,
} from '../components/ui';

interface ConsumerView {
  name: string;
  enabled: boolean;
  pipelines: string[];
  scopes: string[] | null;
  createdAt: string;
  apiKeys: { id: string; prefix: string; createdAt: string; revokedAt: string | null }[];
  basicAuth: { username: string; createdAt: string }[];
}

/** `*` or a list of pipeline names, as the admin API takes it. */
export function pipelinesInput(text: string): string[] | '*' {
  const list = parseList(text);
  return list.length === 0 || (list.length === 1 && list[0] === '*') ? '*' : list;
}

/** Scopes: an empty field means no ceiling (null). */
export function scopesInput(text: string): string[] | null {
  const list = parseList(text);
  return list.length === 0 ? null : list;
}

function KeyOnce(props: { title: string; apiKey: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div class="panel key-once" role="alert">
      <h3>{props.title}</h3>
      <p>
        Copy this API key now: it is <strong>shown only once</strong> and cannot be read again.
      </p>
      <p>
        <code class="secret" data-api-key>
          {props.apiKey}
        </code>
      </p>
      <div class="row">
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.writeText(props.apiKey).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" class="primary" onClick={props.onDone}>
          I have saved it
        </button>
      </div>
    </div>
  );
}

function CreateConsumer(props: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState('');
  const [pipelines, setPipelines] = useState('*');
  const [error, setError] = useState<unknown>(null);
  const [key, setKey] = useState<string | null>(null);
  const submit = async (e: TargetedEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    try {
      const r = await api.post<{ apiKey: string }>('/admin/consumers', {
        name: name.trim(),
        scopes: scopesInput(scopes),
        pipelines: pipelinesInput(pipelines),
      });
      setKey(r.apiKey);
      setName('');
      props.onCreated();
    } catch (err) {
      setError(err);
    }
  };
  if (key) return <KeyOnce title="Consumer created" apiKey={key} onDone={() => setKey(null)} />;
  return (
    <form class="panel" onSubmit={(e) => void submit(e)} aria-labelledby="create-title">
      <h2 id="create-title">New consumer</h2>
      <div class="filters">
        <TextField
          id="c-name"
          label="Name"
          value={name}
          onInput={setName}
          required
          hint="Letters, digits, . _ -"
        />
        <TextField
          id="c-scopes"
          label="Scopes"
          value={scopes}
          onInput={setScopes}
          hint="Comma-separated; empty: no ceiling"
        />
        <TextField
          id="c-pipelines"
          label="Allowed pipelines"
          value={pipelines}
          onInput={setPipelines}
          hint="Comma-separated, or * for all"
        />
      </div>
      <ErrorBox error={error} />
      <button type="submit" class="primary">
        Create consumer
      </button>
    </form>
  );
}

function EditConsumer(props: { c: ConsumerView; onSaved: () => void }) {
  const [scopes, setScopes] = useState(props.c.scopes?.join(', ') ?? '');
  const [pipelines, setPipelines] = useState(props.c.pipelines.join(', '));
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const id = `e-${props.c.name}`;
  const submit = async (e: TargetedEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setError(null);
    setSaved(false);
    try {
      await api.patch(`/admin/consumers/${seg(props.c.name)}`, {
        scopes: scopesInput(scopes),
        pipelines: pipelinesInput(pipelines),
      });
      setSaved(true);
      props.onSaved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form
      class="filters"
      onSubmit={(e) => void submit(e)}
      aria-label={`Scopes and pipelines of ${props.c.name}`}
    >
      <TextField id={`${id}-scopes`} label="Scopes" value={scopes} onInput={setScopes} />
      <TextField
        id={`${id}-pipelines`}
        label="Allowed pipelines"
        value={pipelines}
        onInput={setPipelines}
      />
      <div class="field buttons">
        <button type="submit">Save</button>
        {saved ? <span role="status">Saved</span> : null}
      </div>
      <ErrorBox error={error} />
    </form>
  );
}

function ConsumerCard(props: { c: ConsumerView; onChange: () => void }) {
  const c = props.c;
  const [newKey, setNewKey] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const toggle = async (): Promise<void> => {
    await api.patch(`/admin/consumers/${seg(c.name)}`, { enabled: !c.enabled });
    props.onChange();
  };
  const rotate = async (): Promise<void> => {
    const r = await api.post<{ apiKey: string }>(`/admin/consumers/${seg(c.name)}/keys`);
    setNewKey(r.apiKey);
    props.onChange();
  };
  const liveKeys = c.apiKeys.filter((k) => k.revokedAt === null);
  return (
    <article class="panel" aria-labelledby={`c-${c.name}`} data-consumer={c.name}>
      <div class="page-head">
        <h3 id={`c-${c.name}`}>
          {c.name}{' '}
          <Badge kind={c.enabled ? 'ok' : 'bad'}>{c.enabled ? 'enabled' : 'disabled'}</Badge>
        </h3>
        <div class="row">
          {c.enabled ? (
            <ConfirmButton
              label="Disable"
              danger
              question={`Disable ${c.name}? Its API keys, Basic credentials and tokens are refused until it is enabled again.`}
              confirmLabel="Disable"
              onConfirm={toggle}
            />
          ) : (
            <button type="button" onClick={() => void toggle().catch(setError)}>
              Enable
            </button>
          )}
          <ConfirmButton
            label="New API key"
            question={`Create a new API key for ${c.name}? Its current keys keep working until you revoke them (rotation).`}
            confirmLabel="Create key"
            onConfirm={rotate}
          />
        </div>
      </div>
      <ErrorBox error={error} />
      {newKey ? (
        <KeyOnce title={`New key for ${c.name}`} apiKey={newKey} onDone={() => setNewKey(null)} />
      ) : null}
      <dl class="facts">
        <dt>Scopes</dt>
        <dd>{c.scopes === null ? 'no ceiling' : formatList(c.scopes, 'none')}</dd>
        <dt>Pipelines</dt>
        <dd>{c.pipelines.includes('*') ? 'all' : formatList(c.pipelines)}</dd>
        <dt>Created</dt>
        <dd>{formatTime(c.createdAt)}</dd>
        <dt>Basic credentials</dt>
        <dd>{formatList(c.basicAuth.map((b) => b.username))}</dd>
      </dl>
      <h4>API keys</h4>
      {c.apiKeys.length === 0 ? (
        <Empty>No API keys.</Empty>
      ) : (
        <ul class="keys">
          {c.apiKeys.map((k) => (
            <li key={k.id}>
              <code>{k.prefix}</code> created {formatTime(k.createdAt)}{' '}
              {k.revokedAt ? (
                <Badge kind="bad">revoked {formatTime(k.revokedAt)}</Badge>
              ) : (
                <ConfirmButton
                  label="Revoke key"
                  aria-label={`Revoke key ${k.prefix} of ${c.name}`}
                  danger
                  question={`Revoke key ${k.prefix} of ${c.name}? Requests with it are refused at once.${liveKeys.length === 1 ? ' It is the last live key of this consumer.' : ''}`}
                  confirmLabel="Revoke key"
                  onConfirm={async () => {
                    await api.del(`/admin/consumers/${seg(c.name)}/keys/${seg(k.id)}`);
                    props.onChange();
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>Edit scopes and pipelines</summary>
        <EditConsumer c={c} onSaved={props.onChange} />
      </details>
    </article>
  );
}

export function ConsumersPage() {
  const { data, error, loading, reload } = useData(
    () => api.get<{ consumers: ConsumerView[] }>('/admin/consumers'),
    [],
  );
  return (
    <section aria-labelledby="page-title">
      <PageTitle>Consumers</PageTitle>
      <CreateConsumer onCreated={reload} />
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.consumers.length === 0 ? <Empty>No consumers yet.</Empty> : null}
      {data && data.consumers.length > 0 ? (
        <>
          <h2>Consumers ({data.consumers.length})</h2>
          <TableWrap label="Consumers summary">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Scopes</th>
                <th scope="col">Pipelines</th>
                <th scope="col" class="num">
                  Live keys
                </th>
              </tr>
            </thead>
            <tbody>
              {data.consumers.map((c) => (
                <tr key={c.name}>
                  <td>
                    <a href={`#c-${c.name}`}>{c.name}</a>
                  </td>
                  <td>
                    <Badge kind={c.enabled ? 'ok' : 'bad'}>
                      {c.enabled ? 'enabled' : 'disabled'}
                    </Badge>
                  </td>
                  <td>{c.scopes === null ? 'no ceiling' : formatList(c.scopes, 'none')}</td>
                  <td>{c.pipelines.includes('*') ? 'all' : formatList(c.pipelines)}</td>
                  <td class="num">{c.apiKeys.filter((k) => k.revokedAt === null).length}</td>
                </tr>
              ))}
            </tbody>
          </TableWrap>
          {data.consumers.map((c) => (
            <ConsumerCard key={c.name} c={c} onChange={reload} />
          ))}
        </>
      ) : null}
    </section>
  );
}
