// API keys and Basic Auth credentials in SQL (hashes only; the secrets never reach the store).
import { randomUUID } from 'node:crypto';
import type { ApiKeyRecord, BasicCredential, NewApiKey, NewBasicCredential } from '../records.js';
import type { ApiKeyRepository, BasicCredentialRepository } from '../store.js';
import { PlatformError } from '../../errors/index.js';
import type { Row, SqlExecutor } from './driver.js';
import { mutate, num, numOrNull, one, str, type SqlContext } from './sql-context.js';

/** Credentials can only be added to a live consumer of the same environment. */
async function requireConsumer(ex: SqlExecutor, env: string, consumerId: string): Promise<void> {
  const row = await one(
    ex,
    'SELECT id FROM consumers WHERE environment = ? AND id = ? AND deleted_at IS NULL',
    [env, consumerId],
  );
  if (!row)
    throw new PlatformError('ERR_STORE_CONSUMER_NOT_FOUND', {
      consumer: consumerId,
      environment: env,
    });
}

const KEY_COLUMNS = 'id, consumer_id, environment, prefix, key_hash, created_at, revoked_at';

function toApiKey(row: Row): ApiKeyRecord {
  return {
    id: str(row, 'id'),
    consumerId: str(row, 'consumer_id'),
    environment: str(row, 'environment'),
    prefix: str(row, 'prefix'),
    keyHash: str(row, 'key_hash'),
    createdAt: num(row, 'created_at'),
    revokedAt: numOrNull(row, 'revoked_at'),
  };
}

export class SqlApiKeyRepository implements ApiKeyRepository {
  constructor(private readonly ctx: SqlContext) {}

  add(env: string, input: NewApiKey): Promise<ApiKeyRecord> {
    return mutate(this.ctx, async (ex, record) => {
      await requireConsumer(ex, env, input.consumerId);
      const rec: ApiKeyRecord = {
        id: input.id ?? randomUUID(),
        consumerId: input.consumerId,
        environment: env,
        prefix: input.prefix,
        keyHash: input.keyHash,
        createdAt: this.ctx.now(),
        revokedAt: null,
      };
      await ex.run(`INSERT INTO api_keys (${KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, NULL)`, [
        rec.id,
        rec.consumerId,
        env,
        rec.prefix,
        rec.keyHash,
        rec.createdAt,
      ]);
      await record(env, 'apiKeys', rec.id, 'add');
      return rec;
    });
  }

  async findByHash(env: string, keyHash: string): Promise<ApiKeyRecord | null> {
    const row = await one(
      this.ctx.ex,
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE environment = ? AND key_hash = ?`,
      [env, keyHash],
    );
    return row ? toApiKey(row) : null;
  }

  async get(env: string, id: string): Promise<ApiKeyRecord | null> {
    const row = await one(
      this.ctx.ex,
      `SELECT ${KEY_COLUMNS} FROM api_keys WHERE environment = ? AND id = ?`,
      [env, id],
    );
    return row ? toApiKey(row) : null;
  }

  async listForConsumer(env: string, consumerId: string): Promise<ApiKeyRecord[]> {
    const sql = `SELECT ${KEY_COLUMNS} FROM api_keys WHERE environment = ? AND consumer_id = ? ORDER BY created_at, id`;
    return (await this.ctx.ex.all(sql, [env, consumerId])).map(toApiKey);
  }

  revoke(env: string, id: string): Promise<boolean> {
    return mutate(this.ctx, async (ex, record) => {
      const sql =
        'UPDATE api_keys SET revoked_at = ? WHERE environment = ? AND id = ? AND revoked_at IS NULL';
      const n = await ex.run(sql, [this.ctx.now(), env, id]);
      if (n > 0) await record(env, 'apiKeys', id, 'revoke');
      return n > 0;
    });
  }
}

const BASIC_COLUMNS = 'id, consumer_id, environment, username, password_hash, created_at';

function toBasic(row: Row): BasicCredential {
  return {
    id: str(row, 'id'),
    consumerId: str(row, 'consumer_id'),
    environment: str(row, 'environment'),
    username: str(row, 'username'),
    passwordHash: str(row, 'password_hash'),
    createdAt: num(row, 'created_at'),
  };
}

export class SqlBasicCredentialRepository implements BasicCredentialRepository {
  constructor(private readonly ctx: SqlContext) {}

  add(env: string, input: NewBasicCredential): Promise<BasicCredential> {
    return mutate(this.ctx, async (ex, record) => {
      await requireConsumer(ex, env, input.consumerId);
      const rec: BasicCredential = {
        id: input.id ?? randomUUID(),
        consumerId: input.consumerId,
        environment: env,
        username: input.username,
        passwordHash: input.passwordHash,
        createdAt: this.ctx.now(),
      };
      await ex.run(`INSERT INTO basic_credentials (${BASIC_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, [
        rec.id,
        rec.consumerId,
        env,
        rec.username,
        rec.passwordHash,
        rec.createdAt,
      ]);
      await record(env, 'basicCredentials', rec.username, 'add');
      return rec;
    });
  }

  async findByUsername(env: string, username: string): Promise<BasicCredential | null> {
    const sql = `SELECT ${BASIC_COLUMNS} FROM basic_credentials WHERE environment = ? AND username = ?`;
    const row = await one(this.ctx.ex, sql, [env, username]);
    return row ? toBasic(row) : null;
  }

  remove(env: string, id: string): Promise<boolean> {
    return mutate(this.ctx, async (ex, record) => {
      const row = await one(
        ex,
        'SELECT username FROM basic_credentials WHERE environment = ? AND id = ?',
        [env, id],
      );
      if (!row) return false;
      await ex.run('DELETE FROM basic_credentials WHERE environment = ? AND id = ?', [env, id]);
      await record(env, 'basicCredentials', str(row, 'username'), 'remove');
      return true;
    });
  }

  async list(env: string, consumerId?: string): Promise<BasicCredential[]> {
    const byConsumer = consumerId === undefined ? '' : ' AND consumer_id = ?';
    const params = consumerId === undefined ? [env] : [env, consumerId];
    const sql = `SELECT ${BASIC_COLUMNS} FROM basic_credentials WHERE environment = ?${byConsumer} ORDER BY username`;
    return (await this.ctx.ex.all(sql, params)).map(toBasic);
  }
}
