// Test-only connectors (not shipped): a step that waits, honouring the abort signal, and one that crashes.
import { defineConnector } from '../../src/core/connector.js';
import type { AnyConnector } from '../../src/core/connector.js';
import { createRegistry } from '../../src/core/registry.js';
import type { ConnectorRegistry } from '../../src/core/registry.js';
import { builtInConnectors } from '../../src/connectors/index.js';

/** How many test-sleep steps have started (lets tests wait until requests are in flight), and aborts seen. */
export const sleepProbe = { started: 0, aborted: [] as string[] };

/** Waits `ms` milliseconds, or until the execution is aborted. */
export const testSleep = defineConnector<{ ms: number }>({
  type: 'test-sleep',
  version: 1,
  title: 'Sleep (tests)',
  category: 'tools',
  summary: 'Test only: waits, then passes the message on.',
  failOnErrorDefault: true,
  parameters: {
    ms: { schema: { type: 'integer', minimum: 0 }, required: true, description: 'Milliseconds.' },
  },
  run(ctx, { params, message }) {
    return new Promise((resolve, reject) => {
      sleepProbe.started++;
      const timer = setTimeout(() => resolve(message), params.ms);
      ctx.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          sleepProbe.aborted.push(String((ctx.signal.reason as { code?: string })?.code));
          reject(ctx.signal.reason as Error);
        },
        { once: true },
      );
    });
  },
});

/** Throws a programmer error: the engine and the gateway must not leak its text. */
export const testCrash = defineConnector<Record<string, never>>({
  type: 'test-crash',
  version: 1,
  title: 'Crash (tests)',
  category: 'tools',
  summary: 'Test only: throws an unexpected error.',
  failOnErrorDefault: true,
  parameters: {},
  run() {
    throw new TypeError('internal detail that must not reach the caller');
  },
});

/** The shipped connectors plus the test-only ones. */
export function testRegistry(extra: readonly AnyConnector[] = []): ConnectorRegistry {
  return createRegistry([...builtInConnectors, testSleep, testCrash, ...extra]);
}
