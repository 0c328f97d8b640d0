// Error codes of the store area and of secrets at rest: store URL, availability, conflicts, master key (see docs/errors.md).
import type { ErrorTable } from '../registry.js';

export const storeCodes = {
  ERR_STORE_URL: {
    status: 400,
    message: 'Invalid store URL: {reason}',
    doc: 'The --store value is neither `sqlite:PATH`, a file path, nor a `postgres://` URL; see docs/store.md.',
  },
  ERR_STORE_UNAVAILABLE: {
    status: 503,
    message: 'The store ({dialect}) is unavailable: {reason}',
    doc: 'The database could not be reached or refused the operation; check that it runs and that the URL and permissions are right.',
  },
  ERR_STORE_CLOSED: {
    status: 503,
    message: 'The store is closed',
    doc: 'An operation was attempted after the store was closed, usually during shutdown.',
  },
  ERR_STORE_CONFLICT: {
    status: 409,
    message: 'A {entity} with the same {field} already exists',
    doc: 'A unique value (consumer name, Basic username, kid, active key of a realm, execution key, …) is already taken; choose another or remove the existing one.',
  },
  ERR_STORE_MIGRATION: {
    status: 500,
    message: 'Store migration {version} failed: {reason}',
    doc: 'A schema migration could not be applied; the database is left at the previous version. Check the database permissions and logs.',
  },
  ERR_STORE_SCHEMA_TOO_NEW: {
    status: 500,
    message:
      'The store schema is at version {found}, newer than this Pipegate supports ({supported})',
    doc: 'The database was migrated by a newer Pipegate; upgrade this node instead of running an older one against it.',
  },
  ERR_STORE_NOTHING_TO_ROLLBACK: {
    status: 409,
    message: 'Pipeline {name} v{major} has no previous deployment to roll back to',
    doc: 'Rollback needs an active deployment that replaced an earlier minor of the same major; deploy the wanted version instead.',
  },
  ERR_STORE_CONSUMER_NOT_FOUND: {
    status: 404,
    message: 'Consumer {consumer} does not exist in environment {environment}',
    doc: 'The consumer name or id is unknown (or the consumer was deleted) in this environment; list consumers to check.',
  },
  ERR_STORE_ACCOUNT_NOT_FOUND: {
    status: 404,
    message: 'Account {label} does not exist in environment {environment}',
    doc: 'A pipeline or command names an account label that is not stored in this environment; add it with `pipegate accounts add`.',
  },
  ERR_MASTER_KEY_INVALID: {
    status: 500,
    message: 'The master key from {source} is invalid: {reason}',
    doc: 'PIPEGATE_MASTER_KEY (or the key file) must hold exactly 32 bytes as base64, base64url or 64 hex digits.',
  },
  ERR_MASTER_KEY_MISSING: {
    status: 500,
    message: 'No master key: set PIPEGATE_MASTER_KEY or give a data directory for the key file',
    doc: 'Secrets at rest need a master key; in embedded mode it is created in the data directory, otherwise set PIPEGATE_MASTER_KEY.',
  },
  ERR_MASTER_KEY_MISMATCH: {
    status: 500,
    message: 'The master key does not match the one this store was initialised with',
    doc: 'The store holds secrets encrypted under another master key; start with the original PIPEGATE_MASTER_KEY or key file.',
  },
  ERR_SECRET_DECRYPT: {
    status: 500,
    message: 'A stored secret ({what}) could not be decrypted',
    doc: 'The encrypted value is corrupt, was moved to another record, or was written under another master key.',
  },
} as const satisfies ErrorTable;
