// Deploy, undeploy and rollback against the store: validation and route checks first, then one store call.
import { readFile } from 'node:fs/promises';
import type { ConnectorRegistry } from '../core/registry.js';
import { PipelineInvalidError } from '../core/loader/index.js';
import { PlatformError, isPlatformError } from '../errors/index.js';
import type { DeploymentRecord, Store } from '../store/store.js';
import {
  buildRouteTable,
  compileRecord,
  compileServed,
  formatOf,
  slotKey,
} from './compile-deployment.js';
import type { ServedPipeline } from './compile-deployment.js';
import type { RateLimitPolicy } from './trigger-config.js';

/** Where deployments are written. */
export interface DeployTarget {
  store: Store;
  environment: string;
  realm: string;
  registry: ConnectorRegistry;
  /** Quota of pipelines whose trigger sets none (pipegate.yaml `rateLimits.default`). */
  defaultRateLimit?: RateLimitPolicy | null;
}

/** What a deploy did. */
export interface DeployOutcome {
  deployment: DeploymentRecord;
  replaced: DeploymentRecord | null;
  paths: string[];
}

/** The active deployments compiled, skipping (and returning) those that no longer compile. */
export async function compileActive(
  t: DeployTarget,
  store: Store = t.store,
): Promise<{ served: ServedPipeline[]; broken: { record: DeploymentRecord; error: unknown }[] }> {
  const served: ServedPipeline[] = [];
  const broken: { record: DeploymentRecord; error: unknown }[] = [];
  for (const record of await store.deployments.listActive(t.environment)) {
    try {
      served.push(compileRecord(record, t));
    } catch (error) {
      broken.push({ record, error });
    }
  }
  return { served, broken };
}

/**
 * Validates `text` like `pipegate validate --deploy`, checks its routes against every other active
 * deployment and its accounts against the environment, then makes it the active version of its
 * major (a new minor replaces the previous one, which becomes the rollback target). Throws
 * PipelineInvalidError, ERR_ACCOUNT_MISSING or ERR_GATEWAY_ROUTE_CONFLICT and then changes nothing.
 */
export async function deployText(
  t: DeployTarget,
  file: string,
  text: string,
): Promise<DeployOutcome> {
  const candidate = compileServed(file, text, t);
  const missing: string[] = [];
  for (const label of candidate.pipeline.accounts)
    if (!(await t.store.accounts.get(t.environment, label))) missing.push(label);
  if (missing.length > 0) {
    throw new PlatformError('ERR_ACCOUNT_MISSING', {
      pipeline: candidate.pipeline.name,
      labels: missing,
      environment: t.environment,
    });
  }
  return t.store.transaction(async (tx) => {
    const { served } = await compileActive(t, tx);
    buildRouteTable([...served.filter((s) => s.key !== candidate.key), candidate]);
    const { deployment, replaced } = await tx.deployments.deploy(t.environment, {
      name: candidate.pipeline.name,
      major: candidate.pipeline.versionMajor,
      minor: candidate.pipeline.versionMinor,
      definition: text,
      format: formatOf(file),
    });
    return { deployment, replaced, paths: candidate.trigger.paths };
  });
}

/** Reads and deploys a pipeline file. */
export async function deployFile(t: DeployTarget, file: string): Promise<DeployOutcome> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new PlatformError('ERR_PIPELINE_FILE_NOT_FOUND', { file }, { cause: err });
  }
  return deployText(t, file, text);
}

/** Deactivates the active deployment of (name, major); ERR_GATEWAY_NOT_DEPLOYED when none is active. */
export async function undeploy(
  t: DeployTarget,
  name: string,
  major: number,
): Promise<DeploymentRecord> {
  const removed = await t.store.deployments.undeploy(t.environment, name, major);
  if (!removed)
    throw new PlatformError('ERR_GATEWAY_NOT_DEPLOYED', {
      name,
      major,
      environment: t.environment,
    });
  return removed;
}

/**
 * Returns (name, major) to its previous minor. The previous version's routes are checked against the
 * other active deployments first, so a rollback never breaks another pipeline.
 */
export async function rollback(
  t: DeployTarget,
  name: string,
  major: number,
): Promise<DeploymentRecord> {
  return t.store.transaction(async (tx) => {
    const active = await tx.deployments.getActive(t.environment, name, major);
    if (!active)
      throw new PlatformError('ERR_GATEWAY_NOT_DEPLOYED', {
        name,
        major,
        environment: t.environment,
      });
    const previous = active.previousId
      ? await tx.deployments.get(t.environment, active.previousId)
      : null;
    if (previous) {
      const { served } = await compileActive(t, tx);
      const key = slotKey(name, major);
      buildRouteTable([...served.filter((s) => s.key !== key), compileRecord(previous, t)]);
    }
    return tx.deployments.rollback(t.environment, name, major);
  });
}

/** The message lines of a deploy failure, as `pipegate validate` prints them. */
export function isDeployRefusal(err: unknown): boolean {
  return (
    err instanceof PipelineInvalidError ||
    (isPlatformError(err) && err.code === 'ERR_GATEWAY_ROUTE_CONFLICT')
  );
}
