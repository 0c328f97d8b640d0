// Anomalies and the shared window counters in SQL: upserts both dialects write the same way.
import { randomUUID } from 'node:crypto';
import { PlatformError } from '../../errors/index.js';
import type {
  Anomaly,
  AnomalyAlertKind,
  AnomalyCount,
  AnomalyObservation,
  AnomalyQuery,
  AnomalyRule,
  AnomalySeverity,
  AnomalyStatus,
} from '../anomaly-records.js';
import type { AnomalyRepository } from '../store.js';
import type { Row, SqlExecutor, SqlParam } from './driver.js';
import {
  insertParts,
  json,
  num,
  numOrNull,
  one,
  pageLimit,
  str,
  strOrNull,
  Where,
} from './sql-context.js';
import type { SqlContext } from './sql-context.js';

const COLUMNS =
  'id, environment, rule, subject, severity, realm, consumer, jti, client_ips, sample_execution_keys, first_seen, last_seen, event_count, status, response, acknowledged_at, acknowledged_by, resolved_at, resolved_by, updated_at';

/** Lists kept on a record stay short: they are evidence, not a log. */
export const MAX_CLIENT_IPS = 20;
export const MAX_SAMPLE_KEYS = 10;
/** Rows per IN (…) list. */
const IN_CHUNK = 200;

function toAnomaly(row: Row): Anomaly {
  return {
    id: str(row, 'id'),
    environment: str(row, 'environment'),
    rule: str(row, 'rule') as AnomalyRule,
    subject: str(row, 'subject'),
    severity: str(row, 'severity') as AnomalySeverity,
    realm: str(row, 'realm'),
    consumer: strOrNull(row, 'consumer'),
    jti: strOrNull(row, 'jti'),
    clientIps: json<string[]>(row, 'client_ips') ?? [],
    sampleExecutionKeys: json<string[]>(row, 'sample_execution_keys') ?? [],
    firstSeen: num(row, 'first_seen'),
    lastSeen: num(row, 'last_seen'),
    count: num(row, 'event_count'),
    status: str(row, 'status') as AnomalyStatus,
    response: strOrNull(row, 'response'),
    acknowledgedAt: numOrNull(row, 'acknowledged_at'),
    acknowledgedBy: strOrNull(row, 'acknowledged_by'),
    resolvedAt: numOrNull(row, 'resolved_at'),
    resolvedBy: strOrNull(row, 'resolved_by'),
    updatedAt: num(row, 'updated_at'),
  };
}

/** `a` then the members of `b` not in it, at most `max`. */
function merge(a: readonly string[], b: readonly string[], max: number): string[] {
  const out = [...a];
  for (const v of b) if (out.length < max && !out.includes(v)) out.push(v);
  return out.slice(0, max);
}

function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) out.push(values.slice(i, i + IN_CHUNK));
  return out;
}

const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Cursor of the list order (firstSeen DESC, id DESC): `<firstSeen>.<id>` in base64url. */
function encodeCursor(a: Anomaly): string {
  return Buffer.from(`${a.firstSeen}.${a.id}`).toString('base64url');
}

function decodeCursor(cursor: string): { firstSeen: number; id: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const dot = text.indexOf('.');
  const firstSeen = Number(text.slice(0, dot));
  if (dot <= 0 || !Number.isSafeInteger(firstSeen))
    throw new PlatformError('ERR_ANOMALY_QUERY', {
      option: 'cursor',
      reason: 'not a cursor returned by a previous page',
    });
  return { firstSeen, id: text.slice(dot + 1) };
}

export class SqlAnomalyRepository implements AnomalyRepository {
  constructor(private readonly ctx: SqlContext) {}

  async addCounts(env: string, counts: AnomalyCount[]): Promise<void> {
    // One transaction of upserts; on SQLite it runs on the writer thread (off the event loop), like
    // the execution records. The rows' conflict keys differ: the detector aggregates per subject.
    await insertParts(this.ctx.ex, [
      {
        table: 'anomaly_counts',
        columns: ['environment', 'rule', 'subject', 'bucket', 'event_count'],
        rows: counts.map((c) => [env, c.rule, c.subject, c.bucket, c.count]),
        onConflict:
          ' ON CONFLICT (environment, rule, subject, bucket) DO UPDATE SET event_count = anomaly_counts.event_count + excluded.event_count',
      },
    ]);
  }

