// The Store implementation shared by every dialect: repositories over one executor (connection or transaction).
import type {
  AccountRepository,
  AdminRepository,
  AnomalyRepository,
  ApiKeyRepository,
  AuditRepository,
  BasicCredentialRepository,
  ChangeFeed,
  ConsoleStatsRepository,
  ConsumerRepository,
  DeploymentRepository,
  DialectName,
  ExecutionRepository,
  GlobalRepository,
  GlobalSessionRepository,
  LogRepository,
  MetaRepository,
  ReplayRepository,
  RevocationRepository,
  SigningKeyRepository,
  Store,
  TokenUsageRepository,
} from '../store.js';
import { SqlAnomalyRepository } from './anomalies-sql.js';
import { SqlChangeFeed } from './changes-sql.js';
import { SqlAuditRepository, SqlConsoleStatsRepository } from './console-sql.js';
import { SqlConsumerRepository } from './consumers-sql.js';
import { SqlApiKeyRepository, SqlBasicCredentialRepository } from './credentials-sql.js';
import { SqlDeploymentRepository } from './deployments-sql.js';
import type { SqlDriver, SqlExecutor } from './driver.js';
import { migrate } from './migrate.js';
import {
  SqlExecutionRepository,
  SqlLogRepository,
  SqlTokenUsageRepository,
} from './monitoring-sql.js';
import { SqlRevocationRepository } from './revocations-sql.js';
import {
  SqlAccountRepository,
  SqlAdminRepository,
  SqlGlobalRepository,
  SqlGlobalSessionRepository,
  SqlMetaRepository,
} from './settings-sql.js';
import { SqlReplayRepository } from './replay-sql.js';
import { SqlSigningKeyRepository } from './signing-keys-sql.js';
import type { SqlContext } from './sql-context.js';

/** A Store over a driver; `transaction` hands out a SqlStore bound to the transaction's executor. */
export class SqlStore implements Store {
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
  readonly #driver: SqlDriver;
  readonly #ex: SqlExecutor;
  readonly #now: () => number;

  constructor(driver: SqlDriver, now: () => number = Date.now, ex: SqlExecutor = driver) {
    this.#driver = driver;
    this.#ex = ex;
    this.#now = now;
    this.dialect = driver.dialect.name;
    const ctx: SqlContext = { ex, dialect: driver.dialect, now };
    this.consumers = new SqlConsumerRepository(ctx);
    this.apiKeys = new SqlApiKeyRepository(ctx);
    this.basicCredentials = new SqlBasicCredentialRepository(ctx);
    this.signingKeys = new SqlSigningKeyRepository(ctx);
    this.deployments = new SqlDeploymentRepository(ctx);
    this.executions = new SqlExecutionRepository(ctx);
    this.logs = new SqlLogRepository(ctx);
    this.usage = new SqlTokenUsageRepository(ctx);
    this.anomalies = new SqlAnomalyRepository(ctx);
    this.audit = new SqlAuditRepository(ctx);
    this.consoleStats = new SqlConsoleStatsRepository(ctx);
    this.revocations = new SqlRevocationRepository(ctx);
    this.accounts = new SqlAccountRepository(ctx);
    this.globals = new SqlGlobalRepository(ctx);
    this.globalSessions = new SqlGlobalSessionRepository(ctx);
    this.admins = new SqlAdminRepository(ctx);
    this.meta = new SqlMetaRepository(ctx);
    this.replay = new SqlReplayRepository(ctx);
    this.changes = new SqlChangeFeed(ctx, ex === driver ? driver : undefined);
  }

  async migrate(): Promise<void> {
    await migrate(this.#driver, this.#now);
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.#ex.inTransaction) return fn(this);
    return this.#ex.transaction((ex) => fn(new SqlStore(this.#driver, this.#now, ex)));
  }

  /** Closes the driver (a transaction-bound store cannot close it). */
  async close(): Promise<void> {
    if (this.#ex.inTransaction) throw new TypeError('close() called on a transaction-bound store');
    await this.#driver.close();
  }
}
