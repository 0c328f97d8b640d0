// PostgreSQL migration 005: the audit log of admin and console actions, and covering indexes for the console's aggregations.
import type { Migration } from '../../sql/driver.js';

/*
 * executions_console_time serves the overview (series and top pipelines over a period) and
 * executions_console_pipeline the per-pipeline metrics: both hold every column those aggregations
 * read, so a period of a million executions is one index range scan with no table lookups
 * (docs/console.md "Performance").
 */
export const postgres005: Migration = {
  version: 5,
  name: 'console',
  sql: `
CREATE TABLE audit_log (
  id BIGSERIAL PRIMARY KEY,
  environment TEXT NOT NULL,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  client_ip TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure')),
  status INTEGER,
  details TEXT
);
CREATE INDEX audit_log_env ON audit_log (environment, id);
CREATE INDEX audit_log_time ON audit_log (at);

CREATE INDEX executions_console_time ON executions (environment, started_at, status, duration_ms, pipeline, version_major, version_minor);
CREATE INDEX executions_console_pipeline ON executions (environment, pipeline, started_at, status, duration_ms, request_bytes, response_bytes);
`,
};
