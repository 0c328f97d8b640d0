// Consumers in SQL: soft delete, live-name uniqueness, delete cascading to credentials.
import { randomUUID } from 'node:crypto';
import type { Consumer, ConsumerPatch, NewConsumer } from '../records.js';
import type { ConsumerRepository } from '../store.js';
import type { Row } from './driver.js';
import { bool, json, mutate, num, numOrNull, one, str, type SqlContext } from './sql-context.js';

const COLUMNS =
  'id, environment, name, enabled, pipelines, scopes, created_at, updated_at, deleted_at';

function toConsumer(row: Row): Consumer {
  return {
    id: str(row, 'id'),
    environment: str(row, 'environment'),
    name: str(row, 'name'),
    enabled: bool(row, 'enabled'),
    pipelines: json<string[]>(row, 'pipelines') ?? [],
    scopes: json<string[]>(row, 'scopes'),
    createdAt: num(row, 'created_at'),
    updatedAt: num(row, 'updated_at'),
    deletedAt: numOrNull(row, 'deleted_at'),
  };
}

function checkList(value: unknown, what: string): void {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new TypeError(`consumer ${what} must be an array of strings`);
  }
}

export class SqlConsumerRepository implements ConsumerRepository {
  constructor(private readonly ctx: SqlContext) {}

  create(env: string, input: NewConsumer): Promise<Consumer> {
    const pipelines = input.pipelines ?? ['*'];
    checkList(pipelines, 'pipelines');
    if (input.scopes) checkList(input.scopes, 'scopes');
    return mutate(this.ctx, async (ex, record) => {
      const now = this.ctx.now();
      const id = input.id ?? randomUUID();
      await ex.run(`INSERT INTO consumers (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`, [
        id,
        env,
        input.name,
        input.enabled ?? true,
        JSON.stringify(pipelines),
        input.scopes ? JSON.stringify(input.scopes) : null,
        now,
        now,
      ]);
      await record(env, 'consumers', id, 'create');
      return {
        id,
        environment: env,
        name: input.name,
        enabled: input.enabled ?? true,
        pipelines: [...pipelines],
        scopes: input.scopes ? [...input.scopes] : null,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      };
    });
  }

  async get(
    env: string,
    id: string,
    opts: { includeDeleted?: boolean } = {},
  ): Promise<Consumer | null> {
    const live = opts.includeDeleted ? '' : ' AND deleted_at IS NULL';
    const row = await one(
      this.ctx.ex,
      `SELECT ${COLUMNS} FROM consumers WHERE environment = ? AND id = ?${live}`,
      [env, id],
    );
    return row ? toConsumer(row) : null;
  }

  async getByName(env: string, name: string): Promise<Consumer | null> {
    const sql = `SELECT ${COLUMNS} FROM consumers WHERE environment = ? AND name = ? AND deleted_at IS NULL`;
    const row = await one(this.ctx.ex, sql, [env, name]);
    return row ? toConsumer(row) : null;
  }

  async list(env: string, opts: { includeDeleted?: boolean } = {}): Promise<Consumer[]> {
    const live = opts.includeDeleted ? '' : ' AND deleted_at IS NULL';
    const rows = await this.ctx.ex.all(
      `SELECT ${COLUMNS} FROM consumers WHERE environment = ?${live} ORDER BY name, created_at`,
      [env],
    );
    return rows.map(toConsumer);
  }

  update(env: string, id: string, patch: ConsumerPatch): Promise<Consumer | null> {
    if (patch.pipelines !== undefined) checkList(patch.pipelines, 'pipelines');
    if (patch.scopes) checkList(patch.scopes, 'scopes');
    return mutate(this.ctx, async (ex, record) => {
      const current = await one(
        ex,
        `SELECT ${COLUMNS} FROM consumers WHERE environment = ? AND id = ? AND deleted_at IS NULL`,
        [env, id],
      );
      if (!current) return null;
      const next: Consumer = {
        ...toConsumer(current),
        ...definedOnly(patch),
        updatedAt: this.ctx.now(),
      };
      await ex.run(
        'UPDATE consumers SET name = ?, enabled = ?, pipelines = ?, scopes = ?, updated_at = ? WHERE environment = ? AND id = ?',
        [
          next.name,
          next.enabled,
          JSON.stringify(next.pipelines),
          next.scopes ? JSON.stringify(next.scopes) : null,
          next.updatedAt,
          env,
          id,
        ],
      );
      await record(env, 'consumers', id, 'update');
      return next;
    });
  }

  delete(env: string, id: string): Promise<boolean> {
    return mutate(this.ctx, async (ex, record) => {
      const now = this.ctx.now();
      const n = await ex.run(
        'UPDATE consumers SET deleted_at = ?, updated_at = ? WHERE environment = ? AND id = ? AND deleted_at IS NULL',
        [now, now, env, id],
      );
      if (n === 0) return false;
      const keys = await ex.all(
        'SELECT id FROM api_keys WHERE environment = ? AND consumer_id = ? AND revoked_at IS NULL',
        [env, id],
      );
      await ex.run(
        'UPDATE api_keys SET revoked_at = ? WHERE environment = ? AND consumer_id = ? AND revoked_at IS NULL',
        [now, env, id],
      );
      const creds = await ex.all(
        'SELECT username FROM basic_credentials WHERE environment = ? AND consumer_id = ?',
        [env, id],
      );
      await ex.run('DELETE FROM basic_credentials WHERE environment = ? AND consumer_id = ?', [
        env,
        id,
      ]);
      await record(env, 'consumers', id, 'delete');
      for (const k of keys) await record(env, 'apiKeys', str(k, 'id'), 'revoke');
      for (const c of creds) await record(env, 'basicCredentials', str(c, 'username'), 'remove');
      return true;
    });
  }
}

/** The patch without undefined members (so `{ name: undefined }` does not erase the name). */
function definedOnly(patch: ConsumerPatch): Partial<Consumer> {
  const out: Partial<Consumer> = {};
  if (patch.name !== undefined) out.name = patch.name;
  if (patch.enabled !== undefined) out.enabled = patch.enabled;
  if (patch.pipelines !== undefined) out.pipelines = [...patch.pipelines];
  if (patch.scopes !== undefined) out.scopes = patch.scopes ? [...patch.scopes] : null;
  return out;
}
