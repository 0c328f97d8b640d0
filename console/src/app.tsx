// The console shell: session (sign-in, expiry, sign-out), navigation landmarks and the page router.
import type { JSX, TargetedEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, currentSession, onSessionExpired, signIn, signOut } from './lib/api';
import type { Session } from './lib/api';
import { navigate, useLocation } from './lib/router';
import { ErrorBox, Link, Loading, TextField } from './components/ui';
import { OverviewPage } from './pages/overview';
import { ExecutionsPage, ExecutionDetailPage } from './pages/executions';
import { LogsPage } from './pages/logs';
import { MetricsPage } from './pages/metrics';
import { TokensPage } from './pages/tokens';
import { AnomaliesPage, AnomalyDetailPage } from './pages/anomalies';
import { ConsumersPage } from './pages/consumers';
import { DeploymentsPage } from './pages/deployments';
import { AuditPage } from './pages/audit';

const NAV: readonly (readonly [string, string])[] = [
  ['/', 'Overview'],
  ['/executions', 'Executions'],
  ['/logs', 'Pipeline logs'],
  ['/metrics', 'Metrics'],
  ['/tokens', 'Tokens'],
  ['/anomalies', 'Anomalies'],
  ['/consumers', 'Consumers'],
  ['/deployments', 'Deployments'],
  ['/audit', 'Audit log'],
];

function route(path: string, search: string): JSX.Element {
  const parts = path
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  switch (parts[0]) {
    case undefined:
      return <OverviewPage search={search} />;
    case 'executions':
      return parts[1] ? (
        <ExecutionDetailPage executionKey={parts[1]} />
      ) : (
        <ExecutionsPage search={search} />
      );
    case 'logs':
      return <LogsPage search={search} />;
    case 'metrics':
      return <MetricsPage pipeline={parts[1] ?? null} search={search} />;
    case 'tokens':
      return <TokensPage search={search} />;
    case 'anomalies':
      return parts[1] ? <AnomalyDetailPage id={parts[1]} /> : <AnomaliesPage search={search} />;
    case 'consumers':
      return <ConsumersPage />;
    case 'deployments':
      return <DeploymentsPage search={search} />;
    case 'audit':
      return <AuditPage />;
    default:
      return (
        <section>
          <h1>Not found</h1>
          <p>
            No page here. <Link to="/">Go to the overview.</Link>
          </p>
        </section>
      );
  }
}

export function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    onSessionExpired(() => {
      setExpired(true);
      setSession(null);
    });
    currentSession().then(setSession, (err: unknown) => {
      setError(err);
      setSession(null);
    });
  }, []);
  if (session === undefined) return <Loading />;
  if (session === null)
    return (
      <SignIn
        expired={expired}
        error={error}
        onSignedIn={(s) => {
          setExpired(false);
          setError(null);
          setSession(s);
        }}
      />
    );
  return (
    <Shell
      session={session}
      onSignOut={async () => {
        try {
          await signOut();
        } finally {
          setSession(null);
          setExpired(false);
          navigate('/', true);
        }
      }}
    />
  );
}

function SignIn(props: { expired: boolean; error: unknown; onSignedIn: (s: Session) => void }) {
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(props.error);
  useEffect(() => {
    document.title = 'Sign in · Pipegate console';
  }, []);
  const submit = async (e: TargetedEvent<HTMLFormElement>): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await signIn(username, password);
      setPassword('');
      props.onSignedIn(s);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401)
        setError(new Error('Wrong username or password.'));
      else if (err instanceof ApiError && err.status === 429)
        setError(
          new Error(
            `Too many failed sign-ins: try again ${err.retryAfter ? `in ${err.retryAfter} s` : 'later'}.`,
          ),
        );
      else setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main id="main" class="signin">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">Pipegate console</h1>
        {props.expired ? (
          <p class="notice" role="status">
            Your session ended. Sign in again to go on.
          </p>
        ) : null}
        <TextField
          id="username"
          label="Username"
          value={username}
          onInput={setUsername}
          autoComplete="username"
          required
        />
        <TextField
          id="password"
          label="Password"
          type="password"
          value={password}
          onInput={setPassword}
          autoComplete="current-password"
          required
        />
        <ErrorBox error={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p class="muted small">
          The admin credential of this gateway (<code>pipegate serve</code> prints it on the first
          start).
        </p>
      </form>
    </main>
  );
}

function Shell(props: { session: Session; onSignOut: () => Promise<void> }) {
  const loc = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const current = '/' + (loc.path.split('/')[1] ?? '');
  useEffect(() => setMenuOpen(false), [loc.path]);
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <button
          type="button"
          class="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <span class="brand">Pipegate console</span>
        <span class="user">
          Signed in as <strong>{props.session.username}</strong>
        </span>
        <button type="button" onClick={() => void props.onSignOut()}>
          Sign out
        </button>
      </header>
      <nav id="nav" aria-label="Pages" class={menuOpen ? 'open' : ''}>
        <ul>
          {NAV.map(([to, label]) => (
            <li key={to}>
              <Link to={to} aria-current={current === to ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {route(loc.path, loc.search)}
      </main>
    </div>
  );
}
