// The ordered SQLite migrations (same numbers as the PostgreSQL list).
import type { Migration } from '../../sql/driver.js';
import { sqlite001 } from './001-init.js';
import { sqlite002 } from './002-monitoring.js';
import { sqlite003 } from './003-owned-jti-revocations.js';
import { sqlite004 } from './004-global-types.js';
import { sqlite005 } from './005-console.js';
import { sqlite006 } from './006-lean-execution-indexes.js';
import { sqlite007 } from './007-change-notify.js';
import { sqlite008 } from './008-anomalies.js';
import { sqlite009 } from './009-replay-ids.js';

export const sqliteMigrations: readonly Migration[] = [
  sqlite001,
  sqlite002,
  sqlite003,
  sqlite004,
  sqlite005,
  sqlite006,
  sqlite007,
  sqlite008,
  sqlite009,
];
