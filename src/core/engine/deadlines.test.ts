// The deadline queues fire every uncancelled deadline when a timer of its own would (simulated clock).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Deadlines } from './deadlines.js';
import type { Deadline, DeadlineClock } from './deadlines.js';

/** Node's timers on a simulated millisecond clock: a delay outside 1 … 2^31-1 is 1 ms. */
interface SimTimer {
  at: number;
  seq: number;
  fn: () => void;
  live: boolean;
  ref: boolean;
}

class SimClock implements DeadlineClock {
  t = 0;
  #seq = 0;
  readonly #timers: SimTimer[] = [];
  live = 0;

  now(): number {
    return this.t;
  }
  setTimer(fn: () => void, ms: number): unknown {
    const delay = ms >= 1 && ms <= 2 ** 31 - 1 ? ms : 1;
    const h = { at: this.t + delay, seq: this.#seq++, fn, live: true, ref: true };
    this.#timers.push(h);
    this.live++;
    return h;
  }
  clearTimer(handle: unknown): void {
    const h = handle as { live: boolean } | undefined;
    if (h?.live) {
      h.live = false;
      this.live--;
    }
  }
  refTimer(handle: unknown, ref: boolean): void {
    (handle as SimTimer).ref = ref;
  }
  /** Timers that would keep the process alive. */
  get refd(): number {
    return this.#timers.filter((h) => h.live && h.ref).length;
  }
  advance(ms: number): void {
    const target = this.t + ms;
    for (;;) {
      let next: SimTimer | undefined;
      for (const h of this.#timers)
        if (
          h.live &&
          h.at <= target &&
          (!next || h.at < next.at || (h.at === next.at && h.seq < next.seq))
        )
          next = h;
      if (!next) break;
      this.t = Math.max(this.t, next.at);
      next.live = false;
      this.live--;
      next.fn();
    }
    this.t = target;
  }
}

/** The general path: a timer per deadline, as run-pipeline had. */
function ownTimers(clock: DeadlineClock) {
  return {
    after(ms: number, fire: () => void): Deadline {
      const h = clock.setTimer(fire, ms);
      return { cancel: () => clock.clearTimer(h) };
    },
  };
}

type Op =
  | { kind: 'after'; ms: number }
  | { kind: 'cancel'; index: number }
  | { kind: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('after' as const),
      ms: fc.oneof(fc.constantFrom(5, 10, 30), fc.constantFrom(0, -1, Number.NaN, 2 ** 31)),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancel' as const), index: fc.nat(60) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('advance' as const),
      ms: fc.integer({ min: 0, max: 12 }),
    }),
  },
);

/** When each deadline fired (simulated ms), by its index; and the timers still set at the end. */
function run(ops: Op[], make: (c: SimClock) => { after(ms: number, f: () => void): Deadline }) {
  const clock = new SimClock();
  const d = make(clock);
  const handles: Deadline[] = [];
  const fired = new Map<number, number>();
  for (const o of ops) {
    if (o.kind === 'after') {
      const id = handles.length;
      handles.push(
        d.after(o.ms, () => {
          expect(fired.has(id)).toBe(false);
          fired.set(id, clock.t);
        }),
      );
    } else if (o.kind === 'cancel') handles[o.index % Math.max(1, handles.length)]?.cancel();
    else clock.advance(o.ms);
  }
  const refdBefore = clock.refd;
  clock.advance(100);
  return {
    fired: [...fired].sort((a, b) => a[0] - b[0]),
    refdBefore,
    refdAfter: clock.refd,
  };
}

describe('Deadlines', () => {
  it('fire what a timer per deadline fires, at the same moment (generated sequences)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const queued = run(ops, (c) => new Deadlines(c));
        const own = run(ops, ownTimers);
        expect(queued.fired).toEqual(own.fired);
        // A timer keeps the process alive exactly while a deadline waits (as with own timers), and
        // at most one per timeout length.
        expect(queued.refdBefore > 0).toBe(own.refdBefore > 0);
        expect(queued.refdAfter).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it('keep the queue consistent when a firing deadline sets or cancels others', () => {
    const clock = new SimClock();
    const d = new Deadlines(clock);
    const log: string[] = [];
    const box: { later?: Deadline } = {};
    d.after(10, () => {
      log.push('first');
      box.later!.cancel();
      d.after(10, () => log.push('again'));
    });
    box.later = d.after(10, () => log.push('later'));
    const first = d.after(5, () => log.push('five'));
    clock.advance(20);
    expect(log).toEqual(['five', 'first', 'again']);
    first.cancel();
    expect(clock.refd).toBe(0);
  });

  it('drops cancelled deadlines: an idle queue keeps one unref`d timer, re-used by the next', () => {
    const clock = new SimClock();
    const d = new Deadlines(clock);
    const all = Array.from({ length: 5000 }, () => d.after(30, () => undefined));
    expect([clock.live, clock.refd]).toEqual([1, 1]);
    for (const h of all) h.cancel();
    expect([clock.live, clock.refd]).toEqual([1, 0]);
    for (let i = 0; i < 100; i++) d.after(30, () => undefined).cancel();
    expect([clock.live, clock.refd]).toEqual([1, 0]);
    let fired = false;
    clock.advance(10);
    d.after(30, () => (fired = true));
    clock.advance(29);
    expect(fired).toBe(false);
    clock.advance(1);
    expect([fired, clock.live, clock.refd]).toEqual([true, 0, 0]);
  });

  it('compacts a queue whose live head holds many cancelled deadlines behind it', () => {
    const ops: Op[] = [{ kind: 'after', ms: 30 }];
    for (let i = 1; i <= 5000; i++) ops.push({ kind: 'after', ms: 30 });
    for (let i = 1; i <= 5000; i++) if (i % 100 !== 0) ops.push({ kind: 'cancel', index: i });
    ops.push({ kind: 'advance', ms: 29 }, { kind: 'cancel', index: 200 }, { kind: 'after', ms: 5 });
    const queued = run(ops, (c) => new Deadlines(c));
    expect(queued.fired).toEqual(run(ops, ownTimers).fired);
    expect(queued.fired.length).toBe(1 + 49 + 1);
  });
});
