// LISTEN on one channel with a dedicated connection that reconnects with backoff after any loss.
import pg from 'pg';

/** A running listener; `close()` ends its connection and stops reconnecting. */
export interface ChannelListener {
  close(): Promise<void>;
  /** Whether the LISTEN connection is up (readiness, tests). */
  readonly connected: boolean;
}

/** Options of listenChannel. */
export interface ListenOptions {
  connectionString: string;
  channel: string;
  connectTimeoutMs?: number;
  /** A notification arrived (payload as sent). */
  onNotify(payload: string): void;
  /**
   * The connection is (re-)established: what was committed while it was down was not notified, so
   * the caller catches up (polls once).
   */
  onConnected(): void;
  /** Backoff bounds between reconnect attempts (default 100 ms doubling to 5 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * Keeps one `LISTEN` connection open outside the query pool (a pooled connection would drop its
 * LISTEN when released). A lost connection (server restart, network cut, idle kill) is replaced;
 * polling by the caller stays the safety net for the time it is down.
 */
export function listenChannel(o: ListenOptions): ChannelListener {
  let client: pg.Client | null = null;
  let closed = false;
  let connected = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;
  const min = o.minBackoffMs ?? 100;
  const max = o.maxBackoffMs ?? 5000;

  const schedule = (): void => {
    if (closed || timer) return;
    const delay = Math.min(min * 2 ** attempt, max);
    attempt++;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, delay);
    timer.unref();
  };

  const lost = (c: pg.Client): void => {
    if (client !== c) return;
    client = null;
    connected = false;
    c.end().catch(() => undefined);
    schedule();
  };

  async function connect(): Promise<void> {
    if (closed) return;
    const c = new pg.Client({
      connectionString: o.connectionString,
      connectionTimeoutMillis: o.connectTimeoutMs ?? 2000,
      keepAlive: true,
      application_name: 'pipegate-listen',
    });
    client = c;
    c.on('error', () => lost(c));
    c.on('end', () => lost(c));
    c.on('notification', (n) => {
      if (n.channel === o.channel) o.onNotify(n.payload ?? '');
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${o.channel}`);
      if (closed) {
        await c.end();
        return;
      }
      connected = true;
      attempt = 0;
      o.onConnected();
    } catch {
      lost(c);
    }
  }

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      const c = client;
      client = null;
      connected = false;
      await c?.end().catch(() => undefined);
    },
    get connected() {
      return connected;
    },
  };
}
