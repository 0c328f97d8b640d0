// PostgreSQL migration 001: the initial schema (times are epoch ms BIGINTs, JSON is json, booleans BOOLEAN).
import type { Migration } from '../../sql/driver.js';

export const postgres001: Migration = {
  version: 1,
  name: 'init',
  sql: `
CREATE TABLE consumers (
  id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  name TEXT NOT NULL,
  enabled BOOLEAN NOT NULL,
  pipelines JSON NOT NULL,
  scopes JSON,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT
);
CREATE UNIQUE INDEX consumers_live_name ON consumers (environment, name) WHERE deleted_at IS NULL;

CREATE TABLE api_keys (
  environment TEXT NOT NULL,
  id TEXT NOT NULL,
  consumer_id TEXT NOT NULL REFERENCES consumers (id),
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT,
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
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX basic_credentials_username ON basic_credentials (environment, username);
CREATE INDEX basic_credentials_consumer ON basic_credentials (environment, consumer_id);

CREATE TABLE signing_keys (
  environment TEXT NOT NULL,
  kid TEXT NOT NULL,
  realm TEXT NOT NULL,
  alg TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('active', 'retiring', 'retired')),
  public_jwk JSON,
  private_key_encrypted TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  retiring_since BIGINT,
  retire_after BIGINT,
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
  deployed_at BIGINT NOT NULL,
  active BOOLEAN NOT NULL,
  previous_id TEXT
);
CREATE UNIQUE INDEX deployments_one_active ON deployments (environment, name, major) WHERE active;
CREATE INDEX deployments_history ON deployments (environment, name, major, deployed_at);

CREATE TABLE executions (
  environment TEXT NOT NULL,
  execution_key TEXT NOT NULL,
  pipeline TEXT NOT NULL,
  version_major INTEGER NOT NULL,
  version_minor INTEGER NOT NULL,
  status TEXT NOT NULL,
  error_code TEXT,
  started_at BIGINT NOT NULL,
  duration_ms DOUBLE PRECISION NOT NULL,
  request JSON,
  response JSON,
  PRIMARY KEY (environment, execution_key)
);
CREATE INDEX executions_time ON executions (environment, started_at);
CREATE INDEX executions_pipeline ON executions (environment, pipeline, started_at);
CREATE INDEX executions_status ON executions (environment, status, started_at);

CREATE TABLE logs (
  id BIGSERIAL PRIMARY KEY,
  environment TEXT NOT NULL,
  execution_key TEXT NOT NULL,
  pipeline TEXT NOT NULL,
  level TEXT NOT NULL,
  message TEXT NOT NULL,
  logged_at BIGINT NOT NULL,
  step TEXT
);
CREATE INDEX logs_execution ON logs (environment, execution_key, id);
CREATE INDEX logs_time ON logs (environment, logged_at);

CREATE TABLE token_usage (
  id TEXT PRIMARY KEY,
  environment TEXT NOT NULL,
  occurred_at BIGINT NOT NULL,
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
  latency_ms DOUBLE PRECISION,
  client_ip TEXT,
  user_agent TEXT,
  execution_key TEXT,
  scopes JSON,
  exp BIGINT
);
CREATE INDEX token_usage_time ON token_usage (environment, occurred_at);
CREATE INDEX token_usage_jti ON token_usage (environment, jti, occurred_at);
CREATE INDEX token_usage_consumer ON token_usage (environment, consumer, occurred_at);
CREATE INDEX token_usage_pipeline ON token_usage (environment, pipeline, occurred_at);

CREATE TABLE revocations (
  environment TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('jti', 'consumer', 'before')),
  value TEXT NOT NULL,
  issued_before BIGINT,
  expires_at BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (environment, kind, value)
);

CREATE TABLE accounts (
  environment TEXT NOT NULL,
  label TEXT NOT NULL,
  type TEXT NOT NULL,
  description TEXT,
  encrypted TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (environment, label)
);

CREATE TABLE globals (
  environment TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (environment, name)
);

CREATE TABLE global_sessions (
  environment TEXT NOT NULL,
  session_key TEXT NOT NULL,
  data JSON NOT NULL,
  expires_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (environment, session_key)
);
CREATE INDEX global_sessions_expiry ON global_sessions (expires_at);

CREATE TABLE admins (
  username TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE changes (
  seq BIGSERIAL PRIMARY KEY,
  environment TEXT NOT NULL,
  topic TEXT NOT NULL,
  ref TEXT NOT NULL,
  action TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX changes_time ON changes (at);
`,
};
