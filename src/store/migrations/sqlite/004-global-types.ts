// SQLite migration 004: globals remember whether their value is plain text or JSON (`globals set --json`).
import type { Migration } from '../../sql/driver.js';

export const sqlite004: Migration = {
  version: 4,
  name: 'global-types',
  sql: `ALTER TABLE globals ADD COLUMN value_type TEXT NOT NULL DEFAULT 'text';`,
};
