// The detector's evidence across steps: kept within the longest window, restarted after it.
import { describe, expect, it } from 'vitest';
import type { AnomalyObservation } from '../../store/anomaly-records.js';
import type { NewTokenUsageEvent } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { resolveAnomalySettings } from './anomaly-settings.js';
import { AnomalyDetector } from './detector.js';

/** An in-memory stand-in for store.anomalies: window counts summed over every step, raises recorded. */
function fakeStore(): { store: Store; raised: AnomalyObservation[] } {
  const counts = new Map<string, number>();
  const raised: AnomalyObservation[] = [];
  const anomalies = {
    async addCounts(_env: string, rows: { rule: string; subject: string; count: number }[]) {
      for (const r of rows)
        counts.set(`${r.rule}|${r.subject}`, (counts.get(`${r.rule}|${r.subject}`) ?? 0) + r.count);
    },
    async touchTokenIps() {},
    async sumCounts(_env: string, rule: string, subjects: string[]) {
      return new Map(subjects.map((s) => [s, counts.get(`${rule}|${s}`) ?? 0]));
    },
    async tokenIps() {
      return new Map();
    },
    async raise(_env: string, o: AnomalyObservation) {
      raised.push(o);
      counts.clear();
      return { anomaly: { rule: o.rule } as never, created: true };
    },
  };
  return { store: { anomalies } as unknown as Store, raised };
}

const forged = (time: number, ip: string): NewTokenUsageEvent =>
  ({
    time,
    kind: 'auth',
    outcome: 'denied',
    reason: 'bad_signature',
    status: 401,
    clientIp: ip,
    credentialKind: 'jwt',
    pipeline: 'p',
  }) as NewTokenUsageEvent;

async function firstSeenAfterGap(gapMs: number): Promise<{ firstSeen: number; ips: string[] }> {
  const { store, raised } = fakeStore();
  let now = 1_000_000_000;
  const detector = new AnomalyDetector({
    store,
    environment: 'test',
    realm: 'local',
    settings: resolveAnomalySettings({
      thresholds: { forged_token: { count: 2, windowMs: 600_000 } },
    }),
    onRaised: () => undefined,
    onError: (err) => {
      throw err;
    },
    now: () => now,
  });
  const t0 = now;
  detector.observe({ ...forged(t0, '10.0.0.1'), clientIp: '10.0.0.1' });
  await detector.tick();
  await detector.tick();
  expect(raised).toHaveLength(0);
  now += gapMs;
  detector.observe({ ...forged(now, '10.0.0.1') });
  await detector.tick();
  expect(raised).toHaveLength(1);
  return { firstSeen: raised[0]!.firstSeen, ips: raised[0]!.clientIps };
}

describe('AnomalyDetector evidence', () => {
  it('keeps the first event of a subject seen again within the longest window', async () => {
    const r = await firstSeenAfterGap(60_000);
    expect(r.firstSeen).toBe(1_000_000_000);
  });

  it('restarts the evidence of a subject last seen before the longest window', async () => {
    // token_rate_spike's trailing hour plus its minute is the longest default window.
    const gap = 3_600_000 + 60_000 + 1;
    const r = await firstSeenAfterGap(gap);
    expect(r.firstSeen).toBe(1_000_000_000 + gap);
  });
});