  async sumCounts(
    env: string,
    rule: string,
    subjects: string[],
    fromBucket: number,
    toBucket: number,
  ): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const part of chunks([...new Set(subjects)])) {
      const rows = await this.ctx.ex.all(
        `SELECT subject, SUM(event_count) AS total FROM anomaly_counts
         WHERE environment = ? AND rule = ? AND subject IN (${marks(part.length)}) AND bucket >= ? AND bucket < ?
         GROUP BY subject`,
        [env, rule, ...part, fromBucket, toBucket],
      );
      for (const r of rows) out.set(str(r, 'subject'), num(r, 'total'));
    }
    return out;
  }

  async touchTokenIps(
    env: string,
    seen: { jti: string; clientIp: string; seenAt: number }[],
  ): Promise<void> {
    await insertParts(this.ctx.ex, [
      {
        table: 'anomaly_token_ips',
        columns: ['environment', 'jti', 'client_ip', 'last_seen'],
        rows: seen.map((p) => [env, p.jti, p.clientIp, p.seenAt]),
        onConflict:
          ' ON CONFLICT (environment, jti, client_ip) DO UPDATE SET last_seen = CASE WHEN excluded.last_seen > anomaly_token_ips.last_seen THEN excluded.last_seen ELSE anomaly_token_ips.last_seen END',
      },
    ]);
  }

  async tokenIps(env: string, jtis: string[], since: number): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const part of chunks([...new Set(jtis)])) {
      const rows = await this.ctx.ex.all(
        `SELECT jti, client_ip FROM anomaly_token_ips
         WHERE environment = ? AND jti IN (${marks(part.length)}) AND last_seen >= ?
         ORDER BY last_seen, client_ip`,
        [env, ...part, since],
      );
      for (const r of rows) {
        const list = out.get(str(r, 'jti')) ?? [];
        list.push(str(r, 'client_ip'));
        out.set(str(r, 'jti'), list);
      }
    }
    return out;
  }

  async purgeWindows(before: number): Promise<number> {
    const a = await this.ctx.ex.run('DELETE FROM anomaly_counts WHERE bucket < ?', [before]);
    const b = await this.ctx.ex.run('DELETE FROM anomaly_token_ips WHERE last_seen < ?', [before]);
    return a + b;
  }

  raise(env: string, o: AnomalyObservation): Promise<{ anomaly: Anomaly; created: boolean }> {
    return this.ctx.ex.transaction(async (tx) => {
      const now = this.ctx.now();
      const id = randomUUID();
      const inserted = await tx.all(
        `INSERT INTO anomalies (${COLUMNS}) VALUES (${marks(20)})
         ON CONFLICT (environment, rule, subject) WHERE status <> 'resolved' DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          id,
          env,
          o.rule,
          o.subject,
          o.severity,
          o.realm,
          o.consumer,
          o.jti,
          JSON.stringify(o.clientIps.slice(0, MAX_CLIENT_IPS)),
          JSON.stringify(o.sampleExecutionKeys.slice(0, MAX_SAMPLE_KEYS)),
          o.firstSeen,
          o.lastSeen,
          o.windowCount,
          'open',
          null,
          null,
          null,
          null,
          null,
          now,
        ],
      );
      if (inserted[0]) return { anomaly: toAnomaly(inserted[0]), created: true };
      return { anomaly: await this.#update(tx, env, o, now), created: false };
    });
  }

  /**
   * Adds an observation to the live anomaly of its rule and subject. On PostgreSQL the row is locked
   * (`FOR UPDATE`) until commit, so racing reporters apply one after another; SQLite has one writer.
   * The `updated_at` guard stays as a second line: a lost race retries, and never reports a count
   * that was not written.
   */
  async #update(
    tx: SqlExecutor,
    env: string,
    o: AnomalyObservation,
    now: number,
  ): Promise<Anomaly> {
    for (let attempt = 0; ; attempt++) {
      const row = await one(
        tx,
        `SELECT ${COLUMNS} FROM anomalies WHERE environment = ? AND rule = ? AND subject = ? AND status <> 'resolved'${
          this.ctx.dialect.name === 'postgres' ? ' FOR UPDATE' : ''
        }`,
        [env, o.rule, o.subject],
      );
      if (!row) throw new PlatformError('ERR_STORE_UNAVAILABLE', { reason: 'anomaly vanished' });
      const a = toAnomaly(row);
      if (o.newEvents === 0 && o.lastSeen <= a.lastSeen) return a;
      const next: Anomaly = {
        ...a,
        count: a.count + o.newEvents,
        lastSeen: Math.max(a.lastSeen, o.lastSeen),
        consumer: a.consumer ?? o.consumer,
        jti: a.jti ?? o.jti,
        clientIps: merge(a.clientIps, o.clientIps, MAX_CLIENT_IPS),
        sampleExecutionKeys: merge(a.sampleExecutionKeys, o.sampleExecutionKeys, MAX_SAMPLE_KEYS),
        updatedAt: Math.max(now, a.updatedAt + 1),
      };
      const changed = await tx.run(
        `UPDATE anomalies SET event_count = ?, last_seen = ?, consumer = ?, jti = ?, client_ips = ?, sample_execution_keys = ?, updated_at = ?
         WHERE id = ? AND updated_at = ?`,
        [
          next.count,
          next.lastSeen,
          next.consumer,
          next.jti,
          JSON.stringify(next.clientIps),
          JSON.stringify(next.sampleExecutionKeys),
          next.updatedAt,
          a.id,
          a.updatedAt,
        ],
      );
      if (changed === 1) return next;
      if (attempt >= 9)
        throw new PlatformError('ERR_STORE_UNAVAILABLE', { reason: 'anomaly update kept racing' });
    }
  }

  async get(env: string, id: string): Promise<Anomaly | null> {
    const row = await one(
      this.ctx.ex,
      `SELECT ${COLUMNS} FROM anomalies WHERE environment = ? AND id = ?`,
      [env, id],
    );
    return row ? toAnomaly(row) : null;
  }

  async list(
    env: string,
    q: AnomalyQuery = {},
  ): Promise<{ anomalies: Anomaly[]; nextCursor: string | null }> {
    const w = new Where(env)
      .add('status = ?', q.status)
      .add('rule = ?', q.rule)
      .add('consumer = ?', q.consumer)
      .add('jti = ?', q.jti)
      .add('first_seen >= ?', q.since)
      .add('first_seen < ?', q.until);
    if (q.cursor !== undefined) {
      const c = decodeCursor(q.cursor);
      w.clauses.push('(first_seen < ? OR (first_seen = ? AND id < ?))');
      w.params.push(c.firstSeen, c.firstSeen, c.id);
    }
    const limit = pageLimit(q.limit, 50);
    const params: SqlParam[] = [...w.params, limit + 1];
    const rows = await this.ctx.ex.all(
      `SELECT ${COLUMNS} FROM anomalies ${w} ORDER BY first_seen DESC, id DESC LIMIT ?`,
      params,
    );
    const anomalies = rows.slice(0, limit).map(toAnomaly);
    const last = anomalies.at(-1);
    return { anomalies, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
  }

  async setStatus(
    env: string,
    id: string,
    status: Exclude<AnomalyStatus, 'open'>,
    by: string | null,
  ): Promise<Anomaly | null> {
    return this.ctx.ex.transaction(async (tx) => {
      const row = await one(
        tx,
        `SELECT ${COLUMNS} FROM anomalies WHERE environment = ? AND id = ?`,
        [env, id],
      );
      if (!row) return null;
      const a = toAnomaly(row);
      if (a.status === status || a.status === 'resolved') {
        if (status === 'resolved' || a.status === status) return a;
        throw new PlatformError('ERR_ANOMALY_STATE', {
          id,
          status: a.status,
          action: 'acknowledged',
        });
      }
      const now = Math.max(this.ctx.now(), a.updatedAt + 1);
      const set =
        status === 'acknowledged'
          ? 'acknowledged_at = ?, acknowledged_by = ?'
          : 'resolved_at = ?, resolved_by = ?';
      await tx.run(`UPDATE anomalies SET status = ?, ${set}, updated_at = ? WHERE id = ?`, [
        status,
        now,
        by,
        now,
        id,
      ]);
      return status === 'acknowledged'
        ? { ...a, status, acknowledgedAt: now, acknowledgedBy: by, updatedAt: now }
        : { ...a, status, resolvedAt: now, resolvedBy: by, updatedAt: now };
    });
  }

  async setResponse(env: string, id: string, response: string): Promise<void> {
    await this.ctx.ex.run('UPDATE anomalies SET response = ? WHERE environment = ? AND id = ?', [
      response,
      env,
      id,
    ]);
  }

  async claimAlerts(
    env: string,
    since: number,
    limit: number,
  ): Promise<{ anomaly: Anomaly; kind: AnomalyAlertKind }[]> {
    const rows = await this.ctx.ex.all(
      `SELECT ${COLUMNS}, alerted FROM anomalies
       WHERE environment = ? AND updated_at >= ? AND alerted <> 'resolved'
         AND (alerted = '' OR status = 'resolved')
       ORDER BY updated_at LIMIT ?`,
      [env, since, limit],
    );
    const claimed: { anomaly: Anomaly; kind: AnomalyAlertKind }[] = [];
    for (const row of rows) {
      const a = toAnomaly(row);
      const kind: AnomalyAlertKind = a.status === 'resolved' ? 'resolved' : 'opened';
      // Compare-and-set: of several nodes polling at once, exactly one sees a changed row.
      const won = await this.ctx.ex.run(
        'UPDATE anomalies SET alerted = ? WHERE id = ? AND alerted = ?',
        [kind, a.id, str(row, 'alerted')],
      );
      if (won === 1) claimed.push({ anomaly: a, kind });
    }
    return claimed;
  }

  purge(env: string, before: number): Promise<number> {
    return this.ctx.ex.run(
      "DELETE FROM anomalies WHERE environment = ? AND status = 'resolved' AND updated_at < ?",
      [env, before],
    );
  }
}
