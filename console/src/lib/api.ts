// The console's HTTP client: same-origin JSON calls to /admin and /console/api with the session
// cookie, the CSRF header on every state change, and session expiry reported to the app.

export interface Session {
  username: string;
  csrfToken: string;
  expiresAt: string;
}

/** An error answer of the API: status, the stable ERR_… code and its message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onExpired: (() => void) | null = null;

export function setSession(s: Session | null): void {
  csrfToken = s?.csrfToken ?? null;
}

/** Called once when a call answers 401 while signed in (the session ended or expired). */
export function onSessionExpired(fn: () => void): void {
  onExpired = fn;
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    // Tells the server this is the console (no Basic-auth challenge on 401).
    'x-requested-with': 'pipegate-console',
  };
  if (WRITE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let payload: string | undefined;
  if (body !== undefined || method === 'POST' || method === 'PATCH' || method === 'PUT') {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body ?? {});
  }
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null, 'The gateway did not answer: check that it is running.');
  }
  const text = await res.text();
  let data: unknown = null;
  if (text !== '') {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const o = (data ?? {}) as { code?: string; message?: string };
    const retry = Number(res.headers.get('retry-after'));
    const err = new ApiError(
      res.status,
      o.code ?? null,
      o.message ?? `${res.status} ${res.statusText}`,
      Number.isFinite(retry) && retry > 0 ? retry : null,
    );
    if (res.status === 401 && csrfToken !== null && !path.startsWith('/console/api/session')) {
      csrfToken = null;
      onExpired?.();
    }
    throw err;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string): Promise<T> => call<T>('GET', path),
  post: <T>(path: string, body?: unknown): Promise<T> => call<T>('POST', path, body),
  patch: <T>(path: string, body?: unknown): Promise<T> => call<T>('PATCH', path, body),
  del: <T>(path: string): Promise<T> => call<T>('DELETE', path),
};

/** The current session, or null when signed out or expired. */
export async function currentSession(): Promise<Session | null> {
  try {
    const s = await api.get<Session>('/console/api/session');
    setSession(s);
    return s;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export async function signIn(username: string, password: string): Promise<Session> {
  const s = await api.post<Session>('/console/api/session', { username, password });
  setSession(s);
  return s;
}

export async function signOut(): Promise<void> {
  try {
    await api.del('/console/api/session');
  } finally {
    setSession(null);
  }
}

/** Path segment encoding for names and keys in admin URLs. */
export const seg = (s: string): string => encodeURIComponent(s);
