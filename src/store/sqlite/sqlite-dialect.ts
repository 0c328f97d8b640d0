// What is specific to SQLite: error classification and its migrations (placeholders are already `?`).
import type { ClassifiedError, Dialect } from '../sql/driver.js';
import { sqliteMigrations } from '../migrations/sqlite/index.js';

const UNAVAILABLE: Record<string, string> = {
  SQLITE_BUSY: 'the database is locked by another process',
  SQLITE_LOCKED: 'the database is locked',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'an I/O error occurred',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_NOTADB: 'the file is not a database',
  SQLITE_PERM: 'permission denied',
};

/**
 * `UNIQUE constraint failed: consumers.environment, consumers.name` → `consumers:environment,name`
 * (the message names columns, never values).
 */
function uniqueKey(message: string): string | null {
  const m = /UNIQUE constraint failed: (.+)$/.exec(message);
  if (!m?.[1]) return null;
  const cols = m[1].split(',').map((c) => c.trim().split('.'));
  const table = cols[0]?.[0];
  if (!table || cols.some((c) => c.length !== 2)) return null;
  return `${table}:${cols.map((c) => c[1]).join(',')}`;
}

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  changeLock: null,
  migrations: sqliteMigrations,
  classify(err: unknown): ClassifiedError {
    const code = String((err as { code?: unknown }).code ?? '');
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
      return { kind: 'unique', constraint: uniqueKey(String((err as Error).message)) };
    }
    const base = code.split('_').slice(0, 2).join('_');
    const reason = UNAVAILABLE[code] ?? UNAVAILABLE[base];
    if (reason) return { kind: 'unavailable', reason };
    // A malformed statement or a failed CHECK is a Pipegate defect: report the code, not the SQL.
    return { kind: 'other', reason: `database error ${code || 'unknown'}` };
  },
};
