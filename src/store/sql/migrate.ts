// Applies the dialect's numbered migrations once, in one locked transaction, recording each version.
import { PlatformError, isPlatformError } from '../../errors/index.js';
import type { SqlDriver } from './driver.js';

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at BIGINT NOT NULL
)`;

/**
 * Brings the schema up to date. Runs in one transaction under a migration lock (PostgreSQL advisory
 * lock; SQLite's write lock), so nodes starting together migrate once and a failed migration leaves
 * the previous version. A database migrated by a newer Pipegate is refused (ERR_STORE_SCHEMA_TOO_NEW).
 */
export async function migrate(driver: SqlDriver, now: () => number = Date.now): Promise<number[]> {
  const migrations = [...driver.dialect.migrations].sort((a, b) => a.version - b.version);
  const supported = migrations.at(-1)?.version ?? 0;
  return driver.transaction(async (tx) => {
    await driver.migrationLock(tx);
    await tx.exec(CREATE_TABLE);
    const applied = new Set(
      (await tx.all('SELECT version FROM schema_migrations')).map((r) => Number(r['version'])),
    );
    const newest = Math.max(0, ...applied);
    if (newest > supported)
      throw new PlatformError('ERR_STORE_SCHEMA_TOO_NEW', { found: newest, supported });
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      try {
        await tx.exec(m.sql);
        await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
          m.version,
          m.name,
          now(),
        ]);
      } catch (err) {
        if (isPlatformError(err) && err.code !== 'ERR_STORE_UNAVAILABLE') throw err;
        const reason = isPlatformError(err)
          ? String(err.details['reason'] ?? 'database error')
          : 'database error';
        throw new PlatformError(
          'ERR_STORE_MIGRATION',
          { version: m.version, reason },
          { cause: err },
        );
      }
      done.push(m.version);
    }
    return done;
  });
}
