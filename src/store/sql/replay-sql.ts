// One-time ids in SQL: an insert that succeeds once per unexpired id (same statement on both dialects).
import type { ReplayRepository } from '../store.js';
import type { SqlContext } from './sql-context.js';

export class SqlReplayRepository implements ReplayRepository {
  constructor(private readonly ctx: SqlContext) {}

  async remember(env: string, id: string, expiresAt: number): Promise<boolean> {
    // A row whose id expired is taken over (the upsert's WHERE); a live one is left alone: 0 rows.
    const changed = await this.ctx.ex.run(
      `INSERT INTO replay_ids (environment, id, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (environment, id) DO UPDATE SET expires_at = excluded.expires_at
       WHERE replay_ids.expires_at <= ?`,
      [env, id, expiresAt, this.ctx.now()],
    );
    return changed > 0;
  }

  purge(env: string, limit: number): Promise<number> {
    return this.ctx.ex.run(
      `DELETE FROM replay_ids WHERE environment = ? AND id IN
         (SELECT id FROM replay_ids WHERE environment = ? AND expires_at <= ? LIMIT ?)`,
      [env, env, this.ctx.now(), limit],
    );
  }
}
