// The change-feed poller: topics reported once applied, a failed apply retried on the next poll.
import { describe, expect, it } from 'vitest';
import type { ChangeEvent, Store } from '../store/store.js';
import { startChangePoller } from './change-poller.js';

function fakeStore(events: ChangeEvent[]): Store {
  return {
    changes: {
      since: async (seq: number) => events.filter((e) => e.seq > seq),
      latest: async () => 0,
      purge: async () => 0,
    },
  } as unknown as Store;
}

const ev = (seq: number, topic: ChangeEvent['topic']): ChangeEvent => ({
  seq,
  environment: 'test',
  topic,
  ref: 'x',
  action: 'deploy',
  at: 0,
});

describe('startChangePoller', () => {
  it('reports new topics after the start position and retries a failed apply', async () => {
    const events = [ev(1, 'consumers'), ev(2, 'deployments')];
    const seen: string[][] = [];
    let fail = true;
    const errors: unknown[] = [];
    const poller = startChangePoller(
      {
        store: fakeStore(events),
        environment: 'test',
        intervalMs: 60_000,
        onChange: async (topics) => {
          seen.push([...topics].sort());
          if (fail) throw new Error('store down');
        },
        onError: (e) => errors.push(e),
      },
      1,
    );
    await poller.pollNow();
    expect(poller.healthy).toBe(false);
    fail = false;
    await poller.pollNow();
    await poller.pollNow();
    expect(seen).toEqual([['deployments'], ['deployments']]);
    expect(errors).toHaveLength(1);
    expect(poller.healthy).toBe(true);
    await poller.stop();
  });
});
