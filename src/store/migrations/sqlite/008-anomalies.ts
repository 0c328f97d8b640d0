// SQLite migration 008: anomalies, and the shared window counters anomaly detection counts in (docs/anomalies.md).
import type { Migration } from '../../sql/driver.js';

export const sqlite008: Migration = {
  version: 8,
  name: 'anomalies',
  sql: `
CREATE TABLE anomalies (
  id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  rule TEXT NOT NULL,
  subject TEXT NOT NULL,
  severity TEXT NOT NULL,
  realm TEXT NOT NULL,
  consumer TEXT,
  jti TEXT,
  client_ips TEXT NOT NULL,
  sample_execution_keys TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  response TEXT,
  acknowledged_at INTEGER,
  acknowledged_by TEXT,
  resolved_at INTEGER,
  resolved_by TEXT,
  alerted TEXT NOT NULL DEFAULT '',
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX anomalies_live_subject ON anomalies (environment, rule, subject) WHERE status <> 'resolved';
CREATE INDEX anomalies_first_seen ON anomalies (environment, first_seen);
CREATE INDEX anomalies_alerted ON anomalies (environment, alerted, updated_at);

CREATE TABLE anomaly_counts (
  environment TEXT NOT NULL,
  rule TEXT NOT NULL,
  subject TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  event_count INTEGER NOT NULL,
  PRIMARY KEY (environment, rule, subject, bucket)
);
CREATE INDEX anomaly_counts_bucket ON anomaly_counts (bucket);

CREATE TABLE anomaly_token_ips (
  environment TEXT NOT NULL,
  jti TEXT NOT NULL,
  client_ip TEXT NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (environment, jti, client_ip)
);
CREATE INDEX anomaly_token_ips_seen ON anomaly_token_ips (last_seen);
`,
};
