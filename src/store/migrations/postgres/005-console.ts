// PostgreSQL migration 005: the audit log of admin and console actions, and execution rollups for the console's charts.
import type { Migration } from '../../sql/driver.js';

/*
 * execution_rollups holds per pipeline version the counts, duration sums, byte sums and a duration
 * histogram (h0-h15: the classes of DURATION_BOUNDS_MS) per 5-minute and per 1-hour bucket, added to
 * by every executions.insertBatch. The console's periods of 6 hours and more read these few rows
 * instead of aggregating up to millions of executions (docs/console.md "Performance"). Existing
 * executions are rolled up here once.
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

-- Token usage per consumer and client IP in index order, without reading the table (the token summary).
CREATE INDEX token_usage_console ON token_usage (environment, consumer, client_ip, outcome, kind, occurred_at, count, last_at);

CREATE TABLE execution_rollups (
  environment TEXT NOT NULL,
  granularity INTEGER NOT NULL,
  bucket_start BIGINT NOT NULL,
  pipeline TEXT NOT NULL,
  version_major INTEGER NOT NULL,
  version_minor INTEGER NOT NULL,
  total BIGINT NOT NULL,
  failed BIGINT NOT NULL,
  sum_ms DOUBLE PRECISION NOT NULL,
  max_ms DOUBLE PRECISION NOT NULL,
  request_bytes BIGINT NOT NULL,
  response_bytes BIGINT NOT NULL,
  h0 BIGINT NOT NULL DEFAULT 0,
  h1 BIGINT NOT NULL DEFAULT 0,
  h2 BIGINT NOT NULL DEFAULT 0,
  h3 BIGINT NOT NULL DEFAULT 0,
  h4 BIGINT NOT NULL DEFAULT 0,
  h5 BIGINT NOT NULL DEFAULT 0,
  h6 BIGINT NOT NULL DEFAULT 0,
  h7 BIGINT NOT NULL DEFAULT 0,
  h8 BIGINT NOT NULL DEFAULT 0,
  h9 BIGINT NOT NULL DEFAULT 0,
  h10 BIGINT NOT NULL DEFAULT 0,
  h11 BIGINT NOT NULL DEFAULT 0,
  h12 BIGINT NOT NULL DEFAULT 0,
  h13 BIGINT NOT NULL DEFAULT 0,
  h14 BIGINT NOT NULL DEFAULT 0,
  h15 BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (environment, granularity, bucket_start, pipeline, version_major, version_minor)
);
CREATE INDEX execution_rollups_pipeline ON execution_rollups (environment, granularity, pipeline, bucket_start);
INSERT INTO execution_rollups (environment, granularity, bucket_start, pipeline, version_major, version_minor, total, failed, sum_ms, max_ms, request_bytes, response_bytes, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15)
SELECT environment, 300000, (started_at / 300000) * 300000, pipeline, version_major, version_minor, COUNT(*), SUM(CASE WHEN status = 'success' THEN 0 ELSE 1 END), SUM(duration_ms), MAX(duration_ms), SUM(COALESCE(request_bytes, 0)), SUM(COALESCE(response_bytes, 0)), SUM(CASE WHEN duration_ms < 1 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 1 AND duration_ms < 2 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 2 AND duration_ms < 5 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 5 AND duration_ms < 10 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 10 AND duration_ms < 20 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 20 AND duration_ms < 50 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 50 AND duration_ms < 100 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 100 AND duration_ms < 200 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 200 AND duration_ms < 500 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 500 AND duration_ms < 1000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 1000 AND duration_ms < 2000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 2000 AND duration_ms < 5000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 5000 AND duration_ms < 10000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 10000 AND duration_ms < 30000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 30000 AND duration_ms < 60000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 60000 THEN 1 ELSE 0 END)
FROM executions GROUP BY environment, (started_at / 300000) * 300000, pipeline, version_major, version_minor;
INSERT INTO execution_rollups (environment, granularity, bucket_start, pipeline, version_major, version_minor, total, failed, sum_ms, max_ms, request_bytes, response_bytes, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15)
SELECT environment, 3600000, (started_at / 3600000) * 3600000, pipeline, version_major, version_minor, COUNT(*), SUM(CASE WHEN status = 'success' THEN 0 ELSE 1 END), SUM(duration_ms), MAX(duration_ms), SUM(COALESCE(request_bytes, 0)), SUM(COALESCE(response_bytes, 0)), SUM(CASE WHEN duration_ms < 1 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 1 AND duration_ms < 2 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 2 AND duration_ms < 5 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 5 AND duration_ms < 10 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 10 AND duration_ms < 20 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 20 AND duration_ms < 50 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 50 AND duration_ms < 100 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 100 AND duration_ms < 200 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 200 AND duration_ms < 500 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 500 AND duration_ms < 1000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 1000 AND duration_ms < 2000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 2000 AND duration_ms < 5000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 5000 AND duration_ms < 10000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 10000 AND duration_ms < 30000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 30000 AND duration_ms < 60000 THEN 1 ELSE 0 END), SUM(CASE WHEN duration_ms >= 60000 THEN 1 ELSE 0 END)
FROM executions GROUP BY environment, (started_at / 3600000) * 3600000, pipeline, version_major, version_minor;
`,
};
