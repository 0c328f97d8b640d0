// Admin API for globals: GET /admin/globals, PUT and DELETE /admin/globals/:name (docs/globals.md).
import type { FastifyInstance } from 'fastify';
import { parseJsonSafe } from '../../core/json.js';
import type { JsonValue } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';
import { listGlobals, removeGlobal, setGlobal } from '../../globals/global-admin.js';
import type { Store } from '../../store/store.js';

/** `{"value": "text"}` stores text; `{"value": <other JSON>}` or `{"json": "<JSON text>"}` stores JSON. */
function parseBody(name: string, body: unknown): { text: string; type: 'text' | 'json' } {
  let doc: JsonValue;
  try {
    doc = parseJsonSafe(typeof body === 'string' ? body : '');
  } catch {
    throw new PlatformError('ERR_GLOBAL_VALUE', {
      name,
      reason: 'the body must be JSON: {"value": …} or {"json": "…"}',
    });
  }
  if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) {
    if (typeof doc.json === 'string') return { text: doc.json, type: 'json' };
    if (Object.hasOwn(doc, 'value')) {
      const v = doc.value!;
      return typeof v === 'string'
        ? { text: v, type: 'text' }
        : { text: JSON.stringify(v), type: 'json' };
    }
  }
  throw new PlatformError('ERR_GLOBAL_VALUE', {
    name,
    reason: 'the body must be {"value": …} or {"json": "…"}',
  });
}

/** Registers the globals routes on the (already authenticated) admin scope. */
export function registerGlobalRoutes(
  admin: FastifyInstance,
  t: { store: Store; environment: string },
): void {
  admin.get('/globals', async () => ({
    environment: t.environment,
    globals: await listGlobals(t.store, t.environment),
  }));
  admin.put<{ Params: { name: string }; Body: string }>('/globals/:name', async (req) => {
    const { text, type } = parseBody(req.params.name, req.body);
    return {
      environment: t.environment,
      global: await setGlobal(t.store, t.environment, req.params.name, text, type),
    };
  });
  admin.delete<{ Params: { name: string } }>('/globals/:name', async (req) => {
    await removeGlobal(t.store, t.environment, req.params.name);
    return { environment: t.environment, removed: req.params.name };
  });
}
