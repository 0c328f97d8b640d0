// The async Store port: one repository per concept, every method scoped by environment, no SQL types.
import type { JsonObject } from '../core/json.js';
import type {
  Anomaly,
  AnomalyAlertKind,
  AnomalyCount,
  AnomalyObservation,
  AnomalyQuery,
  AnomalyStatus,
} from './anomaly-records.js';
import type {
  AuditEntry,
  AuditQuery,
  ExecutionBucket,
  NewAuditEntry,
  OverviewCounters,
  PipelineTotals,
  SeriesQuery,
  TokenSummaryQuery,
  TokenUsageTotals,
} from './console-records.js';
import type {
  AccountInput,
  AccountRecord,
  AccountSummary,
  AdminRecord,
  ApiKeyRecord,
  BasicCredential,
  ChangeEvent,
  ChangeTopic,
  Consumer,
  ConsumerPatch,
  DeploymentRecord,
  ExecutionRecord,
  GlobalRecord,
  GlobalValueType,
  GlobalSession,
  LogRecord,
  NewExecutionRecord,
  NewApiKey,
  NewBasicCredential,
  NewConsumer,
  NewDeployment,
  NewRevocation,
  NewSigningKey,
  NewTokenUsageEvent,
  Page,
  Revocation,
  RevocationKind,
  SigningKeyRecord,
  SigningKeyState,
  TimeRange,
  TokenIdentity,
  TokenUsageEvent,
} from './records.js';

export type * from './records.js';
export type * from './anomaly-records.js';
export type * from './console-records.js';

/*
 * Rules every implementation keeps (checked by test/store/store-contract.test.ts on SQLite and PostgreSQL):
 * - The first argument of every repository method is the environment; rows of other environments are
 *   invisible (admins and meta are the only global tables).
 * - Failures are PlatformErrors: ERR_STORE_UNAVAILABLE (503) when the database cannot be reached,
 *   ERR_STORE_CONFLICT (409) on a uniqueness violation (`details.entity` says which), other codes as
 *   documented per method. Messages never contain SQL, parameters or secrets.
 * - Lookups that find nothing resolve to `null` (or `false` for removals); they do not throw.
 * - Mutations of shared configuration (consumers, credentials, keys, deployments, revocations,
 *   accounts, globals) append a ChangeEvent in the same transaction.
 */

/** Consumers: soft-deleted, name unique among live consumers of an environment. */
export interface ConsumerRepository {
  /** ERR_STORE_CONFLICT when a live consumer of that name exists. */
  create(env: string, input: NewConsumer): Promise<Consumer>;
  /** A live consumer by id; deleted ones only with `includeDeleted`. */
  get(env: string, id: string, opts?: { includeDeleted?: boolean }): Promise<Consumer | null>;
  /** A live consumer by name. */
  getByName(env: string, name: string): Promise<Consumer | null>;
  /** Live consumers sorted by name (deleted ones too with `includeDeleted`). */
  list(env: string, opts?: { includeDeleted?: boolean }): Promise<Consumer[]>;
  /** Updates a live consumer; null when absent. ERR_STORE_CONFLICT on a name clash. */
  update(env: string, id: string, patch: ConsumerPatch): Promise<Consumer | null>;
  /**
   * Soft-deletes the consumer, revokes its API keys and removes its Basic credentials in one
   * transaction. False when there was no live consumer with that id.
   */
  delete(env: string, id: string): Promise<boolean>;
}

/** API keys, stored as keyed hashes only. */
export interface ApiKeyRepository {
  add(env: string, input: NewApiKey): Promise<ApiKeyRecord>;
  /**
   * The key record whose hash equals `keyHash` (an indexed lookup on an HMAC, so it reveals nothing
   * about the key), revoked ones included: check `revokedAt` (and the consumer) before accepting.
   */
  findByHash(env: string, keyHash: string): Promise<ApiKeyRecord | null>;
  get(env: string, id: string): Promise<ApiKeyRecord | null>;
  /** Oldest first, revoked ones included. */
  listForConsumer(env: string, consumerId: string): Promise<ApiKeyRecord[]>;
  /** Sets `revokedAt`; false when unknown or already revoked. */
  revoke(env: string, id: string): Promise<boolean>;
}

