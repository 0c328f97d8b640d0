// session-management: put / get / delete named top-level fields in execution (local) or token (global) memory.
import { defineConnector } from '../../core/connector.js';
import { defineOwn, getOwn, isJsonObject } from '../../core/json.js';
import type { JsonObject, JsonValue } from '../../core/json.js';
import type { StepContext } from '../../core/step-context.js';
import { PlatformError } from '../../errors/index.js';

declare module '../../core/step-context.js' {
  interface HostServices {
    /** Session data shared by the executions of one authenticated token (keyed by its jti). */
    globalSessions?: {
      get(key: string): Promise<JsonObject | undefined>;
      put(key: string, data: JsonObject, expiresAtSec: number): Promise<void>;
    };
  }
}

interface SessionParams {
  operation: 'get' | 'put' | 'delete';
  sessionType: 'local' | 'global';
  fields: string | string[];
  scoped: boolean;
}

/** Largest serialized size of one global session. */
const MAX_GLOBAL_SESSION_BYTES = 64 * 1024;

function fieldList(fields: string | string[]): string[] {
  const list = Array.isArray(fields) ? fields : fields.split(',');
  return list.map((f) => f.trim()).filter((f) => f.length > 0);
}

async function runGlobal(ctx: StepContext, p: SessionParams, fields: string[], message: JsonValue): Promise<JsonValue> {
  const store = ctx.host.globalSessions;
  const key = ctx.auth?.tokenId;
  if (!store || !key) throw new PlatformError('ERR_SESSION_GLOBAL_UNAVAILABLE');
  const data: JsonObject = { ...((await store.get(key)) ?? {}) };
  if (p.operation === 'get') return merge(message, fields, (f) => getOwn(data, f) as JsonValue | undefined);
  for (const f of fields) {
    if (p.operation === 'delete') delete data[f];
    else if (isJsonObject(message) && getOwn(message, f) !== undefined) defineOwn(data, f, message[f]!);
  }
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_GLOBAL_SESSION_BYTES) throw new PlatformError('ERR_SESSION_LIMIT', { limit: MAX_GLOBAL_SESSION_BYTES });
  const exp = ctx.auth?.tokenExp ?? Math.floor(ctx.clock.now() / 1000) + 900;
  await store.put(key, data, exp);
  return message;
}

function merge(message: JsonValue, fields: string[], read: (f: string) => JsonValue | undefined): JsonValue {
  const out: JsonObject = isJsonObject(message) ? { ...message } : {};
  for (const f of fields) {
    const v = read(f);
    if (v !== undefined) defineOwn(out, f, v);
  }
  return out;
}

export const sessionManagement = defineConnector<SessionParams>({
  type: 'session-management',
  version: 1,
  title: 'Session Management',
  category: 'structured-data',
  summary:
    'Keeps named top-level fields of the message in memory. `put` copies the listed fields of the incoming message into the session, `get` adds the stored ones to the outgoing message (overwriting fields of the same name), `delete` removes them; the message otherwise passes unchanged. `local` memory lives for this execution (with `scoped: true`, each loop iteration has its own); `global` memory is shared by the executions of the same authenticated JWT and expires with it.',
  failOnErrorDefault: false,
  parameters: {
    operation: { schema: { enum: ['get', 'put', 'delete'] }, default: 'get', description: 'What to do with the fields.' },
    sessionType: { schema: { enum: ['local', 'global'] }, default: 'local', description: 'local: this execution; global: this token.' },
    fields: {
      schema: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
      default: 'body, data, id',
      description: 'Top-level field names, as a list or comma-separated.',
    },
    scoped: { schema: { type: 'boolean' }, default: false, description: 'Isolate local data per loop iteration.' },
  },
  async run(ctx, { params, message }) {
    const fields = fieldList(params.fields);
    if (params.sessionType === 'global') return runGlobal(ctx, params, fields, message);
    const prefix = params.scoped ? `${ctx.sessionFrame}\u0000` : '';
    const session = ctx.localSession;
    if (params.operation === 'get') return merge(message, fields, (f) => session.get(prefix + f));
    for (const f of fields) {
      if (params.operation === 'delete') session.delete(prefix + f);
      else if (isJsonObject(message) && getOwn(message, f) !== undefined) session.put(prefix + f, message[f]!);
    }
    return message;
  },
  example: 'type: session-management\noperation: put\nfields: [userID, role]',
});
