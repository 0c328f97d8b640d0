// What is specific to PostgreSQL: `$n` placeholders, error classification, advisory locks, migrations.
import type { ClassifiedError, Dialect } from '../sql/driver.js';
import { postgresMigrations } from '../migrations/postgres/index.js';

/** Advisory lock keys (arbitrary constants, "pipegate" in two int4 halves). */
export const MIGRATION_LOCK_KEY = 0x70697065;
export const CHANGE_LOCK_KEY = 0x67617465;

const placeholderCache = new Map<string, string>();

/** Rewrites `?` placeholders to `$1, $2, …`, leaving quoted literals alone. Cached per statement. */
export function toPgPlaceholders(sql: string): string {
  let out = placeholderCache.get(sql);
  if (out !== undefined) return out;
  let n = 0;
  let quoted = false;
  out = '';
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  if (placeholderCache.size < 2000) placeholderCache.set(sql, out);
  return out;
}

const UNAVAILABLE_SQLSTATE: Record<string, string> = {
  '57P01': 'the server is shutting down',
  '57P02': 'the server is restarting',
  '57P03': 'the server is not accepting connections yet',
  '53300': 'too many connections',
  '53100': 'the server disk is full',
  '3D000': 'the database does not exist',
  '28000': 'authentication failed',
  '28P01': 'authentication failed',
  '40001': 'a concurrent transaction conflicted; retry',
  '40P01': 'a concurrent transaction deadlocked; retry',
  '25006': 'the server is read-only',
  '57014': 'the statement timed out',
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'EPIPE',
]);

/** `Key (environment, name)=(…) already exists.` → `environment,name` (values dropped). */
function keyColumns(detail: unknown): string | null {
  const m = typeof detail === 'string' ? /^Key \(([^)]*)\)=/.exec(detail) : null;
  return m?.[1]
    ? m[1]
        .split(',')
        .map((c) => c.trim())
        .join(',')
    : null;
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  changeLock: `SELECT pg_advisory_xact_lock(${CHANGE_LOCK_KEY})`,
  migrations: postgresMigrations,
  classify(err: unknown): ClassifiedError {
    const e = err as { code?: unknown; table?: unknown; detail?: unknown; message?: unknown };
    const code = typeof e.code === 'string' ? e.code : '';
    if (code === '23505') {
      const cols = keyColumns(e.detail);
      return {
        kind: 'unique',
        constraint: typeof e.table === 'string' && cols ? `${e.table}:${cols}` : null,
      };
    }
    if (NETWORK_CODES.has(code)) return { kind: 'unavailable', reason: `cannot connect (${code})` };
    const known = UNAVAILABLE_SQLSTATE[code];
    if (known) return { kind: 'unavailable', reason: known };
    if (code.startsWith('08')) return { kind: 'unavailable', reason: 'the connection failed' };
    if (!code) return { kind: 'unavailable', reason: 'the connection failed or timed out' };
    return { kind: 'other', reason: `database error ${code}` };
  },
};