/** Basic Auth credentials. */
export interface BasicCredentialRepository {
  /** ERR_STORE_CONFLICT when the username exists in the environment. */
  add(env: string, input: NewBasicCredential): Promise<BasicCredential>;
  findByUsername(env: string, username: string): Promise<BasicCredential | null>;
  /** By credential id; callers must also invalidate the password verification cache. */
  remove(env: string, id: string): Promise<boolean>;
  /** All credentials of the environment, or of one consumer; sorted by username. */
  list(env: string, consumerId?: string): Promise<BasicCredential[]>;
}

/** Platform signing keys per realm and environment (SPEC §6.4). */
export interface SigningKeyRepository {
  /**
   * Stores a key in state `active`. ERR_STORE_CONFLICT if the realm already has an active key (use
   * `rotate`) or the kid exists.
   */
  create(env: string, input: NewSigningKey): Promise<SigningKeyRecord>;
  get(env: string, kid: string): Promise<SigningKeyRecord | null>;
  /** Keys of a realm, newest first, optionally filtered by state. */
  list(
    env: string,
    realm: string,
    opts?: { states?: SigningKeyState[] },
  ): Promise<SigningKeyRecord[]>;
  /** The active key of the realm, or null (first start: create one). */
  getActive(env: string, realm: string): Promise<SigningKeyRecord | null>;
  /**
   * Changes a key's state. Moving to `retiring` sets `retiringSince` (now) and `retireAfter` (from
   * opts). ERR_STORE_CONFLICT when making a key active while another is active. Null when unknown.
   */
  setState(
    env: string,
    kid: string,
    state: SigningKeyState,
    opts?: { retireAfter?: number | null },
  ): Promise<SigningKeyRecord | null>;
  /**
   * In one transaction: the active key of `input.realm` (if any) becomes `retiring` with
   * `retireAfter`, and `input` becomes the active key. Returns both.
   */
  rotate(
    env: string,
    input: NewSigningKey,
    opts: { retireAfter: number },
  ): Promise<{ active: SigningKeyRecord; retiring: SigningKeyRecord | null }>;
  /** Moves every retiring key whose `retireAfter` ≤ `now` to `retired`; returns the kids moved. */
  retireDue(env: string, now?: number): Promise<string[]>;
}

/** Deployments with history (SPEC §1 "Deployment"). */
export interface DeploymentRepository {
  /**
   * Makes this version the active one of (name, major), in one transaction: the previous active
   * deployment of that major (if any) is deactivated and becomes `previousId`. Returns the new record
   * and the one it replaced.
   */
  deploy(
    env: string,
    input: NewDeployment,
  ): Promise<{ deployment: DeploymentRecord; replaced: DeploymentRecord | null }>;
  /** Deactivates the active deployment of (name, major); returns it, or null if none was active. */
  undeploy(env: string, name: string, major: number): Promise<DeploymentRecord | null>;
  /**
   * Deactivates the active deployment of (name, major) and reactivates its `previousId`; returns the
   * now active record. ERR_STORE_NOTHING_TO_ROLLBACK when nothing is active or there is no previous.
   */
  rollback(env: string, name: string, major: number): Promise<DeploymentRecord>;
  get(env: string, id: string): Promise<DeploymentRecord | null>;
  getActive(env: string, name: string, major: number): Promise<DeploymentRecord | null>;
  /** Active deployments sorted by name, major. */
  listActive(env: string): Promise<DeploymentRecord[]>;
  /** Full history (optionally of one pipeline), newest first. */
  list(env: string, opts?: { name?: string }): Promise<DeploymentRecord[]>;
  /** Change-feed rows of topic `deployments` after `seq` (see ChangeFeed). */
  changesSince(env: string, seq: number): Promise<ChangeEvent[]>;
}

/** Filters of ExecutionRepository.query; results newest first. */
export interface ExecutionQuery extends TimeRange, Page {
  pipeline?: string;
  versionMajor?: number;
  versionMinor?: number;
  status?: string;
  /** `response` or `error`. */
  outcome?: string;
  consumer?: string;
  executionKey?: string;
  /** Case-insensitive substring of the request or response JSON. */
  search?: string;
  errorCode?: string;
  /** Keyset cursor: only executions after this one in newest-first order. */
  cursor?: { startedAt: number; executionKey: string };
}

