// Signing keys in SQL: at most one active key per realm (a partial unique index), atomic rotation.
import type { JsonObject } from '../../core/json.js';
import type {
  NewSigningKey,
  SigningAlgorithm,
  SigningKeyRecord,
  SigningKeyState,
} from '../records.js';
import type { SigningKeyRepository } from '../store.js';
import type { Row, SqlExecutor } from './driver.js';
import {
  json,
  mutate,
  num,
  numOrNull,
  one,
  str,
  type RecordChange,
  type SqlContext,
} from './sql-context.js';

const COLUMNS =
  'environment, kid, realm, alg, state, public_jwk, private_key_encrypted, created_at, retiring_since, retire_after';
const STATES: readonly SigningKeyState[] = ['active', 'retiring', 'retired'];

function toKey(row: Row): SigningKeyRecord {
  return {
    kid: str(row, 'kid'),
    realm: str(row, 'realm'),
    environment: str(row, 'environment'),
    alg: str(row, 'alg') as SigningAlgorithm,
    state: str(row, 'state') as SigningKeyState,
    publicJwk: json<JsonObject>(row, 'public_jwk'),
    privateKeyEncrypted: str(row, 'private_key_encrypted'),
    createdAt: num(row, 'created_at'),
    retiringSince: numOrNull(row, 'retiring_since'),
    retireAfter: numOrNull(row, 'retire_after'),
  };
}

export class SqlSigningKeyRepository implements SigningKeyRepository {
  constructor(private readonly ctx: SqlContext) {}

  async #insert(
    ex: SqlExecutor,
    env: string,
    input: NewSigningKey,
    record: RecordChange,
  ): Promise<SigningKeyRecord> {
    const rec: SigningKeyRecord = {
      ...input,
      environment: env,
      state: 'active',
      createdAt: this.ctx.now(),
      retiringSince: null,
      retireAfter: null,
    };
    await ex.run(
      `INSERT INTO signing_keys (${COLUMNS}) VALUES (?, ?, ?, ?, 'active', ?, ?, ?, NULL, NULL)`,
      [
        env,
        rec.kid,
        rec.realm,
        rec.alg,
        rec.publicJwk ? JSON.stringify(rec.publicJwk) : null,
        rec.privateKeyEncrypted,
        rec.createdAt,
      ],
    );
    await record(env, 'signingKeys', rec.kid, 'create');
    return rec;
  }

  create(env: string, input: NewSigningKey): Promise<SigningKeyRecord> {
    return mutate(this.ctx, (ex, record) => this.#insert(ex, env, input, record));
  }

  async get(env: string, kid: string): Promise<SigningKeyRecord | null> {
    const row = await one(
      this.ctx.ex,
      `SELECT ${COLUMNS} FROM signing_keys WHERE environment = ? AND kid = ?`,
      [env, kid],
    );
    return row ? toKey(row) : null;
  }

  async list(
    env: string,
    realm: string,
    opts: { states?: SigningKeyState[] } = {},
  ): Promise<SigningKeyRecord[]> {
    const states = (opts.states ?? STATES).filter((s) => STATES.includes(s));
    if (states.length === 0) return [];
    const marks = states.map(() => '?').join(', ');
    const sql = `SELECT ${COLUMNS} FROM signing_keys WHERE environment = ? AND realm = ? AND state IN (${marks}) ORDER BY created_at DESC, kid`;
    return (await this.ctx.ex.all(sql, [env, realm, ...states])).map(toKey);
  }

  async getActive(env: string, realm: string): Promise<SigningKeyRecord | null> {
    const sql = `SELECT ${COLUMNS} FROM signing_keys WHERE environment = ? AND realm = ? AND state = 'active'`;
    const row = await one(this.ctx.ex, sql, [env, realm]);
    return row ? toKey(row) : null;
  }

  setState(
    env: string,
    kid: string,
    state: SigningKeyState,
    opts: { retireAfter?: number | null } = {},
  ): Promise<SigningKeyRecord | null> {
    if (!STATES.includes(state)) throw new TypeError(`unknown signing key state ${String(state)}`);
    return mutate(this.ctx, async (ex, record) => {
      const current = await one(
        ex,
        `SELECT ${COLUMNS} FROM signing_keys WHERE environment = ? AND kid = ?`,
        [env, kid],
      );
      if (!current) return null;
      const key = toKey(current);
      const now = this.ctx.now();
      if (state === 'active') {
        key.retiringSince = null;
        key.retireAfter = null;
      } else if (key.state === 'active') {
        key.retiringSince = now;
      }
      if (state === 'retiring' && opts.retireAfter !== undefined)
        key.retireAfter = opts.retireAfter;
      key.state = state;
      await ex.run(
        'UPDATE signing_keys SET state = ?, retiring_since = ?, retire_after = ? WHERE environment = ? AND kid = ?',
        [state, key.retiringSince, key.retireAfter, env, kid],
      );
      await record(env, 'signingKeys', kid, state);
      return key;
    });
  }

  rotate(
    env: string,
    input: NewSigningKey,
    opts: { retireAfter: number },
  ): Promise<{ active: SigningKeyRecord; retiring: SigningKeyRecord | null }> {
    return mutate(this.ctx, async (ex, record) => {
      const sql = `SELECT ${COLUMNS} FROM signing_keys WHERE environment = ? AND realm = ? AND state = 'active'`;
      const oldRow = await one(ex, sql, [env, input.realm]);
      let retiring: SigningKeyRecord | null = null;
      if (oldRow) {
        retiring = {
          ...toKey(oldRow),
          state: 'retiring',
          retiringSince: this.ctx.now(),
          retireAfter: opts.retireAfter,
        };
        // The state guard makes a concurrent rotation lose: it updates nothing and then hits the
        // one-active index with its insert (ERR_STORE_CONFLICT).
        await ex.run(
          "UPDATE signing_keys SET state = 'retiring', retiring_since = ?, retire_after = ? WHERE environment = ? AND kid = ? AND state = 'active'",
          [retiring.retiringSince, retiring.retireAfter, env, retiring.kid],
        );
        await record(env, 'signingKeys', retiring.kid, 'retiring');
      }
      const active = await this.#insert(ex, env, input, record);
      return { active, retiring };
    });
  }

  async retireDue(env: string, now: number = this.ctx.now()): Promise<string[]> {
    const sql =
      "SELECT kid FROM signing_keys WHERE environment = ? AND state = 'retiring' AND retire_after IS NOT NULL AND retire_after <= ?";
    // Polled by every node: only take the write path when something is due.
    if ((await this.ctx.ex.all(sql, [env, now])).length === 0) return [];
    return mutate(this.ctx, async (ex, record) => {
      const kids = (await ex.all(sql, [env, now])).map((r) => str(r, 'kid'));
      for (const kid of kids) {
        await ex.run(
          "UPDATE signing_keys SET state = 'retired' WHERE environment = ? AND kid = ? AND state = 'retiring'",
          [env, kid],
        );
        await record(env, 'signingKeys', kid, 'retired');
      }
      return kids;
    });
  }
}
