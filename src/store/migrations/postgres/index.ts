// The ordered PostgreSQL migrations (same numbers as the SQLite list).
import type { Migration } from '../../sql/driver.js';
import { postgres001 } from './001-init.js';
import { postgres004 } from './004-global-types.js';

export const postgresMigrations: readonly Migration[] = [postgres001, postgres004];
