// PostgreSQL migration 009: one-time ids (DPoP proof jtis) remembered until they expire, shared by every
// node and worker of the store (docs/oauth.md "Replay across nodes").
import type { Migration } from '../../sql/driver.js';

export const postgres009: Migration = {
  version: 9,
  name: 'replay-ids',
  sql: `CREATE TABLE replay_ids (
  environment TEXT NOT NULL,
  id TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (environment, id)
);
CREATE INDEX replay_ids_expiry ON replay_ids (environment, expires_at);
`,
};
