// SQLite migration 006: fewer execution indexes (recording costs less per request), one that covers aggregation.
import type { Migration } from '../../sql/driver.js';

/*
 * Every index is one more B-tree written per execution (bench/gateway-monitoring.md). The outcome and
 * consumer listing indexes go: `--status error` reads a partial index of the failed executions only,
 * `--consumer` walks the time index. The time index also carries pipeline, outcome, status and
 * duration, so per-pipeline/time aggregates over a window read the index alone (docs/monitoring.md
 * "Storage layout"). Execution keys are time-ordered UUIDs from now on, so the primary key index,
 * like the time and pipeline indexes, is appended to rather than written at random pages.
 */
export const sqlite006: Migration = {
  version: 6,
  name: 'lean-execution-indexes',
  sql: `
DROP INDEX executions_outcome;
DROP INDEX executions_consumer;
DROP INDEX executions_time;
CREATE INDEX executions_time ON executions (environment, started_at, execution_key, pipeline, outcome, http_status, duration_ms);
CREATE INDEX executions_errors ON executions (environment, started_at, execution_key) WHERE outcome = 'error';
`,
};
