// Turns driver errors into coded PlatformErrors without SQL text, parameters or row values.
import { PlatformError, isPlatformError } from '../../errors/index.js';
import type { ClassifiedError, Dialect } from './driver.js';

/** Unique key (table:columns) → what the user is told collided. */
const UNIQUE_KEYS: Record<string, { entity: string; field: string }> = {
  'consumers:environment,name': { entity: 'consumer', field: 'name' },
  'consumers:id': { entity: 'consumer', field: 'id' },
  'api_keys:environment,key_hash': { entity: 'API key', field: 'key' },
  'api_keys:environment,id': { entity: 'API key', field: 'id' },
  'basic_credentials:environment,username': { entity: 'Basic Auth credential', field: 'username' },
  'basic_credentials:id': { entity: 'Basic Auth credential', field: 'id' },
  'signing_keys:environment,realm': { entity: 'active signing key', field: 'realm' },
  'signing_keys:environment,kid': { entity: 'signing key', field: 'kid' },
  'deployments:environment,name,major': {
    entity: 'active deployment',
    field: 'name and major version',
  },
  'deployments:id': { entity: 'deployment', field: 'id' },
  'executions:environment,execution_key': { entity: 'execution', field: 'execution key' },
  'token_usage:id': { entity: 'token usage event', field: 'id' },
  'admins:username': { entity: 'admin', field: 'username' },
};

/** The conflict error for a normalised unique key (`table:col1,col2`). */
export function conflictError(key: string | null): PlatformError {
  const hit = key ? UNIQUE_KEYS[key] : undefined;
  const table = key?.split(':')[0];
  return new PlatformError('ERR_STORE_CONFLICT', {
    entity: hit?.entity ?? table ?? 'record',
    field: hit?.field ?? 'key',
  });
}

/** Maps any error thrown by a driver call. PlatformErrors pass through unchanged. */
export function toStoreError(dialect: Dialect, err: unknown): Error {
  if (isPlatformError(err)) return err;
  if (err instanceof TypeError || err instanceof RangeError) return err;
  const c: ClassifiedError = dialect.classify(err);
  if (c.kind === 'unique') return conflictError(c.constraint);
  // The cause keeps only the driver's error code: driver messages may quote SQL or values.
  const code = (err as { code?: unknown }).code;
  const cause = new Error(`${dialect.name} error${typeof code === 'string' ? ` ${code}` : ''}`);
  return new PlatformError(
    'ERR_STORE_UNAVAILABLE',
    { dialect: dialect.name, reason: c.reason },
    { cause },
  );
}
