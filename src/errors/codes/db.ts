// Error codes of the db connector (PostgreSQL, MySQL/MariaDB; docs/connectors/db.md).
import type { ErrorTable } from '../registry.js';

export const dbCodes = {
  ERR_DB_UNAVAILABLE: {
    status: 500,
    message: 'Database access is not available in this host',
    doc: 'The host running the pipeline gave connectors no database pools or no accounts (the CLI and the gateway always do).',
  },
  ERR_DB_ACCOUNT: {
    status: 500,
    message: 'Account "{label}" is a {type} account; the db connector needs a database account',
    doc: 'Create the connection settings with `pipegate accounts add LABEL --type database --set driver=postgres …`.',
  },
  ERR_DB_PARAM_MISSING: {
    status: 400,
    message: 'The statement uses :{name} but "params" has no "{name}"',
    doc: 'Every `:name` in the statement needs a value in `params` (or in each item of `batchParams`).',
  },
  ERR_DB_CONNECT: {
    status: 503,
    message: 'Cannot connect to database account "{label}": {reason}',
    doc: 'The server refused the connection, the credentials are wrong, or the database does not exist (the message never contains the password).',
  },
  ERR_DB_QUERY: {
    status: 500,
    message: 'Statement failed on database account "{label}" ({code}): {reason}',
    doc: 'The database rejected the statement (syntax, constraint, type); the code is the SQLSTATE or the MySQL error name.',
  },
  ERR_DB_TIMEOUT: {
    status: 504,
    message: 'Statement on database account "{label}" exceeded {timeoutMs} ms',
    doc: 'The server cancelled the statement at `timeoutMs` (PostgreSQL statement_timeout, MariaDB max_statement_time, MySQL max_execution_time for SELECT).',
  },
  ERR_DB_TOO_MANY_ROWS: {
    status: 500,
    message: 'The query returned more than {maxRows} rows',
    doc: 'A query returned more rows than `maxRows` (default 1000); add a LIMIT or raise the cap.',
  },
} as const satisfies ErrorTable;
