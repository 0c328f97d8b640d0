// Token revocations in SQL: by jti, by consumer (tokens issued before), or everything issued before a time.
import { consumerJtiValue } from '../records.js';
import type {
  ChangeEvent,
  NewRevocation,
  Revocation,
  RevocationKind,
  TokenIdentity,
} from '../records.js';
import type { RevocationRepository } from '../store.js';
import type { Row, SqlParam } from './driver.js';
import { changesForTopic } from './changes-sql.js';
import { mutate, num, numOrNull, one, str, type SqlContext } from './sql-context.js';

const COLUMNS = 'environment, kind, value, issued_before, expires_at, created_at';
const KINDS: readonly RevocationKind[] = ['jti', 'consumer', 'before', 'consumer_jti'];

function toRevocation(row: Row): Revocation {
  return {
    environment: str(row, 'environment'),
    kind: str(row, 'kind') as RevocationKind,
    value: str(row, 'value'),
    issuedBefore: numOrNull(row, 'issued_before'),
    expiresAt: numOrNull(row, 'expires_at'),
    createdAt: num(row, 'created_at'),
  };
}

/** The later of two expiries, where null means "never". */
function laterExpiry(a: number | null, b: number | null): number | null {
  return a === null || b === null ? null : Math.max(a, b);
}

export class SqlRevocationRepository implements RevocationRepository {
  constructor(private readonly ctx: SqlContext) {}

  add(env: string, input: NewRevocation): Promise<Revocation> {
    if (!KINDS.includes(input.kind))
      throw new TypeError(`unknown revocation kind ${String(input.kind)}`);
    if (input.kind === 'before' && !/^\d+$/.test(input.value)) {
      throw new TypeError(
        "a 'before' revocation's value must be epoch milliseconds as decimal digits",
      );
    }
    return mutate(this.ctx, async (ex, record) => {
      const now = this.ctx.now();
      const issuedBefore =
        input.kind === 'jti' || input.kind === 'consumer_jti'
          ? null
          : (input.issuedBefore ?? (input.kind === 'before' ? Number(input.value) : now));
      const existingRow = await one(
        ex,
        `SELECT ${COLUMNS} FROM revocations WHERE environment = ? AND kind = ? AND value = ?`,
        [env, input.kind, input.value],
      );
      let rec: Revocation;
      if (existingRow) {
        const old = toRevocation(existingRow);
        rec = {
          ...old,
          issuedBefore:
            old.issuedBefore === null || issuedBefore === null
              ? issuedBefore
              : Math.max(old.issuedBefore, issuedBefore),
          expiresAt: laterExpiry(old.expiresAt, input.expiresAt ?? null),
        };
        await ex.run(
          'UPDATE revocations SET issued_before = ?, expires_at = ? WHERE environment = ? AND kind = ? AND value = ?',
          [rec.issuedBefore, rec.expiresAt, env, rec.kind, rec.value],
        );
      } else {
        rec = {
          environment: env,
          kind: input.kind,
          value: input.value,
          issuedBefore,
          expiresAt: input.expiresAt ?? null,
          createdAt: now,
        };
        await ex.run(`INSERT INTO revocations (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, [
          env,
          rec.kind,
          rec.value,
          rec.issuedBefore,
          rec.expiresAt,
          rec.createdAt,
        ]);
      }
      await record(env, 'revocations', `${rec.kind}:${rec.value}`, 'add');
      return rec;
    });
  }

  async list(
    env: string,
    opts: { now?: number; kind?: RevocationKind } = {},
  ): Promise<Revocation[]> {
    const params: SqlParam[] = [env, opts.now ?? this.ctx.now()];
    let byKind = '';
    if (opts.kind !== undefined) {
      byKind = ' AND kind = ?';
      params.push(opts.kind);
    }
    const sql = `SELECT ${COLUMNS} FROM revocations WHERE environment = ? AND (expires_at IS NULL OR expires_at > ?)${byKind} ORDER BY created_at, kind, value`;
    return (await this.ctx.ex.all(sql, params)).map(toRevocation);
  }

  async isRevoked(env: string, token: TokenIdentity): Promise<Revocation | null> {
    const alternatives = ["(kind = 'before' AND issued_before > ?)"];
    const params: SqlParam[] = [env, token.issuedAt];
    if (token.jti) {
      alternatives.push("(kind = 'jti' AND value = ?)");
      params.push(token.jti);
    }
    if (token.consumer) {
      alternatives.push("(kind = 'consumer' AND value = ? AND issued_before > ?)");
      params.push(token.consumer, token.issuedAt);
    }
    if (token.consumer && token.jti) {
      alternatives.push("(kind = 'consumer_jti' AND value = ?)");
      params.push(consumerJtiValue(token.consumer, token.jti));
    }
    const sql = `SELECT ${COLUMNS} FROM revocations WHERE environment = ? AND (${alternatives.join(' OR ')}) ORDER BY created_at LIMIT 1`;
    const row = await one(this.ctx.ex, sql, params);
    return row ? toRevocation(row) : null;
  }

  changesSince(env: string, seq: number): Promise<ChangeEvent[]> {
    return changesForTopic(this.ctx.ex, env, 'revocations', seq);
  }

  purgeExpired(env: string, now: number = this.ctx.now()): Promise<number> {
    return this.ctx.ex.run(
      'DELETE FROM revocations WHERE environment = ? AND expires_at IS NOT NULL AND expires_at <= ?',
      [env, now],
    );
  }
}
