// Opens a Store from a URL: `sqlite:PATH`, a plain file path, or `postgres://…`; migrates by default.
import { join } from 'node:path';
import { PlatformError } from '../errors/index.js';
import { openPostgresDriver } from './postgres/postgres-driver.js';
import { SqlStore } from './sql/sql-store.js';
import type { SqlDriver } from './sql/driver.js';
import { openSqliteDriver } from './sqlite/sqlite-driver.js';
import type { OpenStoreOptions, Store } from './store.js';

/** The embedded default data directory (relative to the working directory). */
export const DEFAULT_DATA_DIR = '.pipegate';
/** The SQLite file name inside the data directory. */
export const DEFAULT_DB_FILE = 'pipegate.db';

/** `sqlite:<dataDir>/pipegate.db`, the embedded default (SPEC §8). */
export function defaultStoreUrl(dataDir: string = DEFAULT_DATA_DIR): string {
  return `sqlite:${join(dataDir, DEFAULT_DB_FILE)}`;
}

/** What a store URL designates. */
export type ParsedStoreUrl =
  { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/**
 * Parses a store URL: `sqlite:PATH` (`sqlite:///abs/path` and `sqlite::memory:` too), `postgres://` or
 * `postgresql://`, or a plain file path (SQLite). ERR_STORE_URL otherwise.
 */
export function parseStoreUrl(url: string): ParsedStoreUrl {
  const text = url.trim();
  if (text === '') throw new PlatformError('ERR_STORE_URL', { reason: 'it is empty' });
  if (/^postgres(ql)?:\/\//i.test(text)) {
    try {
      new URL(text);
    } catch {
      throw new PlatformError('ERR_STORE_URL', { reason: 'the PostgreSQL URL does not parse' });
    }
    return { dialect: 'postgres', url: text };
  }
  if (/^sqlite:/i.test(text)) {
    let path = text.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '')
      throw new PlatformError('ERR_STORE_URL', { reason: 'sqlite: needs a file path' });
    return { dialect: 'sqlite', path };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme)
    throw new PlatformError('ERR_STORE_URL', {
      reason: `unsupported scheme "${scheme[1]}" (use sqlite: or postgres://)`,
    });
  return { dialect: 'sqlite', path: text };
}

/** The URL with any password replaced by `***`, for logs and messages. */
export function redactStoreUrl(url: string): string {
  try {
    const parsed = parseStoreUrl(url);
    if (parsed.dialect === 'sqlite') return `sqlite:${parsed.path}`;
    const u = new URL(parsed.url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid store URL)';
  }
}

/** Opens the store the URL names and (unless `migrate: false`) brings its schema up to date. */
export async function openStore(url: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const parsed = parseStoreUrl(url);
  const driver: SqlDriver =
    parsed.dialect === 'sqlite'
      ? openSqliteDriver(parsed.path)
      : openPostgresDriver(parsed.url, {
          poolSize: opts.poolSize,
          queryTimeoutMs: opts.queryTimeoutMs,
          connectTimeoutMs: opts.connectTimeoutMs,
          breaker: opts.breaker,
        });
  const store = new SqlStore(driver, opts.now ?? Date.now);
  if (opts.migrate !== false) {
    try {
      await store.migrate();
    } catch (err) {
      await driver.close().catch(() => {});
      throw err;
    }
  }
  return store;
}
