// Test-only connectors (not shipped): a step that waits, honouring the abort signal, and one that crashes.
import { defineConnector } from '../../src/core/connector.js';
import type { AnyConnector } from '../../src/core/connector.js';
import { createRegistry } from '../../src/core/registry.js';
import type { ConnectorRegistry } from '../../src/core/registry.js';
import { builtInConnectors } from '../../src/connectors/index.js';

/** Waits `ms` milliseconds, or until the execution is aborted. */
export const testDelay = defineConnector<{ ms: number }>({
  type: 'test-delay',
  version: 1,
  title: 'Test delay',
  category: 'tools',
  summary: 'Test only: waits, then passes the message on.',
  failOnErrorDefault: true,
  parameters: { ms: { schema: { type: 'integer', minimum: 0 }, required: true, description: 'Milliseconds.' } },
  run(ctx, { params, message }) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(message), params.ms);
      ctx.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(ctx.signal.reason as Error);
      }, { once: true });
    });
  },
});

/** Throws a plain (unexpected) error: the engine must not leak its text. */
export const testCrash = defineConnector<Record<string, never>>({
  type: 'test-crash',
  version: 1,
  title: 'Test crash',
  category: 'tools',
  summary: 'Test only: throws an unexpected error.',
  failOnErrorDefault: true,
  parameters: {},
  run() {
    throw new Error('internal detail: db password is hunter2');
  },
});

/** The shipped connectors plus the test-only ones. */
export function testRegistry(extra: readonly AnyConnector[] = []): ConnectorRegistry {
  return createRegistry([...builtInConnectors, testDelay, testCrash, ...extra]);
}