/** Execution records (SPEC §7). */
export interface ExecutionRepository {
  /** ERR_STORE_CONFLICT for a duplicate execution key. */
  insert(env: string, record: Omit<ExecutionRecord, 'environment'>): Promise<void>;
  /**
   * Inserts many in one transaction (the monitoring writer's batch), with `lines` (their log lines)
   * in the same transaction.
   */
  insertBatch(
    env: string,
    records: NewExecutionRecord[],
    lines?: Omit<LogRecord, 'environment' | 'id'>[],
  ): Promise<void>;
  get(env: string, executionKey: string): Promise<ExecutionRecord | null>;
  /** Newest first: started_at DESC, execution_key DESC. */
  query(env: string, q?: ExecutionQuery): Promise<ExecutionRecord[]>;
  /** Deletes records started before `before` (at most `limit` when given); returns how many. */
  purge(env: string, before: number, opts?: { limit?: number }): Promise<number>;
}

export interface LogQuery extends TimeRange, Page {
  executionKey?: string;
  pipeline?: string;
  level?: string;
  /** Case-insensitive substring of the message. */
  search?: string;
  /** Lines with id < beforeId (the next older page). */
  beforeId?: number;
  /** Lines with id > afterId, read oldest first (follow). */
  afterId?: number;
}

/** Pipeline log lines. */
export interface LogRepository {
  insertBatch(env: string, lines: Omit<LogRecord, 'environment'>[]): Promise<void>;
  /** Lines oldest first within the page (so one execution reads top to bottom). */
  query(env: string, q?: LogQuery): Promise<LogRecord[]>;
  purge(env: string, before: number, opts?: { limit?: number }): Promise<number>;
}

export interface UsageQuery extends Page {
  jti?: string;
  consumer?: string;
  pipeline?: string;
  kind?: TokenUsageEvent['kind'];
  outcome?: TokenUsageEvent['outcome'];
  /** Events at or after this time (epoch ms). */
  since?: number;
  until?: number;
  /** Keyset cursor: only events after this one in newest-first order (occurred_at DESC, id DESC). */
  cursor?: { time: number; id: string };
}

/** Token usage events (SPEC §7). */
export interface TokenUsageRepository {
  /** One transaction for the batch; returns the stored events (ids filled in). */
  insertBatch(env: string, events: NewTokenUsageEvent[]): Promise<TokenUsageEvent[]>;
  /** Newest first. */
  query(env: string, q?: UsageQuery): Promise<TokenUsageEvent[]>;
  purge(env: string, before: number, opts?: { limit?: number }): Promise<number>;
}

/** Token revocations (SPEC §6.4). */
export interface RevocationRepository {
  /** Idempotent per (kind, value): a second add updates issuedBefore/expiresAt to the later values. */
  add(env: string, input: NewRevocation): Promise<Revocation>;
  /** Revocations still useful at `now` (expiresAt null or > now), oldest first. */
  list(env: string, opts?: { now?: number; kind?: RevocationKind }): Promise<Revocation[]>;
  /**
   * The revocation that applies to the token, or null: a `jti` match; a `consumer` match with
   * issuedAt < issuedBefore; a `before` row with issuedAt < issuedBefore. Gateways normally keep
   * `list()` in memory and refresh it from `changesSince`; this is the direct check.
   */
  isRevoked(env: string, token: TokenIdentity): Promise<Revocation | null>;
  changesSince(env: string, seq: number): Promise<ChangeEvent[]>;
  /** Deletes rows whose expiresAt ≤ now; returns how many. */
  purgeExpired(env: string, now?: number): Promise<number>;
}

/** Encrypted accounts; the store keeps the opaque envelope, security/ seals and opens it. */
export interface AccountRepository {
  /** Creates or replaces the account `label` (createdAt kept on replace). */
  put(env: string, input: AccountInput): Promise<AccountRecord>;
  get(env: string, label: string): Promise<AccountRecord | null>;
  /** Sorted by label, without the encrypted value. */
  list(env: string): Promise<AccountSummary[]>;
  remove(env: string, label: string): Promise<boolean>;
}

/** Globals: named non-secret values. */
export interface GlobalRepository {
  put(env: string, name: string, value: string, type?: GlobalValueType): Promise<GlobalRecord>;
  get(env: string, name: string): Promise<GlobalRecord | null>;
  /** Sorted by name. */
  list(env: string): Promise<GlobalRecord[]>;
  remove(env: string, name: string): Promise<boolean>;
}

