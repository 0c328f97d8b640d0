// Live updates for the console: a bounded set of server-sent-event subscribers, topics, heartbeat and a periodic overview.
import { PlatformError } from '../errors/index.js';

export const EVENT_TOPICS = ['execution', 'log', 'anomaly', 'overview'] as const;
export type EventTopic = (typeof EVENT_TOPICS)[number];

/** Defaults (docs/console.md "Live events"). */
export const MAX_SUBSCRIBERS = 32;
export const HEARTBEAT_MS = 15_000;
export const OVERVIEW_MS = 5_000;
/** A subscriber whose unsent output passes this is too slow and is disconnected. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** The stream a subscriber writes to (an HTTP response). */
export interface EventSink {
  write(chunk: string): boolean;
  end(): void;
  readonly writableLength: number;
}

export interface ConsoleEventsOptions {
  maxSubscribers?: number;
  heartbeatMs?: number;
  overviewMs?: number;
  /** The payload of the periodic `overview` event (the overview counters); errors skip one tick. */
  overview?: () => Promise<unknown>;
}

interface Subscriber {
  topics: ReadonlySet<EventTopic>;
  sink: EventSink;
}

/** Parses `?topics=a,b` (default: every topic). */
export function parseTopics(text: string | undefined): Set<EventTopic> {
  if (text === undefined || text.trim() === '') return new Set(EVENT_TOPICS);
  const out = new Set<EventTopic>();
  for (const t of text.split(',').map((s) => s.trim())) {
    if (!(EVENT_TOPICS as readonly string[]).includes(t))
      throw new PlatformError('ERR_CONSOLE_REQUEST', {
        option: 'topics',
        reason: `expected a comma-separated list of ${EVENT_TOPICS.join(', ')}`,
      });
    out.add(t as EventTopic);
  }
  return out;
}

/**
 * Fans events out to at most `maxSubscribers` streams. Each event is one `event: <topic>` /
 * `data: <JSON>` block; a `: heartbeat` comment keeps idle connections (and proxies) open; the
 * overview is computed once per tick for all subscribers, and only while someone listens to it.
 */
export class ConsoleEvents {
  readonly maxSubscribers: number;
  readonly #subs = new Set<Subscriber>();
  readonly #overview: (() => Promise<unknown>) | undefined;
  readonly #overviewMs: number;
  #heartbeat: NodeJS.Timeout | null = null;
  #overviewTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(o: ConsoleEventsOptions = {}) {
    this.maxSubscribers = o.maxSubscribers ?? MAX_SUBSCRIBERS;
    this.#overview = o.overview;
    this.#overviewMs = o.overviewMs ?? OVERVIEW_MS;
    const heartbeatMs = o.heartbeatMs ?? HEARTBEAT_MS;
    this.#heartbeat = setInterval(() => this.#broadcast(null, ': heartbeat\n\n'), heartbeatMs);
    this.#heartbeat.unref();
  }

  get size(): number {
    return this.#subs.size;
  }

  /**
   * Adds a subscriber; returns its unsubscribe. ERR_CONSOLE_EVENTS_BUSY when full, or when closing.
   */
  subscribe(topics: ReadonlySet<EventTopic>, sink: EventSink): () => void {
    if (this.#closed || this.#subs.size >= this.maxSubscribers)
      throw new PlatformError('ERR_CONSOLE_EVENTS_BUSY', { max: this.maxSubscribers });
    const sub: Subscriber = { topics, sink };
    this.#subs.add(sub);
    if (topics.has('overview')) this.#startOverview();
    return () => {
      this.#subs.delete(sub);
      if (![...this.#subs].some((s) => s.topics.has('overview'))) this.#stopOverview();
    };
  }

  /**
   * Whether some subscriber listens to `topic`: callers check it before building an event's data, so
   * a gateway without an open console builds nothing per request (bench/gateway-monitoring.md).
   */
  wants(topic: EventTopic): boolean {
    if (this.#subs.size === 0) return false;
    for (const s of this.#subs) if (s.topics.has(topic)) return true;
    return false;
  }

  /** Sends an event to every subscriber of its topic. */
  publish(topic: EventTopic, data: unknown): void {
    if (this.#subs.size === 0) return;
    this.#broadcast(topic, `event: ${topic}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends every stream (gateway shutdown) and refuses new ones. */
  close(): void {
    this.#closed = true;
    if (this.#heartbeat) clearInterval(this.#heartbeat);
    this.#stopOverview();
    for (const s of this.#subs) s.sink.end();
    this.#subs.clear();
  }

  #broadcast(topic: EventTopic | null, chunk: string): void {
    for (const s of this.#subs) {
      if (topic !== null && !s.topics.has(topic)) continue;
      if (s.sink.writableLength > MAX_BUFFERED_BYTES) {
        this.#subs.delete(s);
        s.sink.end();
        continue;
      }
      s.sink.write(chunk);
    }
  }

  #startOverview(): void {
    if (this.#overviewTimer || !this.#overview) return;
    const tick = (): void => {
      this.#overview!().then(
        (data) => this.publish('overview', data),
        () => undefined,
      );
    };
    this.#overviewTimer = setInterval(tick, this.#overviewMs);
    this.#overviewTimer.unref();
    tick();
  }

  #stopOverview(): void {
    if (this.#overviewTimer) clearInterval(this.#overviewTimer);
    this.#overviewTimer = null;
  }
}
