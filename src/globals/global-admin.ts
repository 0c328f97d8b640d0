// Globals: named, non-secret values per environment, read as `{{ global.<name> }}` (docs/globals.md).
import { defineOwn, parseJsonSafe } from '../core/json.js';
import type { JsonObject, JsonValue } from '../core/json.js';
import { PlatformError } from '../errors/index.js';
import { isSecretLikeName } from '../security/secret-like.js';
import type { GlobalRecord, Store } from '../store/store.js';

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** Largest value accepted (globals are settings, not documents). */
export const MAX_GLOBAL_BYTES = 64 * 1024;

/** A global as the CLI and the admin API show it. */
export interface GlobalView {
  name: string;
  value: JsonValue;
  type: 'text' | 'json';
  updatedAt: string;
}

/** The value `{{ global.<name> }}` yields. */
export function globalValue(g: Pick<GlobalRecord, 'value' | 'type'>): JsonValue {
  if (g.type !== 'json') return g.value;
  try {
    return parseJsonSafe(g.value);
  } catch {
    return g.value;
  }
}

/** The environment's globals as `{ name: value }`. */
export async function loadGlobalValues(store: Store, environment: string): Promise<JsonObject> {
  const out: JsonObject = {};
  for (const g of await store.globals.list(environment)) defineOwn(out, g.name, globalValue(g));
  return out;
}

function view(g: GlobalRecord): GlobalView {
  return { name: g.name, value: globalValue(g), type: g.type, updatedAt: new Date(g.updatedAt).toISOString() };
}

/** ERR_GLOBAL_NAME for a malformed name, ERR_GLOBAL_SECRET_NAME for one that names a secret. */
export function checkGlobalName(name: string): void {
  if (!NAME.test(name)) throw new PlatformError('ERR_GLOBAL_NAME', { name: name.slice(0, 80) });
  if (isSecretLikeName(name)) throw new PlatformError('ERR_GLOBAL_SECRET_NAME', { name });
}

/**
 * Sets a global: `text` is stored as given; `json` must parse (numbers, booleans, objects keep their
 * type in expressions). Running servers pick the change up from the change feed (docs/globals.md).
 */
export async function setGlobal(
  store: Store,
  environment: string,
  name: string,
  value: string,
  type: 'text' | 'json' = 'text',
): Promise<GlobalView> {
  checkGlobalName(name);
  if (Buffer.byteLength(value) > MAX_GLOBAL_BYTES)
    throw new PlatformError('ERR_GLOBAL_VALUE', { name, reason: `larger than ${MAX_GLOBAL_BYTES} bytes` });
  let stored = value;
  if (type === 'json') {
    try {
      stored = JSON.stringify(parseJsonSafe(value));
    } catch (err) {
      throw new PlatformError('ERR_GLOBAL_VALUE', { name, reason: `--json takes JSON text (${(err as Error).message})` }, { cause: err });
    }
  }
  return view(await store.globals.put(environment, name, stored, type));
}

/** Every global of the environment, by name. */
export async function listGlobals(store: Store, environment: string): Promise<GlobalView[]> {
  return (await store.globals.list(environment)).map(view);
}

/** Removes a global; ERR_GLOBAL_NOT_FOUND when it is not set. */
export async function removeGlobal(store: Store, environment: string, name: string): Promise<void> {
  if (!(await store.globals.remove(environment, name)))
    throw new PlatformError('ERR_GLOBAL_NOT_FOUND', { name: name.slice(0, 80), environment });
}