/** Global session memory shared by executions (e.g. keyed by token or user). */
export interface GlobalSessionRepository {
  /** The session if present and not expired at `now`. */
  get(env: string, sessionKey: string, now?: number): Promise<GlobalSession | null>;
  put(env: string, sessionKey: string, data: JsonObject, expiresAt: number): Promise<GlobalSession>;
  delete(env: string, sessionKey: string): Promise<boolean>;
  /** Deletes sessions expired at `now` in every environment; returns how many. */
  purgeExpired(now?: number): Promise<number>;
}

/** Server administrators (global, not per environment). */
export interface AdminRepository {
  /** Creates or replaces the admin's password hash. */
  put(username: string, passwordHash: string): Promise<AdminRecord>;
  get(username: string): Promise<AdminRecord | null>;
  list(): Promise<AdminRecord[]>;
  remove(username: string): Promise<boolean>;
}

/** Global key-value settings (e.g. `master_key_check`). Values are non-secret strings. */
export interface MetaRepository {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  /** Stores `value` only if the key is absent; returns the value now stored (race-safe). */
  putIfAbsent(key: string, value: string): Promise<string>;
  remove(key: string): Promise<boolean>;
}

/** The change feed other nodes poll (docs/store.md "How nodes see changes"). */
export interface ChangeFeed {
  /** Events with seq > `seq`, oldest first, at most `limit` (default 1000). */
  since(
    seq: number,
    opts?: { environment?: string; topics?: ChangeTopic[]; limit?: number },
  ): Promise<ChangeEvent[]>;
  /** The highest seq so far (0 when empty): a new node starts polling from here after its full load. */
  latest(): Promise<number>;
  /** Deletes events older than `before` (epoch ms); returns how many. */
  purge(before: number): Promise<number>;
  /**
   * Calls `wake` soon after a change of `environment` is committed by any node or the CLI
   * (PostgreSQL LISTEN/NOTIFY), and once each time the listening connection is (re-)established.
   * Absent on SQLite: nodes and workers poll. Pollers read `since()` when woken; they keep polling
   * on their timer as the safety net.
   */
  subscribe?(environment: string, wake: () => void): ChangeSubscription;
}

/** A live change-feed subscription. */
export interface ChangeSubscription {
  close(): Promise<void>;
  /** Whether the notification connection is up. */
  readonly connected: boolean;
}

/** Anomalies and the window counters every node adds to (docs/anomalies.md). */
export interface AnomalyRepository {
  /** Adds to window counters (upsert, one transaction): events of all nodes land in the same rows. */
  addCounts(env: string, counts: AnomalyCount[]): Promise<void>;
  /** Sum per subject of `rule`'s counters with fromBucket ≤ bucket < toBucket; absent subjects are 0. */
  sumCounts(
    env: string,
    rule: string,
    subjects: string[],
    fromBucket: number,
    toBucket: number,
  ): Promise<Map<string, number>>;
  /** Records that token `jti` was used from `clientIp` at `seenAt` (upsert of the latest time). */
  touchTokenIps(
    env: string,
    seen: { jti: string; clientIp: string; seenAt: number }[],
  ): Promise<void>;
  /** Distinct client IPs per jti seen at or after `since`, oldest first. */
  tokenIps(env: string, jtis: string[], since: number): Promise<Map<string, string[]>>;
  /** Deletes counters and token IPs older than `before` in every environment; returns how many. */
  purgeWindows(before: number): Promise<number>;
  /**
   * Opens an anomaly for (rule, subject), or when a live (open or acknowledged) one exists updates it:
   * count += newEvents, lastSeen, client IPs and sample keys merged. At most one live anomaly per rule
   * and subject however many nodes report it at once (a partial unique index); `created` is true only
   * for the caller whose insert made it.
   */
  raise(env: string, o: AnomalyObservation): Promise<{ anomaly: Anomaly; created: boolean }>;
  get(env: string, id: string): Promise<Anomaly | null>;
  list(env: string, q?: AnomalyQuery): Promise<{ anomalies: Anomaly[]; nextCursor: string | null }>;
  /**
   * open → acknowledged, or open/acknowledged → resolved. Null when unknown; ERR_ANOMALY_STATE when
   * acknowledging a resolved anomaly. Resolving a resolved one changes nothing.
   */
  setStatus(
    env: string,
    id: string,
    status: Exclude<AnomalyStatus, 'open'>,
    by: string | null,
  ): Promise<Anomaly | null>;
  /** Records the automatic response taken. */
  setResponse(env: string, id: string, response: string): Promise<void>;
  /**
   * Claims up to `limit` anomalies changed at or after `since` whose opening or resolution has not
   * been alerted yet; each is claimed by exactly one caller across nodes.
   */
  claimAlerts(
    env: string,
    since: number,
    limit: number,
  ): Promise<{ anomaly: Anomaly; kind: AnomalyAlertKind }[]>;
  /** Deletes resolved anomalies last updated before `before`; returns how many (retention hook). */
  purge(env: string, before: number): Promise<number>;
}

