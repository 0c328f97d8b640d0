// Failed-login limits checked before hashing, a cap on concurrent password hashes, and backoff.
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hashPassword, verifyPassword } from '../../security/index.js';
import type { PasswordVerifier } from '../../security/index.js';
import { LruMap } from '../../core/lru-map.js';

/** Options of LoginGuard (every one optional; see docs/security.md "Password guessing"). */
export interface LoginGuardOptions {
  /**
   * Password hashes (scrypt, 32 MiB each) running at once (default: half the CPU cores, but always
   * fewer than libuv's pool threads, at least one: see defaultMaxConcurrentHashes).
   */
  maxConcurrentHashes?: number;
  /** Hashes waiting for a slot; beyond it a check is refused at once (default 16). */
  maxQueuedHashes?: number;
  /** Failures per client address before backoff starts (default 20 within `windowMs`). */
  maxFailuresPerIp?: number;
  /** Failures per username before backoff starts (default 5 within `windowMs`). */
  maxFailuresPerUser?: number;
  /** How long failures are remembered without a new one (default 15 min). */
  windowMs?: number;
  /** First lock-out once over a limit (default 1 s), doubling per further failure… */
  baseBackoffMs?: number;
  /** …up to this (default 15 min). */
  maxBackoffMs?: number;
  /** Bound on tracked addresses and usernames (default 100,000, least recently used evicted). */
  maxEntries?: number;
  now?: () => number;
}

interface Failures {
  count: number;
  last: number;
  lockedUntil: number;
}

/** Threads of libuv's pool (UV_THREADPOOL_SIZE, default 4): hashes, signatures, files and DNS share them. */
export function libuvPoolSize(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n >= 1 ? Math.min(n, 1024) : 4;
}

/**
 * The default hash cap: half the cores (hashing never takes every core from the event loop), and
 * at most the pool's threads minus one, so that at every moment a pool thread is free for the work
 * a legitimate request needs (signing a token, reading a file): on an 8-core machine half the cores
 * would be the whole default pool, and an API-key login would queue behind a Basic Auth flood.
 */
export function defaultMaxConcurrentHashes(cores: number, poolSize: number): number {
  return Math.max(1, Math.min(Math.floor(cores / 2), poolSize - 1));
}

/** The backoff settings a failure is counted with. */
export interface BackoffSettings {
  windowMs: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * Failure counters shared by every worker and node (Redis: shared-state/redis-login-counters.ts),
 * with the same semantics as the guard's own: a key's failures live `windowMs` after its last one
 * (or as long as its lock), and from `limit` failures on each further one locks the key for
 * base × 2^(count − limit) ms, capped. Every method throws while the shared store is unreachable.
 */
export interface SharedLoginCounters {
  /** The longest remaining lock of `keys`, in ms (0: none locked). */
  lockedForMs(keys: readonly string[]): Promise<number>;
  /** Counts one failure for each key. */
  fail(entries: readonly { key: string; limit: number }[], o: BackoffSettings): Promise<void>;
  /** Forgets a key's failures and lock. */
  clear(key: string): Promise<void>;
  /** While unreachable: this process's own counters (`open`) or refuse the check (`closed`: 503). */
  readonly onOutage: 'open' | 'closed';
}

/** Why a password check may not run now. */
export type LoginRefusal = { kind: 'throttled'; retryAfterSec: number } | { kind: 'busy' };

/**
 * Guards every password check (Basic Auth on pipelines, the admin API). `admit` runs before any
 * hashing and refuses a client address or username that is locked out; `hash` runs the check
 * within the concurrency cap (refusing at once when the cap and its short queue are full, so a
 * flood cannot occupy the thread pool that signing, file and DNS work also need); `failed` and
 * `succeeded` feed the counters. After `max…` failures each further failure locks the key for
 * base × 2^n, capped. A success clears its username's failures, not its address's (a client with
 * one valid credential cannot launder guesses at other accounts).
 *
 * The counters live in this process unless `share` gives it shared ones (`--redis`): then every
 * worker and node counts the same failures. While those are unreachable, `onOutage: open` counts
 * in this process instead and `closed` refuses the check (`busy`: 503, Retry-After 1).
 */
export class LoginGuard {
  readonly #o: Required<Omit<LoginGuardOptions, 'now'>>;
  readonly #now: () => number;
  readonly #keys: LruMap<Failures>;
  #running = 0;
  readonly #queue: (() => void)[] = [];
  #shared: SharedLoginCounters | null = null;

  constructor(opts: LoginGuardOptions = {}) {
    this.#o = {
      maxConcurrentHashes:
        opts.maxConcurrentHashes ??
        defaultMaxConcurrentHashes(availableParallelism(), libuvPoolSize()),
      maxQueuedHashes: opts.maxQueuedHashes ?? 16,
      maxFailuresPerIp: opts.maxFailuresPerIp ?? 20,
      maxFailuresPerUser: opts.maxFailuresPerUser ?? 5,
      windowMs: opts.windowMs ?? 15 * 60_000,
      baseBackoffMs: opts.baseBackoffMs ?? 1_000,
      maxBackoffMs: opts.maxBackoffMs ?? 15 * 60_000,
      maxEntries: opts.maxEntries ?? 100_000,
    };
    this.#now = opts.now ?? Date.now;
    this.#keys = new LruMap(this.#o.maxEntries);
  }

