// Turns a deployment record (or a file) into a servable pipeline: compiled steps, compiled trigger, routes.
import { extname } from 'node:path';
import { loadPipelineText } from '../core/loader/index.js';
import type { CompiledPipeline } from '../core/pipeline-model.js';
import type { ConnectorRegistry } from '../core/registry.js';
import type { DefinitionFormat, DeploymentRecord } from '../store/store.js';
import { RouteTable } from './route-table.js';
import type { RouteEntry } from './route-table.js';
import { compileTrigger } from './trigger-config.js';
import type { RateLimitPolicy, TriggerConfig } from './trigger-config.js';

/** A pipeline version ready to serve. */
export interface ServedPipeline {
  /** `name@major`: the unit that deploy replaces and rollback restores. */
  key: string;
  deploymentId: string | null;
  minor: number;
  deployedAt: number;
  pipeline: CompiledPipeline;
  trigger: TriggerConfig;
}

/** The slot key of a pipeline version. */
export function slotKey(name: string, major: number): string {
  return `${name}@${major}`;
}

/** The definition format from a file name. */
export function formatOf(file: string): DefinitionFormat {
  return extname(file).toLowerCase() === '.json' ? 'json' : 'yaml';
}

/** The configured default quota applies to triggers that set no `rateLimit` of their own. */
function withDefaultRateLimit(
  t: TriggerConfig,
  fallback: RateLimitPolicy | null | undefined,
): TriggerConfig {
  return t.rateLimit === null && fallback ? { ...t, rateLimit: fallback } : t;
}

/** Compiles pipeline text for serving; throws PipelineInvalidError like `pipegate validate --deploy`. */
export function compileServed(
  source: string,
  text: string,
  opts: {
    registry: ConnectorRegistry;
    realm: string;
    deploymentId?: string | null;
    deployedAt?: number;
    defaultRateLimit?: RateLimitPolicy | null;
  },
): ServedPipeline {
  const pipeline = loadPipelineText(source, text, {
    registry: opts.registry,
    requireTrigger: true,
  });
  return {
    key: slotKey(pipeline.name, pipeline.versionMajor),
    deploymentId: opts.deploymentId ?? null,
    minor: pipeline.versionMinor,
    deployedAt: opts.deployedAt ?? 0,
    pipeline,
    trigger: withDefaultRateLimit(compileTrigger(pipeline, opts.realm), opts.defaultRateLimit),
  };
}

/** Compiles a stored deployment (its source is named after the deployment for messages). */
export function compileRecord(
  record: DeploymentRecord,
  opts: { registry: ConnectorRegistry; realm: string; defaultRateLimit?: RateLimitPolicy | null },
): ServedPipeline {
  const source = `deployment ${record.name} ${record.major}.${record.minor} (${record.id}).${record.format === 'json' ? 'json' : 'yaml'}`;
  return compileServed(source, record.definition, {
    ...opts,
    deploymentId: record.id,
    deployedAt: record.deployedAt,
  });
}

/** The route entries of a set of served pipelines. */
export function routeEntries(served: Iterable<ServedPipeline>): RouteEntry<ServedPipeline>[] {
  const out: RouteEntry<ServedPipeline>[] = [];
  for (const s of served)
    for (const pattern of s.trigger.paths) out.push({ pattern, owner: s.key, target: s });
  return out;
}

/** Builds the route table; ERR_GATEWAY_ROUTE_CONFLICT when two pipelines share a route shape. */
export function buildRouteTable(served: Iterable<ServedPipeline>): RouteTable<ServedPipeline> {
  return new RouteTable(routeEntries(served));
}
