// Accounts, globals, global sessions, admins and meta in SQL (keyed rows with upserts).
import type { JsonObject } from '../../core/json.js';
import type {
  AccountInput,
  AccountRecord,
  AccountSummary,
  AdminRecord,
  GlobalRecord,
  GlobalValueType,
  GlobalSession,
} from '../records.js';
import type {
  AccountRepository,
  AdminRepository,
  GlobalRepository,
  GlobalSessionRepository,
  MetaRepository,
} from '../store.js';
import type { Row } from './driver.js';
import { json, mutate, num, one, str, strOrNull, type SqlContext } from './sql-context.js';

function toAccount(row: Row): AccountRecord {
  return {
    environment: str(row, 'environment'),
    label: str(row, 'label'),
    type: str(row, 'type'),
    description: strOrNull(row, 'description'),
    encrypted: str(row, 'encrypted'),
    createdAt: num(row, 'created_at'),
    updatedAt: num(row, 'updated_at'),
  };
}

export class SqlAccountRepository implements AccountRepository {
  constructor(private readonly ctx: SqlContext) {}

  put(env: string, input: AccountInput): Promise<AccountRecord> {
    return mutate(this.ctx, async (ex, record) => {
      const now = this.ctx.now();
      // ON CONFLICT … DO UPDATE has the same syntax on SQLite (≥ 3.24) and PostgreSQL.
      const rows = await ex.all(
        `INSERT INTO accounts (environment, label, type, description, encrypted, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (environment, label) DO UPDATE SET
           type = excluded.type, description = excluded.description, encrypted = excluded.encrypted, updated_at = excluded.updated_at
         RETURNING environment, label, type, description, encrypted, created_at, updated_at`,
        [env, input.label, input.type, input.description ?? null, input.encrypted, now, now],
      );
      await record(env, 'accounts', input.label, 'put');
      return toAccount(rows[0] as Row);
    });
  }

  async get(env: string, label: string): Promise<AccountRecord | null> {
    const sql =
      'SELECT environment, label, type, description, encrypted, created_at, updated_at FROM accounts WHERE environment = ? AND label = ?';
    const row = await one(this.ctx.ex, sql, [env, label]);
    return row ? toAccount(row) : null;
  }

  async list(env: string): Promise<AccountSummary[]> {
    const sql =
      'SELECT environment, label, type, description, created_at, updated_at FROM accounts WHERE environment = ? ORDER BY label';
    return (await this.ctx.ex.all(sql, [env])).map((row) => ({
      environment: str(row, 'environment'),
      label: str(row, 'label'),
      type: str(row, 'type'),
      description: strOrNull(row, 'description'),
      createdAt: num(row, 'created_at'),
      updatedAt: num(row, 'updated_at'),
    }));
  }

  remove(env: string, label: string): Promise<boolean> {
    return mutate(this.ctx, async (ex, record) => {
      const n = await ex.run('DELETE FROM accounts WHERE environment = ? AND label = ?', [
        env,
        label,
      ]);
      if (n > 0) await record(env, 'accounts', label, 'remove');
      return n > 0;
    });
  }
}

function toGlobal(row: Row): GlobalRecord {
  return {
    environment: str(row, 'environment'),
    name: str(row, 'name'),
    value: str(row, 'value'),
    type: str(row, 'value_type') === 'json' ? 'json' : 'text',
    updatedAt: num(row, 'updated_at'),
  };
}

export class SqlGlobalRepository implements GlobalRepository {
  constructor(private readonly ctx: SqlContext) {}

  put(env: string, name: string, value: string, type: GlobalValueType = 'text'): Promise<GlobalRecord> {
    return mutate(this.ctx, async (ex, record) => {
      const rec: GlobalRecord = { environment: env, name, value, type, updatedAt: this.ctx.now() };
      await ex.run(
        `INSERT INTO globals (environment, name, value, value_type, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (environment, name) DO UPDATE SET value = excluded.value, value_type = excluded.value_type, updated_at = excluded.updated_at`,
        [env, name, value, type, rec.updatedAt],
      );
      await record(env, 'globals', name, 'put');
      return rec;
    });
  }

  async get(env: string, name: string): Promise<GlobalRecord | null> {
    const row = await one(
      this.ctx.ex,
      'SELECT environment, name, value, value_type, updated_at FROM globals WHERE environment = ? AND name = ?',
      [env, name],
    );
    return row ? toGlobal(row) : null;
  }

