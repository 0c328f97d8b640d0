// Keeps a token service's keys, revocations and consumer cache current from the store's change feed.
import { performance } from 'node:perf_hooks';
import type { Store } from '../../store/store.js';
import type { ConsumerCache } from './consumer-cache.js';
import type { KeyRing } from './key-ring.js';
import type { RevocationList } from './revocation-list.js';
import type { VerifiedTokenCache } from './verified-token-cache.js';

const CHANGE_TOPICS = ['signingKeys', 'revocations', 'consumers'] as const;
/** A full reload of revocations drops expired rows from memory. */
const FULL_RELOAD_MS = 60_000;

/** The in-memory state a refresh brings up to date (the verifier reads the same objects). */
export interface TokenState {
  store: Store;
  environment: string;
  keys: KeyRing;
  revocations: RevocationList;
  consumers: ConsumerCache;
  cache: VerifiedTokenCache;
  now: () => number;
}

/** Options of the refresh loop. */
export interface RefreshOptions {
  /** Period of the background refresh; 0 runs none (callers refresh by hand). */
  intervalMs: number;
  /** Age of the last successful refresh past which the state counts as stale. */
  staleAfterMs: number;
}

/** The refresh loop of one token service. */
export interface TokenRefresher {
  /** Reads the change feed and applies it; a call during a run queues one more run after it. */
  refresh(): Promise<void>;
  /** True when the last successful refresh is older than `staleAfterMs` (revocations may be missing). */
  isStale(): boolean;
  /** Stops the timer and waits for a refresh in flight. */
  close(): Promise<void>;
}

/** Loads the keys (creating the first on first start) and revocations, then starts the refresh timer. */
export async function startTokenRefresh(
  state: TokenState,
  opts: RefreshOptions,
): Promise<TokenRefresher> {
  const { store, environment, keys, revocations, consumers, cache, now } = state;
  let seq = await store.changes.latest();
  await keys.init();
  await revocations.load();
  let lastOk = performance.now();
  let lastFullReload = lastOk;
  let refreshing: Promise<void> | null = null;

  async function refreshOnce(): Promise<void> {
    const topics = new Set<string>();
    // The feed position moves only once every change read here is applied (as the gateway's change
    // poller does): if a reload below fails, the next refresh reads the same events again instead of
    // missing a revocation until the next full reload.
    let next = seq;
    for (;;) {
      const events = await store.changes.since(next, {
        environment,
        topics: [...CHANGE_TOPICS],
        limit: 1000,
      });
      for (const e of events) {
        topics.add(e.topic);
        next = Math.max(next, e.seq);
      }
      if (events.length < 1000) break;
    }
    if (topics.has('consumers')) consumers.clear();
    if (topics.has('signingKeys')) {
      await keys.load();
      cache.clear();
    }
    if (keys.hasDueKeys()) {
      await store.signingKeys.retireDue(environment, now());
      await keys.load();
      cache.clear();
    }
    if (topics.has('revocations') || performance.now() - lastFullReload > FULL_RELOAD_MS) {
      await revocations.load();
      lastFullReload = performance.now();
      cache.purge((v) =>
        revocations.isRevoked({ jti: v.jti, consumer: v.consumer, iatMs: v.iat * 1000 }),
      );
    }
    seq = next;
    lastOk = performance.now();
  }

  let queued: Promise<void> | null = null;
  /** A call during a refresh queues one more after it (a change-feed wake-up may postdate its read). */
  function refresh(): Promise<void> {
    if (!refreshing) {
      refreshing = refreshOnce().finally(() => {
        refreshing = null;
      });
      return refreshing;
    }
    queued ??= refreshing
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return refresh();
      });
    return queued;
  }

  const timer =
    opts.intervalMs > 0
      ? setInterval(() => void refresh().catch(() => undefined), opts.intervalMs)
      : null;
  timer?.unref();

  return {
    refresh,
    isStale: () => performance.now() - lastOk > opts.staleAfterMs,
    async close() {
      if (timer) clearInterval(timer);
      await refreshing?.catch(() => undefined);
      await queued?.catch(() => undefined);
    },
  };
}
