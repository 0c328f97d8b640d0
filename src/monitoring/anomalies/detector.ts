// The anomaly detector of one node: counts usage events in memory, adds them to the shared windows, raises anomalies.
import { LruMap } from '../../core/lru-map.js';
import type { Anomaly, AnomalyObservation, AnomalyRule } from '../../store/anomaly-records.js';
import type { NewTokenUsageEvent } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import { RULE_SEVERITY } from './anomaly-settings.js';
import type { AnomalySettings } from './anomaly-settings.js';
import { TOKEN_USE, classifyEvent } from './classify-event.js';
import type { AddHit, CounterName } from './classify-event.js';

/** Width of a window counter slice: windows are counted in whole slices (docs/anomalies.md). */
export const BUCKET_MS = 10_000;
/** A (jti, client IP) pair is re-written to the store at most this often per node. */
const PAIR_REFRESH_MS = 60_000;
/** Pairs remembered per node before the oldest are forgotten (then simply written again). */
const MAX_PAIRS = 100_000;
/** Subjects aggregated per tick before new ones are dropped (counted in `dropped`). */
const MAX_SUBJECTS = 50_000;
/** Subjects whose evidence (IPs, execution keys, first time) is kept across steps. */
const MAX_EVIDENCE = 20_000;

/** What the detector needs from its node. */
export interface DetectorOptions {
  store: Store;
  environment: string;
  realm: string;
  settings: AnomalySettings;
  /** Called for each anomaly this node opened (created: true) or updated (created: false). */
  onRaised(anomaly: Anomaly, created: boolean): void | Promise<void>;
  onError(err: unknown): void;
  now?: () => number;
}

interface Aggregate {
  counter: CounterName;
  subject: string;
  count: number;
  consumer: string | null;
  jti: string | null;
  ips: string[];
  keys: string[];
  first: number;
  last: number;
}

const bucketOf = (t: number): number => Math.floor(t / BUCKET_MS) * BUCKET_MS;

/** What this node saw of one subject over its window: the evidence an anomaly is raised with. */
interface Evidence {
  ips: string[];
  keys: string[];
  first: number;
  last: number;
}

function push(list: string[], value: string | null | undefined, max: number): void {
  if (value && list.length < max && !list.includes(value)) list.push(value);
}

/** The per-node detector. `observe` is synchronous and O(1); `tick` does the store work. */
export class AnomalyDetector {
  readonly #o: DetectorOptions;
  readonly #now: () => number;
  /** This tick's aggregates: counter → subject → aggregate (no key concatenation on the request path). */
  #pending = new Map<CounterName, Map<string, Aggregate>>();
  #subjects = 0;
  #pairs = new Map<string, { jti: string; clientIp: string; seenAt: number }>();
  /** (jti, ip) → when this node last wrote it. */
  readonly #written = new LruMap<number>(MAX_PAIRS);
  /** Last tick's subjects, looked at once more (another node's events may have committed since). */
  #recheck = new Map<string, Aggregate>();
  /** Tokens that had a new (jti, IP) pair last tick: their distinct IPs are counted once more. */
  #lastPairJtis = new Set<string>();
  /** counter\0subject → evidence, oldest first (bounded; entries older than the longest window restart). */
  readonly #evidence = new LruMap<Evidence>(MAX_EVIDENCE);
  #event: NewTokenUsageEvent | null = null;
  readonly #add: AddHit = (counter, subject) => this.#count(counter, subject, this.#event!);
  /** Observations not counted because MAX_SUBJECTS was reached within one tick. */
  dropped = 0;

  constructor(o: DetectorOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
  }

  /** Counts one usage event (the request path: no I/O, a few map operations). */
  observe(e: NewTokenUsageEvent): void {
    this.#event = e;
    classifyEvent(e, this.#add);
    this.#event = null;
    if (e.kind === 'auth' && e.jti && e.clientIp) this.#notePair(e.jti, e.clientIp, e.time);
  }

  #count(counter: CounterName, subject: string, e: NewTokenUsageEvent): void {
    let bySubject = this.#pending.get(counter);
    if (!bySubject) this.#pending.set(counter, (bySubject = new Map()));
    let a = bySubject.get(subject);
    if (!a) {
      if (this.#subjects >= MAX_SUBJECTS) {
        this.dropped += 1;
        return;
      }
      this.#subjects += 1;
      a = {
        counter,
        subject,
        count: 0,
        consumer: null,
        jti: null,
        ips: [],
        keys: [],
        first: e.time,
        last: e.time,
      };
      bySubject.set(subject, a);
    }
    a.count += 1;
    if (e.time > a.last) a.last = e.time;
    a.consumer ??= e.consumer ?? null;
    a.jti ??= e.jti ?? null;
    push(a.ips, e.clientIp, 20);
    push(a.keys, e.executionKey, 10);
  }