  #live(key: string): Failures | undefined {
    const f = this.#keys.get(key);
    if (f && this.#now() - f.last > this.#o.windowMs && f.lockedUntil <= this.#now()) {
      this.#keys.delete(key);
      return undefined;
    }
    return f;
  }

  /** Counts failures in `counters` (shared by every worker and node) instead of this process. */
  share(counters: SharedLoginCounters | null): void {
    this.#shared = counters;
  }

  /** True when the counters are shared (`share`). */
  get shared(): boolean {
    return this.#shared !== null;
  }

  #lockedForMsLocal(keys: readonly string[]): number {
    const now = this.#now();
    let until = 0;
    for (const key of keys) {
      const f = this.#live(key);
      if (f && f.lockedUntil > now) until = Math.max(until, f.lockedUntil);
    }
    return until > 0 ? until - now : 0;
  }

  /**
   * Runs `shared` on the shared counters, or `local` when there are none or they are unreachable
   * with `onOutage: open`; 'unavailable' when they are unreachable with `closed`.
   */
  async #counters<T>(
    shared: (c: SharedLoginCounters) => Promise<T>,
    local: () => T,
  ): Promise<T | 'unavailable'> {
    const c = this.#shared;
    if (!c) return local();
    try {
      return await shared(c);
    } catch {
      return c.onOutage === 'open' ? local() : 'unavailable';
    }
  }

  /** Before hashing: null when the check may run, else why not. */
  async admit(scope: string, ip: string, username: string): Promise<LoginRefusal | null> {
    const keys = [`${scope}|ip|${ip}`, `${scope}|user|${username}`];
    const ms = await this.#counters(
      (c) => c.lockedForMs(keys),
      () => this.#lockedForMsLocal(keys),
    );
    if (ms === 'unavailable') return { kind: 'busy' };
    if (ms > 0) return { kind: 'throttled', retryAfterSec: Math.ceil(ms / 1000) };
    if (
      this.#running >= this.#o.maxConcurrentHashes &&
      this.#queue.length >= this.#o.maxQueuedHashes
    )
      return { kind: 'busy' };
    return null;
  }

  /** Runs one password hash within the cap; 'busy' (without running it) when the cap is full. */
  async hash<T>(check: () => Promise<T>): Promise<T | 'busy'> {
    if (this.#running >= this.#o.maxConcurrentHashes) {
      if (this.#queue.length >= this.#o.maxQueuedHashes) return 'busy';
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else this.#running++;
    try {
      return await check();
    } finally {
      const next = this.#queue.shift();
      // The slot passes straight to the next waiter; otherwise it is freed.
      if (next) next();
      else this.#running--;
    }
  }

  #fail(key: string, limit: number): void {
    const now = this.#now();
    const f = this.#live(key) ?? { count: 0, last: now, lockedUntil: 0 };
    f.count++;
    f.last = now;
    if (f.count >= limit) {
      const exp = Math.min(f.count - limit, 30);
      f.lockedUntil = now + Math.min(this.#o.baseBackoffMs * 2 ** exp, this.#o.maxBackoffMs);
    }
    this.#keys.set(key, f);
  }

  /** A wrong password or an unknown username (counted where `admit` looks: shared or local). */
  async failed(scope: string, ip: string, username: string): Promise<void> {
    const entries = [
      { key: `${scope}|ip|${ip}`, limit: this.#o.maxFailuresPerIp },
      { key: `${scope}|user|${username}`, limit: this.#o.maxFailuresPerUser },
    ];
    await this.#counters(
      (c) => c.fail(entries, this.#o),
      () => {
        for (const e of entries) this.#fail(e.key, e.limit);
      },
    );
  }

  /**
   * A correct password: the username's failures are forgotten. `cached`: answered from the
   * verified-password cache — only this process's counters are cleared then, so a Basic Auth
   * request served from the cache costs no Redis call; the shared count is cleared by the next
   * success that runs a hash (and a lock never delays a cached success: admit runs after it).
   */
  async succeeded(scope: string, username: string, cached = false): Promise<void> {
    const key = `${scope}|user|${username}`;
    this.#keys.delete(key);
    if (cached) return;
    await this.#counters(
      (c) => c.clear(key),
      () => undefined,
    );
  }

  /** Hashes running now (tests, metrics). */
  get running(): number {
    return this.#running;
  }

  /** The hash cap in force. */
  get maxConcurrentHashes(): number {
    return this.#o.maxConcurrentHashes;
  }
}

let dummy: Promise<string> | null = null;
/** A scrypt hash of a random password, computed once, for the unknown-user path. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

/** One password check as the guard runs it. */
export interface GuardedCheck {
  /** `basic` (pipelines) or `admin`: separate counters. */
  scope: string;
  ip: string;
  username: string;
  password: string;
  /** The stored hash, or null for an unknown user (which costs the same hash as a known one). */
  storedHash: string | null;
  /** The PasswordVerifier cache name of this user. */
  cacheName: string;
}

/**
 * Verifies a password under the guard: a cached success answers at once; otherwise the check is
 * admitted (or refused) before hashing and runs within the hash cap.
 */
export async function verifyGuarded(
  guard: LoginGuard,
  passwords: PasswordVerifier,
  c: GuardedCheck,
): Promise<'ok' | 'wrong' | LoginRefusal> {
  if (c.storedHash !== null && passwords.isCached(c.cacheName, c.password, c.storedHash)) {
    await guard.succeeded(c.scope, c.username, true);
    return 'ok';
  }
  const refused = await guard.admit(c.scope, c.ip, c.username);
  if (refused) return refused;
  const stored = c.storedHash;
  const ok = await guard.hash(async () =>
    stored === null
      ? (await verifyPassword(c.password, await dummyHash())) && false
      : passwords.verify(c.cacheName, c.password, stored),
  );
  if (ok === 'busy') return { kind: 'busy' };
  if (ok) await guard.succeeded(c.scope, c.username);
  else await guard.failed(c.scope, c.ip, c.username);
  return ok ? 'ok' : 'wrong';
}
