// db: runs a SQL statement on PostgreSQL or MySQL/MariaDB with named bind parameters; output { rows, rowCount }.
import type { AccountResolver } from '../../core/account-types.js';
import { defineConnector } from '../../core/connector.js';
import { isJsonObject } from '../../core/json.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';
import type { DatabasePools } from './database-pools.js';
import { parameterNames } from './named-params.js';

declare module '../../core/step-context.js' {
  interface HostServices {
    /** Pooled database connections per account (the CLI and the gateway create one per process). */
    databases?: DatabasePools;
    accounts?: AccountResolver;
  }
}

/** Parameters after the engine's check: `params` an object, `batchParams` a list of objects. */
interface DbParams {
  account: string;
  operation: 'query' | 'execute' | 'batch';
  statement: string;
  params?: JsonObject;
  batchParams?: JsonObject[];
  timeoutMs: number;
  maxRows: number;
}

export const dbConnector = defineConnector<DbParams>({
  type: 'db',
  version: 1,
  title: 'Database (PostgreSQL, MySQL/MariaDB)',
  category: 'structured-data',
  summary:
    'Runs one SQL statement on a PostgreSQL or MySQL/MariaDB database given by a `database` account, with named bind parameters (`WHERE id = :id` and `params: { id: "{{ message.id }}" }`): values are always bound by the driver, never written into the SQL text. Outputs `{ rows, rowCount }`. Connections are pooled per account and shared by executions; every statement has a server-side timeout; queries are capped at `maxRows` rows.',
  failOnErrorDefault: false,
  parameters: {
    account: { schema: { type: 'string', minLength: 1 }, account: true, required: true, description: 'A `database` account (driver, host, port, database, username, password, ssl, maxConnections).' },
    operation: {
      schema: { enum: ['query', 'execute', 'batch'] },
      default: 'query',
      description: '`query`: rows of a SELECT (rowCount = rows). `execute`: INSERT/UPDATE/DELETE/DDL (rowCount = affected rows; rows of a PostgreSQL RETURNING). `batch`: the statement once per item of `batchParams`, in one transaction (all or nothing; rowCount = total affected).',
    },
    statement: { schema: { type: 'string', minLength: 1 }, required: true, description: 'SQL with `:name` parameters (not inside quotes or comments; `::type` casts are left alone). Literal: values come through `params`, never through the text.' },
    params: { schema: { type: 'object' }, expression: 'render', description: 'Values of the named parameters (each may be an expression). Objects and arrays are bound as JSON text.' },
    batchParams: { schema: { type: 'array', items: { type: 'object' } }, expression: 'render', description: 'batch: a list of parameter objects (usually an expression such as `{{ message.items }}`).' },
    timeoutMs: { schema: { type: 'integer', minimum: 1, maximum: 900_000 }, default: 30_000, description: 'Server-side statement timeout (PostgreSQL statement_timeout; MariaDB max_statement_time; MySQL max_execution_time, SELECT only).' },
    maxRows: { schema: { type: 'integer', minimum: 1, maximum: 1_000_000 }, default: 1000, description: 'A query returning more rows fails with ERR_DB_TOO_MANY_ROWS (add a LIMIT or raise the cap).' },
  },
  prepare(params, ctx) {
    if (typeof params.account === 'string') ctx.useAccount?.(params.account);
    // Missing names are found at load time when `params` is written as an object.
    if (typeof params.statement === 'string' && isJsonObject(params.params ?? null) && params.operation !== 'batch') {
      for (const name of parameterNames(params.statement)) {
        if (!Object.prototype.hasOwnProperty.call(params.params, name)) ctx.report(new PlatformError('ERR_DB_PARAM_MISSING', { name }), '/params');
      }
    }
    return undefined;
  },
  async run(ctx, { params }) {
    const { databases, accounts } = ctx.host;
    if (!databases || !accounts) throw new PlatformError('ERR_DB_UNAVAILABLE');
    const account = await accounts.resolve(params.account);
    if (account.type !== 'database') throw new PlatformError('ERR_DB_ACCOUNT', { label: params.account, type: account.type });
    let values: Record<string, JsonValue>[];
    if (params.operation === 'batch') {
      const items = params.batchParams;
      if (items === undefined) throw new PlatformError('ERR_DB_PARAM_MISSING', { name: 'batchParams' }, { message: 'batch needs batchParams: a list of parameter objects' });
      values = items;
      if (values.length === 0) return { rows: [], rowCount: 0 };
    } else values = [params.params ?? {}];
    const result = await databases.run(params.account, account, { operation: params.operation, statement: params.statement, values, timeoutMs: params.timeoutMs, maxRows: params.maxRows });
    return { rows: result.rows, rowCount: result.rowCount };
  },
  example: ['type: db', 'account: orders-db', 'statement: "SELECT id, status FROM orders WHERE customer_id = :customer AND status = :status"', 'params: { customer: "{{ message.customerId }}", status: shipped }'].join('\n'),
});

export { DatabasePools } from './database-pools.js';
