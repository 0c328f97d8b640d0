// ConsoleEvents.wants: true exactly while a subscriber of the topic is connected (the gateway builds no event data otherwise).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ConsoleEvents, EVENT_TOPICS } from './event-hub.js';
import type { EventTopic } from './event-hub.js';

describe('ConsoleEvents.wants', () => {
  it('follows the subscribers of each topic', () => {
    const hub = new ConsoleEvents({ heartbeatMs: 60_000 });
    try {
      for (const t of EVENT_TOPICS) expect(hub.wants(t)).toBe(false);
      const sink = new PassThrough();
      const off = hub.subscribe(new Set<EventTopic>(['execution']), sink);
      expect(EVENT_TOPICS.filter((t) => hub.wants(t))).toEqual(['execution']);
      const off2 = hub.subscribe(new Set<EventTopic>(['log', 'execution']), new PassThrough());
      expect(EVENT_TOPICS.filter((t) => hub.wants(t))).toEqual(['execution', 'log']);
      off();
      expect(EVENT_TOPICS.filter((t) => hub.wants(t))).toEqual(['execution', 'log']);
      off2();
      for (const t of EVENT_TOPICS) expect(hub.wants(t)).toBe(false);
    } finally {
      hub.close();
    }
  });
});
