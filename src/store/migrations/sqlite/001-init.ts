// SQLite migration 001: the initial schema (times are epoch ms INTEGERs, JSON is TEXT, booleans 0/1).
import type { Migration } from '../../sql/driver.js';

export const sqlite001: Migration = {
  version: 1,
  name: 'init',
  sql: `
CREATE TABLE consumers (
  id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  pipelines TEXT NOT NULL,
  scopes TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE UNIQUE INDEX consumers_live_name ON consumers (environment, name) WHERE deleted_at IS NULL;

CREATE TABLE api_keys (
  environment TEXT NOT NULL,
  id TEXT NOT NULL,
  consumer_id TEXT NOT NULL REFERENCES consumers (id),
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER,
  PRIMARY KEY (environment, id)
);
CREATE UNIQUE INDEX api_keys_hash ON api_keys (environment, key_hash);
CREATE INDEX api_keys_consumer ON api_keys (environment, consumer_id);

CREATE TABLE basic_credentials (
  id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  consumer_id TEXT NOT NULL REFERENCES consumers (id),
  username TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX basic_credentials_username ON basic_credentials (environment, username);
CREATE INDEX basic_credentials_consumer ON basic_credentials (environment, consumer_id);

CREATE TABLE signing_keys (
  environment TEXT NOT NULL,
  kid TEXT NOT NULL,
  realm TEXT NOT NULL,
  alg TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'retiring', 'retired')),
  public_jwk TEXT,
  private_key_encrypted TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retiring_since INTEGER,
  retire_after INTEGER,
  PRIMARY KEY (environment, kid)
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (environment, realm) WHERE state = 'active';

CREATE TABLE deployments (
  id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  name TEXT NOT NULL,
  major INTEGER NOT NULL,
  minor INTEGER NOT NULL,
  definition TEXT NOT NULL,
  format TEXT NOT NULL,
  deployed_at INTEGER NOT NULL,
  active INTEGER NOT NULL,
  previous_id TEXT
);
CREATE UNIQUE INDEX deployments_one_active ON deployments (environment, name, major) WHERE active = 1;
CREATE INDEX deployments_history ON deployments (environment, name, major, deployed_at);

CREATE TABLE executions (
  environment TEXT NOT NULL,
  execution_key TEXT NOT NULL,
  pipeline TEXT NOT NULL,
  version_major INTEGER NOT NULL,
  version_minor INTEGER NOT NULL,
  status TEXT NOT NULL,
  error_code TEXT,
  started_at INTEGER NOT NULL,
  duration_ms REAL NOT NULL,
  request TEXT,
  response TEXT,
  PRIMARY KEY (environment, execution_key)
);
CREATE INDEX executions_time ON executions (environment, started_at);
CREATE INDEX executions_pipeline ON executions (environment, pipeline, started_at);
CREATE INDEX executions_status ON executions (environment, status, started_at);

CREATE TABLE logs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  environment TEXT NOT NULL,
  execution_key TEXT NOT NULL,
  pipeline TEXT NOT NULL,
  level TEXT NOT NULL,
  message TEXT NOT NULL,
  logged_at INTEGER NOT NULL,
  step TEXT
);
CREATE INDEX logs_execution ON logs (environment, execution_key, id);
CREATE INDEX logs_time ON logs (environment, logged_at);

CREATE TABLE token_usage (
  id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  occurred_at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  pipeline TEXT,
  route TEXT,
  consumer TEXT,
  credential_kind TEXT,
  credential_id TEXT,
  jti TEXT,
  outcome TEXT NOT NULL,
  reason TEXT,
  status INTEGER,
  latency_ms REAL,
  client_ip TEXT,
  user_agent TEXT,
  execution_key TEXT,
  scopes TEXT,
  exp INTEGER
);
CREATE INDEX token_usage_time ON token_usage (environment, occurred_at);
CREATE INDEX token_usage_jti ON token_usage (environment, jti, occurred_at);
CREATE INDEX token_usage_consumer ON token_usage (environment, consumer, occurred_at);
CREATE INDEX token_usage_pipeline ON token_usage (environment, pipeline, occurred_at);

CREATE TABLE revocations (
  environment TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('jti', 'consumer', 'before')),
  value TEXT NOT NULL,
  issued_before INTEGER,
  expires_at INTEGER,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (environment, kind, value)
);

CREATE TABLE accounts (
  environment TEXT NOT NULL,
  label TEXT NOT NULL,
  type TEXT NOT NULL,
  description TEXT,
  encrypted TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (environment, label)
);

CREATE TABLE globals (
  environment TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (environment, name)
);

CREATE TABLE global_sessions (
  environment TEXT NOT NULL,
  session_key TEXT NOT NULL,
  data TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (environment, session_key)
);
CREATE INDEX global_sessions_expiry ON global_sessions (expires_at);

CREATE TABLE admins (
  username TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE changes (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  environment TEXT NOT NULL,
  topic TEXT NOT NULL,
  ref TEXT NOT NULL,
  action TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX changes_time ON changes (at);
`,
};
