// PostgreSQL migration 003: revocation kind `consumer_jti` (a jti revoked only for one consumer's token).
import type { Migration } from '../../sql/driver.js';

export const postgres003: Migration = {
  version: 3,
  name: 'owned-jti-revocations',
  sql: `
ALTER TABLE revocations DROP CONSTRAINT IF EXISTS revocations_kind_check;
ALTER TABLE revocations ADD CONSTRAINT revocations_kind_check
  CHECK (kind IN ('jti', 'consumer', 'before', 'consumer_jti'));
`,
};
