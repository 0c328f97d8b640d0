// Opens SharedState instances against a real Redis for the shared-state tests, with their logs and
// metrics captured, and closes them (and any TCP proxies the test started) after each test.
import { Registry } from 'prom-client';
import { afterEach } from 'vitest';
import { createSharedState } from '../../src/gateway/shared-state/shared-state.js';
import type { SharedState } from '../../src/gateway/shared-state/shared-state.js';
import type { TcpProxy } from './tcp-proxy.js';

/** The Redis the machine runs (docs/scaling.md; `.ci/run` starts it when it is down). */
export const REDIS = 'redis://127.0.0.1:6379';

export interface Logged {
  level: 'warn' | 'info';
  msg: string;
  details: Record<string, unknown>;
}

export interface OpenedState {
  state: SharedState;
  logs: Logged[];
  registry: Registry;
}

/**
 * Call once at the top of a test file: `open(url, keyPrefix, onOutage)` connects a SharedState whose
 * log lines and metrics the test can read; `proxies` collects TCP proxies to close after the test.
 */
export function sharedStateHarness(): {
  open(url: string, keyPrefix: string, onOutage?: 'open' | 'closed'): Promise<OpenedState>;
  proxies: TcpProxy[];
} {
  const opened: SharedState[] = [];
  const proxies: TcpProxy[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });
  async function open(
    url: string,
    keyPrefix: string,
    onOutage: 'open' | 'closed' = 'open',
  ): Promise<OpenedState> {
    const logs: Logged[] = [];
    const registry = new Registry();
    const state = await createSharedState(
      { url, keyPrefix, onOutage },
      {
        environment: 'test',
        registry,
        logRepeatIntervalMs: 60_000,
        connectWaitMs: 500,
        log: {
          warn: (details, msg) => void logs.push({ level: 'warn', msg, details }),
          info: (details, msg) => void logs.push({ level: 'info', msg, details }),
        },
      },
    );
    opened.push(state);
    return { state, logs, registry };
  }
  return { open, proxies };
}