/** The audit log of admin API and console actions (docs/console.md "Audit log"). */
export interface AuditRepository {
  append(env: string, entry: NewAuditEntry): Promise<AuditEntry>;
  /** Newest first (id DESC); `beforeId` pages on. */
  list(env: string, q?: AuditQuery): Promise<AuditEntry[]>;
  /** Deletes entries older than `before` (epoch ms) in every environment; returns how many. */
  purge(before: number): Promise<number>;
}

/**
 * The console's aggregations, computed in SQL over the covering indexes of migration 005 so that a
 * period of a million executions never leaves the database as rows (docs/console.md "Performance").
 */
export interface ConsoleStatsRepository {
  /** `dayStart`: epoch ms from which issued tokens count as today's. */
  counters(env: string, dayStart: number): Promise<OverviewCounters>;
  /** The `limit` pipeline majors with most executions in [from, to), most first. */
  topPipelines(env: string, from: number, to: number, limit: number): Promise<PipelineTotals[]>;
  /** Non-empty buckets of [from, to), oldest first; bucket t = from + k × bucketMs. */
  executionSeries(env: string, q: SeriesQuery): Promise<ExecutionBucket[]>;
  /** Token usage per consumer (every consumer seen) and per token (most recently seen first). */
  tokenSummary(
    env: string,
    q: TokenSummaryQuery,
  ): Promise<{ consumers: TokenUsageTotals[]; tokens: TokenUsageTotals[] }>;
}

/** Which SQL dialect backs a store. */
export type DialectName = 'sqlite' | 'postgres';

/** The storage port. Obtain one with `openStore(url)` (store/open-store.ts). */
/**
 * One-time ids (DPoP proof jtis) shared by every node and worker on the store: `remember` answers
 * true exactly once per id until it expires (atomic: one of two concurrent calls wins).
 */
export interface ReplayRepository {
  remember(env: string, id: string, expiresAt: number): Promise<boolean>;
  /** Deletes at most `limit` expired ids; returns how many. */
  purge(env: string, limit: number): Promise<number>;
}

export interface Store {
  readonly dialect: DialectName;
  readonly consumers: ConsumerRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly basicCredentials: BasicCredentialRepository;
  readonly signingKeys: SigningKeyRepository;
  readonly deployments: DeploymentRepository;
  readonly executions: ExecutionRepository;
  readonly logs: LogRepository;
  readonly usage: TokenUsageRepository;
  readonly anomalies: AnomalyRepository;
  readonly audit: AuditRepository;
  readonly consoleStats: ConsoleStatsRepository;
  readonly revocations: RevocationRepository;
  readonly accounts: AccountRepository;
  readonly globals: GlobalRepository;
  readonly globalSessions: GlobalSessionRepository;
  readonly admins: AdminRepository;
  readonly meta: MetaRepository;
  readonly replay: ReplayRepository;
  readonly changes: ChangeFeed;
  /** Applies pending numbered migrations (idempotent; safe when several nodes start at once). */
  migrate(): Promise<void>;
  /**
   * Runs `fn` in one transaction with a Store bound to it; commits when it resolves, rolls back when it
   * rejects. Nested calls on the bound store join the outer transaction. Keep it short: on SQLite it
   * holds the single writer lock.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Closes connections; further calls fail with ERR_STORE_CLOSED. */
  close(): Promise<void>;
}

/** Options of openStore. */
export interface OpenStoreOptions {
  /** Clock for createdAt/updatedAt etc. (tests); default Date.now. */
  now?: () => number;
  /** Run migrations on open (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
  /** PostgreSQL statement and query timeout (default 5000 ms). */
  queryTimeoutMs?: number;
  /** PostgreSQL connect timeout (default 2000 ms). */
  connectTimeoutMs?: number;
  /** PostgreSQL circuit breaker: consecutive failures that open it, and how long it stays open. */
  breaker?: { failures?: number; resetMs?: number };
}
