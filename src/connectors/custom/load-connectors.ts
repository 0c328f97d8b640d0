// Loads user connectors (serve --connectors FILE, pipegate.yaml `connectors:`) and checks them like built-ins.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv } from 'ajv';
import type { AnyConnector } from '../../core/connector.js';
import { loadPipelineText } from '../../core/loader/index.js';
import { createRegistry } from '../../core/registry.js';
import type { ConnectorRegistry } from '../../core/registry.js';
import { PlatformError } from '../../errors/index.js';
import { builtInConnectors, defaultRegistry } from '../index.js';

const TYPE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const CATEGORIES = ['control', 'tools', 'transformer', 'security', 'structured-data', 'web'];
const RESERVED_PARAMETERS = new Set(['type', 'alias', 'failOnError']);
const ajv = new Ajv({ strict: false, allowUnionTypes: true });

function isDescriptorLike(v: unknown): v is AnyConnector {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string' && 'run' in v;
}

/** Descriptors a module exports: `connectors` (a list), a default list or descriptor, or named descriptors. */
function exportedConnectors(mod: Record<string, unknown>): unknown[] {
  if (Array.isArray(mod.connectors)) return mod.connectors;
  if (Array.isArray(mod.default)) return mod.default;
  if (isDescriptorLike(mod.default)) return [mod.default];
  return Object.values(mod).filter(isDescriptorLike);
}

function invalid(c: { type?: unknown }, file: string, reason: string): PlatformError {
  return new PlatformError('ERR_CONNECTOR_INVALID', { type: String(c.type ?? '?'), file, reason });
}

/**
 * Checks a custom descriptor against the connector contract (docs/connectors/custom.md): the same
 * facts the built-in ones are held to by their tests, plus what the engine relies on at run time.
 * Control-flow parameters (`steps`) are reserved for built-in connectors.
 */
export function checkConnector(c: AnyConnector, file: string, taken: ReadonlySet<string>): void {
  const fail = (reason: string): never => {
    throw invalid(c, file, reason);
  };
  if (typeof c.type !== 'string' || !TYPE.test(c.type)) fail('"type" must be kebab-case (lowercase letters, digits, hyphens)');
  if (taken.has(c.type)) fail(`type "${c.type}" is already registered (built-in connectors cannot be replaced)`);
  if (!Number.isInteger(c.version) || c.version < 1) fail('"version" must be a positive integer');
  if (typeof c.title !== 'string' || c.title.trim() === '') fail('"title" must be a non-empty string');
  if (typeof c.summary !== 'string' || c.summary.trim() === '') fail('"summary" must be a non-empty string');
  if (!CATEGORIES.includes(c.category)) fail(`"category" must be one of ${CATEGORIES.join(', ')}`);
  if (typeof c.failOnErrorDefault !== 'boolean') fail('"failOnErrorDefault" must be true or false');
  if (typeof c.run !== 'function') fail('"run" must be a function');
  for (const hook of ['prepare', 'errorOutput'] as const)
    if (c[hook] !== undefined && typeof c[hook] !== 'function') fail(`"${hook}" must be a function`);
  if (typeof c.parameters !== 'object' || c.parameters === null) fail('"parameters" must be an object');
  for (const [name, p] of Object.entries(c.parameters)) {
    if (RESERVED_PARAMETERS.has(name)) fail(`parameter "${name}" is reserved by the engine`);
    if (typeof p?.schema !== 'object' || p.schema === null) fail(`parameter "${name}" needs a JSON Schema in "schema"`);
    if (typeof p.description !== 'string' || p.description.trim() === '') fail(`parameter "${name}" needs a description (it goes into the generated page)`);
    if (p.expression !== undefined && ![false, 'render', 'json'].includes(p.expression)) fail(`parameter "${name}": "expression" must be false, "render" or "json"`);
    if (p.steps !== undefined) fail(`parameter "${name}": sub-flows ("steps") are reserved for built-in control-flow connectors`);
    try {
      ajv.compile(p.schema);
    } catch (err) {
      fail(`parameter "${name}": its schema does not compile (${(err as Error).message})`);
    }
  }
  if (c.example !== undefined) {
    const registry = createRegistry([...builtInConnectors, c]);
    const steps = `  - ${c.example.split('\n').join('\n    ')}`;
    try {
      loadPipelineText(`${c.type} example.yaml`, `name: example\nversion: "1.0"\nsteps:\n${steps}\n`, { registry });
    } catch (err) {
      fail(`its example is not a valid step: ${(err as Error).message}`);
    }
  }
}

/** Imports the modules and returns their descriptors, each checked; a broken module stops the start. */
export async function loadConnectorModules(
  files: readonly string[],
  cwd: string = process.cwd(),
): Promise<AnyConnector[]> {
  const taken = new Set<string>(defaultRegistry.keys());
  const out: AnyConnector[] = [];
  for (const file of files) {
    const abs = isAbsolute(file) ? file : resolve(cwd, file);
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
    } catch (err) {
      throw new PlatformError('ERR_CONNECTOR_MODULE', { file: abs, reason: (err as Error).message?.split('\n')[0] ?? 'import failed' }, { cause: err });
    }
    const found = exportedConnectors(mod);
    if (found.length === 0)
      throw new PlatformError('ERR_CONNECTOR_MODULE', { file: abs, reason: 'it exports no connector (export `connectors`, a default list, or descriptors)' });
    for (const c of found) {
      if (!isDescriptorLike(c)) throw invalid(c as { type?: unknown }, abs, 'not a connector descriptor (built with defineConnector)');
      checkConnector(c, abs, taken);
      taken.add(c.type);
      out.push(c);
    }
  }
  return out;
}

/** The built-in registry plus the connectors of `files` (the built-in one itself when there are none). */
export async function registryWithConnectors(
  files: readonly string[],
  cwd?: string,
): Promise<ConnectorRegistry> {
  if (files.length === 0) return defaultRegistry;
  return createRegistry([...builtInConnectors, ...(await loadConnectorModules(files, cwd))]);
}
