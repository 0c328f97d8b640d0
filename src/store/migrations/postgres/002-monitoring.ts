// PostgreSQL migration 002: execution record fields, log versions, aggregated usage rows, listing indexes.
import type { Migration } from '../../sql/driver.js';

/*
 * Listing indexes end with execution_key so that "newest first" (started_at DESC, execution_key DESC)
 * and the keyset cursor read the index in order with no sort (docs/monitoring.md "Indexes").
 */
export const postgres002: Migration = {
  version: 2,
  name: 'monitoring',
  sql: `
ALTER TABLE executions ADD COLUMN realm TEXT;
ALTER TABLE executions ADD COLUMN outcome TEXT;
ALTER TABLE executions ADD COLUMN http_status INTEGER;
ALTER TABLE executions ADD COLUMN method TEXT;
ALTER TABLE executions ADD COLUMN route TEXT;
ALTER TABLE executions ADD COLUMN consumer TEXT;
ALTER TABLE executions ADD COLUMN jti TEXT;
ALTER TABLE executions ADD COLUMN client_ip TEXT;
ALTER TABLE executions ADD COLUMN ended_at BIGINT;
ALTER TABLE executions ADD COLUMN request_bytes INTEGER;
ALTER TABLE executions ADD COLUMN response_bytes INTEGER;
DROP INDEX executions_time;
DROP INDEX executions_pipeline;
DROP INDEX executions_status;
CREATE INDEX executions_time ON executions (environment, started_at, execution_key);
CREATE INDEX executions_pipeline ON executions (environment, pipeline, started_at, execution_key);
CREATE INDEX executions_outcome ON executions (environment, outcome, started_at, execution_key);
CREATE INDEX executions_consumer ON executions (environment, consumer, started_at, execution_key);

ALTER TABLE logs ADD COLUMN realm TEXT;
ALTER TABLE logs ADD COLUMN version_major INTEGER;
ALTER TABLE logs ADD COLUMN version_minor INTEGER;
CREATE INDEX logs_pipeline ON logs (environment, pipeline, id);

ALTER TABLE token_usage ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE token_usage ADD COLUMN last_at BIGINT;
`,
};
