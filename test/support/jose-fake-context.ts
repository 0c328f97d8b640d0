// A minimal StepContext and runner for calling the jose connector's prepare/run directly in tests.
import type { PrepareContext, StepInput } from '../../src/core/connector.js';
import type { AccountResolver, AccountValue } from '../../src/core/account-types.js';
import type { JsonObject, JsonValue } from '../../src/core/json.js';
import type { HostServices, StepContext } from '../../src/core/step-context.js';
import { PlatformError } from '../../src/errors/index.js';
import { joseConnector } from '../../src/connectors/jose/jose-connector.js';
import { parameterChecker, parameterProblem } from '../../src/core/parameter-values.js';
import '../../src/connectors/jose/key-source.js';

/** Options of the fake context. */
export interface FakeContextOptions {
  /** Frozen clock, epoch ms. */
  now?: number;
  accounts?: Record<string, AccountValue>;
  host?: HostServices;
}

/** An in-memory account resolver; unknown labels reject with a coded error naming only the label. */
export function fakeAccounts(values: Record<string, AccountValue>): AccountResolver & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async resolve(label: string) {
      calls.push(label);
      const v = Object.prototype.hasOwnProperty.call(values, label) ? values[label] : undefined;
      if (!v) throw new PlatformError('ERR_JOSE_KEY_SOURCE', { parameter: 'key', reason: `no account "${label}"` });
      return v;
    },
  };
}

/** Builds a StepContext with a frozen clock and recorded log lines. */
export function fakeContext(options: FakeContextOptions = {}): StepContext & { logs: string[] } {
  const logs: string[] = [];
  const now = options.now ?? Date.UTC(2026, 0, 1);
  const host: HostServices = options.host ?? (options.accounts ? { accounts: fakeAccounts(options.accounts) } : {});
  const headers: Record<string, string> = {};
  const memory = new Map<string, JsonValue>();
  // Cast: the lead's StepContext grows members (sessionFrame…) the jose connector never reads.
  const ctx = {
    logs,
    sessionFrame: '',
    executionKey: '00000000-0000-4000-8000-000000000000',
    signal: new AbortController().signal,
    clock: { now: () => now, uuid: () => '00000000-0000-4000-8000-000000000001', random: () => 0.5 },
    metadata: {},
    pipeline: { name: 'test', versionMajor: 1, versionMinor: 0, realm: 'local', environment: 'test', sensitiveFields: [] },
    request: {},
    auth: null,
    response: { headers, setHeader: (n: string, v: string) => void (headers[n] = v) },
    localSession: {
      get: (f: string) => memory.get(f),
      put: (f: string, v: JsonValue) => void memory.set(f, v),
      delete: (f: string) => void memory.delete(f),
    },
    host,
    stepPath: '/steps/0',
    log: (level: string, message: string) => void logs.push(`${level} ${message}`),
    mask: (text: string) => text,
  };
  return ctx as unknown as StepContext & { logs: string[] };
}

/** Result of prepare: the prepared data and every reported problem code. */
export function prepareStep(params: JsonObject): {
  prepared: ReturnType<NonNullable<typeof joseConnector.prepare>>;
  codes: string[];
  errors: Array<PlatformError & { subPath: string }>;
} {
  const errors: Array<PlatformError & { subPath: string }> = [];
  const ctx: PrepareContext = {
    path: '/steps/0',
    report: (e, subPath) => void errors.push(Object.assign(e, { subPath: subPath ?? '' })),
  };
  const prepared = joseConnector.prepare!(params, ctx);
  return { prepared, codes: errors.map((e) => e.code), errors };
}

/**
 * Prepares (failing on any load-time problem) then runs with `rendered` parameters (defaults to the
 * literal ones: what the engine would pass when no expression is involved).
 */
export async function runStep(params: JsonObject, ctx: StepContext = fakeContext(), rendered?: JsonObject): Promise<JsonValue> {
  const { prepared, errors } = prepareStep(params);
  if (errors[0]) throw errors[0];
  const input = { params: engineChecked(rendered ?? params), message: {}, prepared, flows: {}, branches: [] } as unknown as StepInput<Record<string, JsonValue>, typeof prepared>;
  return joseConnector.run(ctx, input);
}

/** The parameters as the engine hands them to `run`: each expression parameter checked and coerced. */
function engineChecked(params: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(params)) {
    const spec = joseConnector.parameters[name];
    if (!spec?.expression) {
      out[name] = value;
      continue;
    }
    const r = parameterChecker(spec)(value);
    if (!r.ok) {
      throw new PlatformError('ERR_STEP_PARAMETER_INVALID', { step: '/steps/0', type: 'jose', parameter: name, reason: parameterProblem(r.errors) });
    }
    if (r.value !== undefined) out[name] = r.value;
  }
  return out;
}

/** Runs and returns the coded error (or fails the test when the step succeeds). */
export async function runError(params: JsonObject, ctx?: StepContext, rendered?: JsonObject): Promise<PlatformError> {
  try {
    const out = await runStep(params, ctx, rendered);
    throw new Error(`expected a failure, got ${JSON.stringify(out)}`);
  } catch (err) {
    if (err instanceof PlatformError) return err;
    throw err;
  }
}
