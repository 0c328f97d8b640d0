// The ordered PostgreSQL migrations (same numbers as the SQLite list).
import type { Migration } from '../../sql/driver.js';
import { postgres001 } from './001-init.js';
import { postgres002 } from './002-monitoring.js';
import { postgres003 } from './003-owned-jti-revocations.js';
import { postgres004 } from './004-global-types.js';
import { postgres005 } from './005-console.js';
import { postgres006 } from './006-lean-execution-indexes.js';
import { postgres007 } from './007-change-notify.js';
import { postgres008 } from './008-anomalies.js';
import { postgres009 } from './009-replay-ids.js';

export const postgresMigrations: readonly Migration[] = [
  postgres001,
  postgres002,
  postgres003,
  postgres004,
  postgres005,
  postgres006,
  postgres007,
  postgres008,
  postgres009,
];
