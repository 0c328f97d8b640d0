// Console sessions: opaque random ids in an HttpOnly cookie, kept hashed in this process's memory, with a CSRF token each.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The session cookie's name. */
export const SESSION_COOKIE = 'pipegate_console';
/** A session unused this long ends (docs/console.md "Session"). */
export const SESSION_IDLE_MS = 30 * 60_000;
/** A session ends this long after sign-in, used or not. */
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60_000;
/** At most this many live sessions per process; signing in past it ends the least recently used. */
export const MAX_SESSIONS = 1000;

export interface ConsoleSessionOptions {
  idleMs?: number;
  absoluteMs?: number;
  maxSessions?: number;
  /** Clock (tests). */
  now?: () => number;
}

/** What the console learns about its session (never the id: that lives only in the cookie). */
export interface SessionView {
  username: string;
  csrfToken: string;
  /** Epoch ms when the session ends unless used before (idle), capped by the absolute limit. */
  expiresAt: number;
}

interface Session {
  username: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
}

const digest = (id: string): string => createHash('sha256').update(id).digest('base64url');

/**
 * The sessions of one admin listener. Ids are 256-bit random values; the map is keyed by their
 * SHA-256, so a heap dump does not hand out usable cookies. Sessions are per process: a restart
 * signs everybody out, and behind several gateway processes each admin listener has its own.
 */
export class ConsoleSessions {
  readonly idleMs: number;
  readonly absoluteMs: number;
  readonly #max: number;
  readonly #now: () => number;
  /** Insertion order = least recently used first (get() re-inserts). */
  readonly #sessions = new Map<string, Session>();

  constructor(o: ConsoleSessionOptions = {}) {
    this.idleMs = o.idleMs ?? SESSION_IDLE_MS;
    this.absoluteMs = o.absoluteMs ?? SESSION_ABSOLUTE_MS;
    this.#max = o.maxSessions ?? MAX_SESSIONS;
    this.#now = o.now ?? Date.now;
  }

  /** Starts a session; returns the cookie value (shown once) and the view. */
  create(username: string): { id: string; view: SessionView } {
    this.#sweep();
    while (this.#sessions.size >= this.#max) {
      const oldest = this.#sessions.keys().next().value as string;
      this.#sessions.delete(oldest);
    }
    const id = randomBytes(32).toString('base64url');
    const now = this.#now();
    const s: Session = {
      username,
      csrfToken: randomBytes(32).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
    };
    this.#sessions.set(digest(id), s);
    return { id, view: this.#view(s) };
  }

  /** The live session of a cookie value (and marks it used), or null when unknown or expired. */
  get(id: string): SessionView | null {
    const key = digest(id);
    const s = this.#sessions.get(key);
    if (!s) return null;
    const now = this.#now();
    if (this.#expired(s, now)) {
      this.#sessions.delete(key);
      return null;
    }
    s.lastSeenAt = now;
    this.#sessions.delete(key);
    this.#sessions.set(key, s);
    return this.#view(s);
  }

  /** Ends a session; false when it did not exist. */
  delete(id: string): boolean {
    return this.#sessions.delete(digest(id));
  }

  /** Whether `header` is the session's CSRF token (constant-time). */
  static csrfMatches(view: SessionView, header: unknown): boolean {
    if (typeof header !== 'string') return false;
    const a = Buffer.from(header);
    const b = Buffer.from(view.csrfToken);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** Live sessions (tests, metrics). */
  get size(): number {
    this.#sweep();
    return this.#sessions.size;
  }

  #expired(s: Session, now: number): boolean {
    return now - s.lastSeenAt >= this.idleMs || now - s.createdAt >= this.absoluteMs;
  }

  #view(s: Session): SessionView {
    return {
      username: s.username,
      csrfToken: s.csrfToken,
      expiresAt: Math.min(s.lastSeenAt + this.idleMs, s.createdAt + this.absoluteMs),
    };
  }

  #sweep(): void {
    const now = this.#now();
    for (const [k, s] of this.#sessions) if (this.#expired(s, now)) this.#sessions.delete(k);
  }
}

/** The session cookie's value from a Cookie header, or null. */
export function sessionCookie(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const v = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,128}$/.test(v) ? v : null;
    }
  }
  return null;
}

/** `Set-Cookie` for a session (`maxAgeSec` 0 clears it). */
export function sessionSetCookie(value: string, opts: { secure: boolean; maxAgeSec: number }): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'HttpOnly',
    'SameSite=Strict',
    'Path=/',
    `Max-Age=${opts.maxAgeSec}`,
    ...(opts.secure ? ['Secure'] : []),
  ].join('; ');
}