  #notePair(jti: string, clientIp: string, time: number): void {
    const key = `${jti}\u0000${clientIp}`;
    const last = this.#written.peek(key);
    if (last !== undefined && time - last < PAIR_REFRESH_MS) return;
    // Moved to the newest end; the oldest pair is forgotten beyond MAX_PAIRS. (An LruMap: evicting
    // from a plain Map's front costs O(entries) in V8, see core/lru-map.ts.)
    this.#written.set(key, time);
    this.#pairs.set(key, { jti, clientIp, seenAt: time });
  }

  /** True when nothing waits to be written or looked at again. */
  get idle(): boolean {
    return this.#subjects === 0 && this.#pairs.size === 0 && this.#recheck.size === 0;
  }

  /**
   * Writes this tick's counts to the shared windows, then evaluates every rule for the subjects seen
   * in this tick or the previous one, and raises anomalies. Errors go to onError (events of a failed
   * tick are lost to detection but stay in the usage log).
   */
  async tick(): Promise<void> {
    const batch = new Map<string, Aggregate>();
    for (const bySubject of this.#pending.values())
      for (const a of bySubject.values()) batch.set(`${a.counter}\u0000${a.subject}`, a);
    const pairs = [...this.#pairs.values()];
    this.#pending = new Map();
    this.#subjects = 0;
    this.#pairs = new Map();
    const recheck = this.#recheck;
    this.#recheck = new Map();
    if (batch.size === 0 && pairs.length === 0 && recheck.size === 0) return;
    const { store, environment: env } = this.#o;
    const now = this.#now();
    const restartBefore = now - this.#longestWindow();
    for (const [key, a] of batch) this.#remember(key, a, restartBefore);
    await store.anomalies.addCounts(
      env,
      [...batch.values()].map((a) => ({
        rule: a.counter,
        subject: a.subject,
        bucket: bucketOf(a.last),
        count: a.count,
      })),
    );
    await store.anomalies.touchTokenIps(env, pairs);
    const byCounter = new Map<CounterName, Aggregate[]>();
    const group = (a: Aggregate): void => {
      const list = byCounter.get(a.counter);
      if (list) list.push(a);
      else byCounter.set(a.counter, [a]);
    };
    for (const a of batch.values()) group(a);
    for (const [key, a] of recheck) if (!batch.has(key)) group({ ...a, count: 0 });
    for (const [counter, aggs] of byCounter) {
      if (counter === TOKEN_USE) await this.#tokenRules(aggs, pairs, now);
      else await this.#countRule(counter, aggs, now);
    }
    for (const [key, a] of batch) if (a.count > 0) this.#recheck.set(key, a);
  }

  /** A window-count rule: total over the window ≥ count. */
  async #countRule(
    rule: Exclude<CounterName, typeof TOKEN_USE>,
    aggs: Aggregate[],
    now: number,
  ): Promise<void> {
    const t = this.#o.settings.thresholds[rule];
    let totals: Map<string, number>;
    if (t.count <= 1) {
      totals = new Map(aggs.filter((a) => a.count > 0).map((a) => [a.subject, a.count]));
    } else {
      totals = await this.#o.store.anomalies.sumCounts(
        this.#o.environment,
        rule,
        aggs.map((a) => a.subject),
        bucketOf(now - t.windowMs),
        bucketOf(now) + BUCKET_MS,
      );
    }
    for (const a of aggs) {
      const total = totals.get(a.subject) ?? 0;
      if (total >= t.count) await this.#raise(rule, a, total, a.ips);
    }
  }

  /** token_rate_spike and token_multi_ip over the TOKEN_USE counters and the (jti, IP) table. */
  async #tokenRules(
    aggs: Aggregate[],
    pairs: { jti: string; clientIp: string }[],
    now: number,
  ): Promise<void> {
    const { store, environment: env, settings } = this.#o;
    const spike = settings.thresholds.token_rate_spike;
    const multi = settings.thresholds.token_multi_ip;
    const subjects = aggs.map((a) => a.subject);
    // "In a minute": the last six 10-second slices; the trailing hour: the 360 slices before them.
    const recentFrom = bucketOf(now) - 5 * BUCKET_MS;
    const recent = await store.anomalies.sumCounts(
      env,
      TOKEN_USE,
      subjects,
      recentFrom,
      recentFrom + 6 * BUCKET_MS + BUCKET_MS,
    );
    const candidates = aggs.filter((a) => (recent.get(a.subject) ?? 0) >= spike.min);
    if (candidates.length > 0) {
      const trailing = await store.anomalies.sumCounts(
        env,
        TOKEN_USE,
        candidates.map((a) => a.subject),
        recentFrom - 3_600_000,
        recentFrom,
      );
      for (const a of candidates) {
        const perMinute = recent.get(a.subject) ?? 0;
        const mean = (trailing.get(a.subject) ?? 0) / 60;
        if (perMinute >= spike.factor * mean)
          await this.#raise('token_rate_spike', a, perMinute, a.ips);
      }
    }
    // Distinct IPs: only tokens with a new (jti, IP) pair this tick or last tick can have crossed the bound.
    const newPairJtis = new Set(pairs.map((p) => `jti:${p.jti}`));
    const again = this.#lastPairJtis;
    this.#lastPairJtis = newPairJtis;
    const multiAggs = aggs.filter((a) => newPairJtis.has(a.subject) || again.has(a.subject));
    if (multiAggs.length === 0) return;
    const since = now - multi.windowMs;
    const ips = await store.anomalies.tokenIps(
      env,
      multiAggs.map((a) => a.subject.slice(4)),
      since,
    );
    const crossing = multiAggs.filter(
      (a) => (ips.get(a.subject.slice(4))?.length ?? 0) >= multi.ips,
    );
    if (crossing.length === 0) return;
    const uses = await store.anomalies.sumCounts(
      env,
      TOKEN_USE,
      crossing.map((a) => a.subject),
      bucketOf(since),
      bucketOf(now) + BUCKET_MS,
    );
    for (const a of crossing) {
      await this.#raise(
        'token_multi_ip',
        a,
        uses.get(a.subject) ?? a.count,
        ips.get(a.subject.slice(4)) ?? a.ips,
      );
    }
  }

  /** `restartBefore`: evidence last seen before this instant (the longest window ago) starts afresh. */
  #remember(key: string, a: Aggregate, restartBefore: number): void {
    let ev = this.#evidence.peek(key);
    if (!ev || ev.last < restartBefore) ev = { ips: [], keys: [], first: a.first, last: a.last };
    for (const ip of a.ips) push(ev.ips, ip, 20);
    for (const k of a.keys) push(ev.keys, k, 10);
    ev.first = Math.min(ev.first, a.first);
    ev.last = Math.max(ev.last, a.last);
    // Moved to the newest end; the oldest evidence is forgotten beyond MAX_EVIDENCE.
    this.#evidence.set(key, ev);
  }

  #longestWindow(): number {
    return Math.max(
      3_600_000 + 60_000,
      ...Object.values(this.#o.settings.thresholds).map((v) => ('windowMs' in v ? v.windowMs : 0)),
    );
  }

  async #raise(
    rule: AnomalyRule,
    a: Aggregate,
    windowCount: number,
    clientIps: string[],
  ): Promise<void> {
    const key = `${a.counter}\u0000${a.subject}`;
    const ev = this.#evidence.peek(key);
    // Reported: later evidence is merged into the stored anomaly (or starts the next one) afresh.
    this.#evidence.delete(key);
    const o: AnomalyObservation = {
      rule,
      subject: a.subject,
      severity: RULE_SEVERITY[rule],
      realm: this.#o.realm,
      consumer: a.consumer,
      jti: a.jti,
      clientIps: rule === 'token_multi_ip' ? clientIps : (ev?.ips ?? clientIps),
      sampleExecutionKeys: ev?.keys ?? a.keys,
      firstSeen: ev?.first ?? a.first,
      lastSeen: a.last,
      windowCount: Math.max(windowCount, a.count),
      newEvents: a.count,
    };
    const { anomaly, created } = await this.#o.store.anomalies.raise(this.#o.environment, o);
    try {
      await this.#o.onRaised(anomaly, created);
    } catch (err) {
      this.#o.onError(err);
    }
  }

  /** Deletes counters older than every window (the trailing hour of token_rate_spike is the longest default). */
  async purge(): Promise<number> {
    const now = this.#now();
    for (const [key, ev] of this.#evidence.entries())
      if (ev.last < now - this.#longestWindow()) this.#evidence.delete(key);
    return this.#o.store.anomalies.purgeWindows(now - this.#longestWindow() - 2 * BUCKET_MS);
  }
}
