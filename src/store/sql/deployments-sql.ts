// Deployments in SQL: history kept, one active minor per (name, major), deploy/rollback in one transaction.
import { randomUUID } from 'node:crypto';
import { PlatformError } from '../../errors/index.js';
import type { ChangeEvent, DefinitionFormat, DeploymentRecord, NewDeployment } from '../records.js';
import type { DeploymentRepository } from '../store.js';
import type { Row, SqlExecutor } from './driver.js';
import { changesForTopic } from './changes-sql.js';
import { bool, mutate, num, one, str, strOrNull, type SqlContext } from './sql-context.js';

const COLUMNS =
  'id, environment, name, major, minor, definition, format, deployed_at, active, previous_id';

function toDeployment(row: Row): DeploymentRecord {
  return {
    id: str(row, 'id'),
    environment: str(row, 'environment'),
    name: str(row, 'name'),
    major: num(row, 'major'),
    minor: num(row, 'minor'),
    definition: str(row, 'definition'),
    format: str(row, 'format') as DefinitionFormat,
    deployedAt: num(row, 'deployed_at'),
    active: bool(row, 'active'),
    previousId: strOrNull(row, 'previous_id'),
  };
}

async function activeOf(
  ex: SqlExecutor,
  env: string,
  name: string,
  major: number,
): Promise<DeploymentRecord | null> {
  const sql = `SELECT ${COLUMNS} FROM deployments WHERE environment = ? AND name = ? AND major = ? AND active = ?`;
  const row = await one(ex, sql, [env, name, major, true]);
  return row ? toDeployment(row) : null;
}

async function setActive(ex: SqlExecutor, env: string, id: string, active: boolean): Promise<void> {
  await ex.run('UPDATE deployments SET active = ? WHERE environment = ? AND id = ?', [
    active,
    env,
    id,
  ]);
}

export class SqlDeploymentRepository implements DeploymentRepository {
  constructor(private readonly ctx: SqlContext) {}

  deploy(
    env: string,
    input: NewDeployment,
  ): Promise<{ deployment: DeploymentRecord; replaced: DeploymentRecord | null }> {
    if (!Number.isInteger(input.major) || !Number.isInteger(input.minor))
      throw new TypeError('major and minor must be integers');
    return mutate(this.ctx, async (ex, record) => {
      const replaced = await activeOf(ex, env, input.name, input.major);
      if (replaced) await setActive(ex, env, replaced.id, false);
      const deployment: DeploymentRecord = {
        id: randomUUID(),
        environment: env,
        ...input,
        deployedAt: this.ctx.now(),
        active: true,
        previousId: replaced?.id ?? null,
      };
      await ex.run(`INSERT INTO deployments (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
        deployment.id,
        env,
        deployment.name,
        deployment.major,
        deployment.minor,
        deployment.definition,
        deployment.format,
        deployment.deployedAt,
        true,
        deployment.previousId,
      ]);
      await record(env, 'deployments', `${input.name}@${input.major}`, 'deploy');
      return { deployment, replaced: replaced ? { ...replaced, active: false } : null };
    });
  }

  undeploy(env: string, name: string, major: number): Promise<DeploymentRecord | null> {
    return mutate(this.ctx, async (ex, record) => {
      const current = await activeOf(ex, env, name, major);
      if (!current) return null;
      await setActive(ex, env, current.id, false);
      await record(env, 'deployments', `${name}@${major}`, 'undeploy');
      return { ...current, active: false };
    });
  }

  rollback(env: string, name: string, major: number): Promise<DeploymentRecord> {
    return mutate(this.ctx, async (ex, record) => {
      const current = await activeOf(ex, env, name, major);
      const prevRow = current?.previousId
        ? await one(ex, `SELECT ${COLUMNS} FROM deployments WHERE environment = ? AND id = ?`, [
            env,
            current.previousId,
          ])
        : null;
      if (!current || !prevRow)
        throw new PlatformError('ERR_STORE_NOTHING_TO_ROLLBACK', { name, major });
      await setActive(ex, env, current.id, false);
      await setActive(ex, env, str(prevRow, 'id'), true);
      await record(env, 'deployments', `${name}@${major}`, 'rollback');
      return { ...toDeployment(prevRow), active: true };
    });
  }

  async get(env: string, id: string): Promise<DeploymentRecord | null> {
    const row = await one(
      this.ctx.ex,
      `SELECT ${COLUMNS} FROM deployments WHERE environment = ? AND id = ?`,
      [env, id],
    );
    return row ? toDeployment(row) : null;
  }

  getActive(env: string, name: string, major: number): Promise<DeploymentRecord | null> {
    return activeOf(this.ctx.ex, env, name, major);
  }

  async listActive(env: string): Promise<DeploymentRecord[]> {
    const sql = `SELECT ${COLUMNS} FROM deployments WHERE environment = ? AND active = ? ORDER BY name, major`;
    return (await this.ctx.ex.all(sql, [env, true])).map(toDeployment);
  }

  async list(env: string, opts: { name?: string } = {}): Promise<DeploymentRecord[]> {
    const byName = opts.name === undefined ? '' : ' AND name = ?';
    const params = opts.name === undefined ? [env] : [env, opts.name];
    const sql = `SELECT ${COLUMNS} FROM deployments WHERE environment = ?${byName} ORDER BY deployed_at DESC, id`;
    return (await this.ctx.ex.all(sql, params)).map(toDeployment);
  }

  changesSince(env: string, seq: number): Promise<ChangeEvent[]> {
    return changesForTopic(this.ctx.ex, env, 'deployments', seq);
  }
}
