// The change feed in SQL: rows appended by mutations (sql-context.ts `mutate`), polled by other nodes.
import type { ChangeEvent, ChangeTopic } from '../records.js';
import type { ChangeFeed, ChangeSubscription } from '../store.js';
import type { Row, SqlDriver, SqlExecutor, SqlParam } from './driver.js';
import { num, one, pageLimit, str, type SqlContext } from './sql-context.js';

const COLUMNS = 'seq, environment, topic, ref, action, at';

function toChange(row: Row): ChangeEvent {
  return {
    seq: num(row, 'seq'),
    environment: str(row, 'environment'),
    topic: str(row, 'topic') as ChangeTopic,
    ref: str(row, 'ref'),
    action: str(row, 'action'),
    at: num(row, 'at'),
  };
}

/** Events of one topic and environment after `seq`, oldest first. */
export async function changesForTopic(
  ex: SqlExecutor,
  env: string,
  topic: ChangeTopic,
  seq: number,
  limit = 1000,
): Promise<ChangeEvent[]> {
  const sql = `SELECT ${COLUMNS} FROM changes WHERE seq > ? AND environment = ? AND topic = ? ORDER BY seq LIMIT ?`;
  return (await ex.all(sql, [seq, env, topic, pageLimit(limit, 1000)])).map(toChange);
}

/** The NOTIFY channel of the change feed (PostgreSQL migration 007). */
const CHANGE_CHANNEL = 'pipegate_changes';

export class SqlChangeFeed implements ChangeFeed {
  readonly subscribe?: (environment: string, wake: () => void) => ChangeSubscription;

  constructor(
    private readonly ctx: SqlContext,
    driver?: SqlDriver,
  ) {
    const listen = driver?.listen?.bind(driver);
    if (listen)
      this.subscribe = (environment, wake) =>
        listen(CHANGE_CHANNEL, {
          onNotify: (payload) => {
            if (payload === environment) wake();
          },
          onConnected: wake,
        });
  }

  async since(
    seq: number,
    opts: { environment?: string; topics?: ChangeTopic[]; limit?: number } = {},
  ): Promise<ChangeEvent[]> {
    const clauses = ['seq > ?'];
    const params: SqlParam[] = [seq];
    if (opts.environment !== undefined) {
      clauses.push('environment = ?');
      params.push(opts.environment);
    }
    if (opts.topics) {
      if (opts.topics.length === 0) return [];
      clauses.push(`topic IN (${opts.topics.map(() => '?').join(', ')})`);
      params.push(...opts.topics);
    }
    params.push(pageLimit(opts.limit, 1000));
    const sql = `SELECT ${COLUMNS} FROM changes WHERE ${clauses.join(' AND ')} ORDER BY seq LIMIT ?`;
    return (await this.ctx.ex.all(sql, params)).map(toChange);
  }

  async latest(): Promise<number> {
    const row = await one(this.ctx.ex, 'SELECT MAX(seq) AS seq FROM changes', []);
    return row && row['seq'] !== null ? num(row, 'seq') : 0;
  }

  purge(before: number): Promise<number> {
    return this.ctx.ex.run('DELETE FROM changes WHERE at < ?', [before]);
  }
}
