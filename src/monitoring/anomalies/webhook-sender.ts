// Delivers anomaly alerts to the webhook: signed JSON POSTs through a bounded queue with exponential backoff.
import { createHmac } from 'node:crypto';
import type { Anomaly, AnomalyAlertKind } from '../../store/anomaly-records.js';

/** The alert body: exactly the fields docs/anomalies.md "Alerts" lists. */
export interface AlertBody {
  id: string;
  rule: string;
  severity: string;
  realm: string;
  environment: string;
  consumer: string | null;
  jti: string | null;
  clientIps: string[];
  count: number;
  firstSeen: string;
  lastSeen: string;
  status: string;
}

export function alertBody(a: Anomaly): AlertBody {
  return {
    id: a.id,
    rule: a.rule,
    severity: a.severity,
    realm: a.realm,
    environment: a.environment,
    consumer: a.consumer,
    jti: a.jti,
    clientIps: a.clientIps,
    count: a.count,
    firstSeen: new Date(a.firstSeen).toISOString(),
    lastSeen: new Date(a.lastSeen).toISOString(),
    status: a.status,
  };
}

/** `sha256=<hex HMAC-SHA256 of the body>` under the alert secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookSenderOptions {
  url: string;
  secret: string | null;
  /** Alerts waiting (default 1000); beyond it the oldest are dropped and counted. */
  maxQueue?: number;
  /** Attempts per alert (default 8: about 4 minutes of backoff). */
  maxAttempts?: number;
  /** First retry delay (default 1000 ms), doubled each attempt up to 60 s. */
  baseDelayMs?: number;
  /** Per-attempt timeout (default 5000 ms). */
  timeoutMs?: number;
  onFailure?(info: { id: string; attempts: number; status: number | null; gaveUp: boolean }): void;
}

interface Job {
  body: string;
  id: string;
  kind: AnomalyAlertKind;
  attempts: number;
  dueAt: number;
}

/**
 * One delivery loop off the request path: `enqueue` never waits. Any 2xx is delivered; other
 * answers and network errors are retried after 1 s, 2 s, 4 s, … (capped at 60 s) until maxAttempts.
 */
export class WebhookSender {
  readonly #o: Required<Omit<WebhookSenderOptions, 'onFailure' | 'secret'>> & WebhookSenderOptions;
  #queue: Job[] = [];
  #timer: NodeJS.Timeout | null = null;
  #sending = false;
  #closed = false;
  #inflight: AbortController | null = null;
  delivered = 0;
  dropped = 0;
  failed = 0;

  constructor(o: WebhookSenderOptions) {
    this.#o = { maxQueue: 1000, maxAttempts: 8, baseDelayMs: 1000, timeoutMs: 5000, ...o };
  }

  get pending(): number {
    return this.#queue.length;
  }

  enqueue(anomaly: Anomaly, kind: AnomalyAlertKind): void {
    if (this.#closed) return;
    this.#queue.push({
      body: JSON.stringify(alertBody(anomaly)),
      id: anomaly.id,
      kind,
      attempts: 0,
      dueAt: 0,
    });
    if (this.#queue.length > this.#o.maxQueue) {
      this.#queue.shift();
      this.dropped += 1;
    }
    this.#schedule(0);
  }

  #schedule(delay: number): void {
    if (this.#sending || this.#closed) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.#drain(), delay);
    this.#timer.unref();
  }

  async #drain(): Promise<void> {
    this.#timer = null;
    this.#sending = true;
    try {
      for (;;) {
        if (this.#closed) return;
        const now = Date.now();
        const job = this.#queue.find((j) => j.dueAt <= now);
        if (!job) break;
        const status = await this.#post(job);
        if (status !== null && status >= 200 && status < 300) {
          this.#queue.splice(this.#queue.indexOf(job), 1);
          this.delivered += 1;
          continue;
        }
        job.attempts += 1;
        const gaveUp = job.attempts >= this.#o.maxAttempts;
        this.#o.onFailure?.({ id: job.id, attempts: job.attempts, status, gaveUp });
        const at = this.#queue.indexOf(job);
        if (gaveUp) {
          if (at !== -1) this.#queue.splice(at, 1);
          this.failed += 1;
        } else {
          job.dueAt = Date.now() + Math.min(60_000, this.#o.baseDelayMs * 2 ** (job.attempts - 1));
        }
      }
    } finally {
      this.#sending = false;
    }
    if (this.#queue.length > 0) {
      const next = Math.min(...this.#queue.map((j) => j.dueAt));
      this.#schedule(Math.max(0, next - Date.now()));
    }
  }

  async #post(job: Job): Promise<number | null> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'pipegate-alerts',
      'x-pipegate-event': `anomaly.${job.kind}`,
      'x-pipegate-timestamp': String(Math.floor(Date.now() / 1000)),
    };
    if (this.#o.secret) headers['x-pipegate-signature'] = signBody(this.#o.secret, job.body);
    const ac = new AbortController();
    this.#inflight = ac;
    const timer = setTimeout(() => ac.abort(), this.#o.timeoutMs);
    try {
      const res = await fetch(this.#o.url, {
        method: 'POST',
        headers,
        body: job.body,
        signal: ac.signal,
        redirect: 'manual',
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
      this.#inflight = null;
    }
  }

  /** Gives queued alerts up to `graceMs` to go out, then stops (a dead webhook never holds a shutdown). */
  async close(graceMs = 2000): Promise<void> {
    const end = Date.now() + graceMs;
    while (this.#queue.some((j) => j.attempts === 0) && Date.now() < end) {
      if (!this.#sending) this.#schedule(0);
      await new Promise((r) => setTimeout(r, 20));
    }
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#inflight?.abort();
  }
}