  async list(env: string): Promise<GlobalRecord[]> {
    return (
      await this.ctx.ex.all(
        'SELECT environment, name, value, value_type, updated_at FROM globals WHERE environment = ? ORDER BY name',
        [env],
      )
    ).map(toGlobal);
  }

  remove(env: string, name: string): Promise<boolean> {
    return mutate(this.ctx, async (ex, record) => {
      const n = await ex.run('DELETE FROM globals WHERE environment = ? AND name = ?', [env, name]);
      if (n > 0) await record(env, 'globals', name, 'remove');
      return n > 0;
    });
  }
}

export class SqlGlobalSessionRepository implements GlobalSessionRepository {
  constructor(private readonly ctx: SqlContext) {}

  async get(
    env: string,
    sessionKey: string,
    now: number = this.ctx.now(),
  ): Promise<GlobalSession | null> {
    const sql =
      'SELECT data, expires_at, updated_at FROM global_sessions WHERE environment = ? AND session_key = ? AND expires_at > ?';
    const row = await one(this.ctx.ex, sql, [env, sessionKey, now]);
    if (!row) return null;
    return {
      environment: env,
      sessionKey,
      data: json<JsonObject>(row, 'data') ?? {},
      expiresAt: num(row, 'expires_at'),
      updatedAt: num(row, 'updated_at'),
    };
  }

  async put(
    env: string,
    sessionKey: string,
    data: JsonObject,
    expiresAt: number,
  ): Promise<GlobalSession> {
    const updatedAt = this.ctx.now();
    await this.ctx.ex.run(
      `INSERT INTO global_sessions (environment, session_key, data, expires_at, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (environment, session_key) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at, updated_at = excluded.updated_at`,
      [env, sessionKey, JSON.stringify(data), expiresAt, updatedAt],
    );
    return { environment: env, sessionKey, data, expiresAt, updatedAt };
  }

  async delete(env: string, sessionKey: string): Promise<boolean> {
    return (
      (await this.ctx.ex.run(
        'DELETE FROM global_sessions WHERE environment = ? AND session_key = ?',
        [env, sessionKey],
      )) > 0
    );
  }

  purgeExpired(now: number = this.ctx.now()): Promise<number> {
    return this.ctx.ex.run('DELETE FROM global_sessions WHERE expires_at <= ?', [now]);
  }
}

function toAdmin(row: Row): AdminRecord {
  return {
    username: str(row, 'username'),
    passwordHash: str(row, 'password_hash'),
    createdAt: num(row, 'created_at'),
  };
}

export class SqlAdminRepository implements AdminRepository {
  constructor(private readonly ctx: SqlContext) {}

  async put(username: string, passwordHash: string): Promise<AdminRecord> {
    const rows = await this.ctx.ex.all(
      `INSERT INTO admins (username, password_hash, created_at) VALUES (?, ?, ?)
       ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash
       RETURNING username, password_hash, created_at`,
      [username, passwordHash, this.ctx.now()],
    );
    return toAdmin(rows[0] as Row);
  }

  async get(username: string): Promise<AdminRecord | null> {
    const row = await one(
      this.ctx.ex,
      'SELECT username, password_hash, created_at FROM admins WHERE username = ?',
      [username],
    );
    return row ? toAdmin(row) : null;
  }

  async list(): Promise<AdminRecord[]> {
    return (
      await this.ctx.ex.all(
        'SELECT username, password_hash, created_at FROM admins ORDER BY username',
        [],
      )
    ).map(toAdmin);
  }

  async remove(username: string): Promise<boolean> {
    return (await this.ctx.ex.run('DELETE FROM admins WHERE username = ?', [username])) > 0;
  }
}

export class SqlMetaRepository implements MetaRepository {
  constructor(private readonly ctx: SqlContext) {}

  async get(key: string): Promise<string | null> {
    const row = await one(this.ctx.ex, 'SELECT value FROM meta WHERE name = ?', [key]);
    return row ? str(row, 'value') : null;
  }

  async put(key: string, value: string): Promise<void> {
    await this.ctx.ex.run(
      'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
      [key, value],
    );
  }

  async putIfAbsent(key: string, value: string): Promise<string> {
    await this.ctx.ex.run(
      'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING',
      [key, value],
    );
    return (await this.get(key)) ?? value;
  }

  async remove(key: string): Promise<boolean> {
    return (await this.ctx.ex.run('DELETE FROM meta WHERE name = ?', [key])) > 0;
  }
}
