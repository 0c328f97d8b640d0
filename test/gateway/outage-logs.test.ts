// Issue 18 item 4: while the store is down, repeated failures log their first line and then a count, not a storm.
import { describe, expect, it } from 'vitest';
import { consumer, echoPipeline, startHarness } from './harness.js';

describe('log storms during an outage', () => {
  it('logs "usage recorder cannot write" and "change feed poll failed" once per interval, with the count', async () => {
    const h = await startHarness(
      { 'keyed.json': echoPipeline('keyed', { auth: { apiKey: true } }) },
      // Refused-request events are aggregated per window: a short window makes the recorder write (and fail) at once.
      {
        pollIntervalMs: 20,
        faults: { logRepeatIntervalMs: 60_000 },
        monitoring: { refusalWindowMs: 100 },
      },
    );
    const key = await consumer(h, 'acme');
    const from = h.logs.length;
    await h.gw.store.close();
    // Each refused request queues a usage event; the recorder retries every 200 ms, the poller every 20 ms.
    const started = Date.now();
    while (Date.now() - started < 1500) {
      expect((await h.fetch('/pipeline/local/v1/keyed', { headers: { apikey: key } })).status).toBe(
        503,
      );
      await new Promise((r) => setTimeout(r, 50));
    }
    const lines = h.logs
      .slice(from)
      .map((l) => JSON.parse(l) as { msg: string; repeated?: number });
    const count = (msg: string): number => lines.filter((l) => l.msg === msg).length;
    // Unthrottled: ~70 poll warnings and ~7 usage errors in 1.5 s.
    expect(count('change feed poll failed')).toBe(1);
    expect(count('usage recorder cannot write')).toBe(1);
    expect(lines.find((l) => l.msg === 'change feed poll failed')!.repeated).toBe(0);
    await h.close().catch(() => undefined);
  });
});
