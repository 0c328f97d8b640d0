// SQLite migration 003: revocation kind `consumer_jti` (a jti revoked only for one consumer's token).
import type { Migration } from '../../sql/driver.js';

/** SQLite cannot alter a CHECK constraint: the table is rebuilt with the wider kind list. */
export const sqlite003: Migration = {
  version: 3,
  name: 'owned-jti-revocations',
  sql: `
CREATE TABLE revocations_003 (
  environment TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('jti', 'consumer', 'before', 'consumer_jti')),
  value TEXT NOT NULL,
  issued_before INTEGER,
  expires_at INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (environment, kind, value)
);
INSERT INTO revocations_003 (environment, kind, value, issued_before, expires_at, created_at)
  SELECT environment, kind, value, issued_before, expires_at, created_at FROM revocations;
DROP TABLE revocations;
ALTER TABLE revocations_003 RENAME TO revocations;
`,
};
