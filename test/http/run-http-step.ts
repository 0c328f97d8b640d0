// Runs one-step pipelines with the http-request connector against real local servers (test helper).
import { httpRequest } from '../../src/connectors/http-request/index.js';
import type { AccountValue } from '../../src/core/account-types.js';
import { runPipeline, type ExecutionResult, type RunOptions } from '../../src/core/engine/index.js';
import type { JsonObject, JsonValue } from '../../src/core/json.js';
import { loadPipelineText } from '../../src/core/loader/index.js';
import { createRegistry } from '../../src/core/registry.js';
import type { HostServices } from '../../src/core/step-context.js';
import { PlatformError } from '../../src/errors/index.js';
import type { OutboundHttp } from '../../src/http-client/index.js';

const registry = createRegistry([httpRequest]);

/** An in-memory account store. */
export function accountsOf(values: Record<string, AccountValue>): NonNullable<HostServices['accounts']> {
  return {
    async resolve(label: string) {
      const v = Object.prototype.hasOwnProperty.call(values, label) ? values[label] : undefined;
      if (!v) throw new PlatformError('ERR_STORE_ACCOUNT_NOT_FOUND', { label, environment: 'test' });
      return v;
    },
  };
}

/** Loads a pipeline whose steps are given as objects (JSON is YAML). */
export function httpPipeline(steps: JsonObject[]) {
  const doc = { name: 'http-test', version: '1.0', steps };
  return loadPipelineText('http-test.yaml', JSON.stringify(doc), { registry });
}

/** Runs one http-request step (plus `extra` after it). */
export async function runHttpStep(
  http: OutboundHttp,
  step: JsonObject,
  options: Partial<RunOptions> & { accounts?: Record<string, AccountValue>; message?: JsonValue } = {},
): Promise<ExecutionResult> {
  const pipeline = httpPipeline([{ type: 'http-request', ...step }]);
  const host: HostServices = { outboundHttp: http, ...(options.accounts ? { accounts: accountsOf(options.accounts) } : {}) };
  return runPipeline(pipeline, { ...options, message: options.message ?? {}, host: { ...host, ...(options.host ?? {}) } });
}

/** The output as an object. */
export function out(result: ExecutionResult): JsonObject {
  return result.output as JsonObject;
}
