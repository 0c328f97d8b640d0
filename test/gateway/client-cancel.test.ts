// A client that goes away cancels its execution: the running step sees its abort signal fire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './harness.js';
import { eventually, sleepProbe, startHarness } from './harness.js';

const slow = JSON.stringify({
  name: 'slow',
  version: '1.0',
  trigger: { type: 'rest', routes: ['/slow'], removePrefix: true, timeoutMs: 60_000 },
  steps: [{ type: 'test-sleep', ms: 30_000 }],
});

describe('client disconnect', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ 'slow.json': slow });
  });
  afterAll(async () => h.close());

  it('aborts the in-flight execution with ERR_GATEWAY_CLIENT_CLOSED', async () => {
    const started = sleepProbe.started;
    const aborted = sleepProbe.aborted.length;
    const client = new AbortController();
    const request = h
      .fetch('/slow', { method: 'POST', signal: client.signal })
      .catch((err: Error) => err);
    await eventually(async () => expect(sleepProbe.started).toBe(started + 1));
    client.abort();
    expect(await request).toBeInstanceOf(Error);
    await eventually(async () =>
      expect(sleepProbe.aborted.slice(aborted)).toEqual(['ERR_GATEWAY_CLIENT_CLOSED']),
    );
  });
});
