// The ordered SQLite migrations (same numbers as the PostgreSQL list).
import type { Migration } from '../../sql/driver.js';
import { sqlite001 } from './001-init.js';
import { sqlite004 } from './004-global-types.js';

export const sqliteMigrations: readonly Migration[] = [sqlite001, sqlite004];
