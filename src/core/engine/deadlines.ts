// Execution timeouts: one timer per timeout length for all running executions, not one per execution.

/*
 * A setTimeout/clearTimeout pair per execution (a Timeout object, the timer list's insert and
 * unenroll) was ~1 % of the event loop per gateway request. Executions of one trigger share their
 * timeout length, so their deadlines come in the order they were set: a FIFO queue per length is
 * sorted without a heap, and one Node timer, set for the queue's first live deadline, serves it.
 * A cancelled entry is only marked; dead entries are dropped from the head as executions end
 * (mostly in order), and the queue is compacted when they outnumber the live ones.
 * A deadline never fires before its time on performance.now(): when Node's millisecond loop clock
 * lets the timer fire a fraction of a millisecond short, the queue waits one more millisecond.
 */

/** A scheduled deadline; `cancel()` is idempotent. */
export interface Deadline {
  cancel(): void;
}

/** Time and timers (tests pass a simulated clock). */
export interface DeadlineClock {
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Whether the timer keeps the process alive (Timeout#ref / #unref). */
  refTimer(handle: unknown, ref: boolean): void;
}

const systemTimers: DeadlineClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
  refTimer: (h, ref) => void (ref ? (h as NodeJS.Timeout).ref() : (h as NodeJS.Timeout).unref()),
};

class Entry implements Deadline {
  /** Taken off its queue by the timer, to be fired (a cancel until then still stops it). */
  due = false;

  constructor(
    readonly at: number,
    public fire: (() => void) | null,
    readonly queue: DeadlineQueue,
  ) {}

  cancel(): void {
    if (this.fire === null) return;
    this.fire = null;
    if (!this.due) this.queue.cancelled();
  }
}

class DeadlineQueue {
  #entries: Entry[] = [];
  #head = 0;
  #live = 0;
  #timer: unknown = undefined;
  /** The timer is set but unref'd: no deadline is waiting. */
  #idle = false;

  constructor(
    readonly ms: number,
    readonly clock: DeadlineClock,
  ) {}

  add(fire: () => void): Entry {
    const e = new Entry(this.clock.now() + this.ms, fire, this);
    this.#entries.push(e);
    this.#live++;
    if (this.#timer === undefined) this.#timer = this.clock.setTimer(this.#onTimer, this.ms);
    else if (this.#idle) {
      this.#idle = false;
      this.clock.refTimer(this.#timer, true);
    }
    return e;
  }

  cancelled(): void {
    this.#live--;
    if (this.#live === 0) {
      // Executions that start and end one after the other would otherwise set and clear a timer
      // each: the timer stays set, unref'd (it does not keep the process alive), and when it fires
      // early for a later deadline it is set again for that one.
      this.#idle = true;
      this.clock.refTimer(this.#timer, false);
      this.#entries = [];
      this.#head = 0;
      return;
    }
    this.#dropDeadHead();
    const waiting = this.#entries.length - this.#head;
    if (waiting > 1024 && waiting > 4 * this.#live) {
      this.#entries = this.#entries.filter((e, i) => i >= this.#head && e.fire !== null);
      this.#head = 0;
    }
  }

  #dropDeadHead(): void {
    const entries = this.#entries;
    while (this.#head < entries.length && entries[this.#head]!.fire === null) this.#head++;
    if (this.#head > 1024 && this.#head * 2 > entries.length) {
      this.#entries = entries.slice(this.#head);
      this.#head = 0;
    }
  }

  readonly #onTimer = (): void => {
    this.#timer = undefined;
    this.#idle = false;
    const now = this.clock.now();
    const entries = this.#entries;
    const due: Entry[] = [];
    while (this.#head < entries.length) {
      const e = entries[this.#head]!;
      if (e.fire !== null) {
        if (e.at > now) break;
        e.due = true;
        due.push(e);
        this.#live--;
      }
      this.#head++;
    }
    if (this.#live === 0) {
      this.#entries = [];
      this.#head = 0;
    } else {
      this.#dropDeadHead();
      const first = this.#entries[this.#head]!;
      this.#timer = this.clock.setTimer(this.#onTimer, Math.max(1, Math.ceil(first.at - now)));
    }
    // The queue is consistent before any callback runs (one may set or cancel deadlines, even one
    // due at the same moment, which then does not fire, as with a timer of its own).
    for (const e of due) {
      const fire = e.fire;
      if (fire === null) continue;
      e.fire = null;
      fire();
    }
  };
}

/** The longest delay setTimeout takes as given. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function ownTimer(clock: DeadlineClock, ms: number, fire: () => void): Deadline {
  const handle = clock.setTimer(fire, ms);
  return { cancel: () => clock.clearTimer(handle) };
}

/** Deadlines by timeout length (one queue, and at most one timer, per length). */
export class Deadlines {
  readonly #queues = new Map<number, DeadlineQueue>();

  constructor(readonly clock: DeadlineClock = systemTimers) {}

  /** Calls `fire` once `ms` have passed, unless cancelled before. */
  after(ms: number, fire: () => void): Deadline {
    // Outside setTimeout's range (Node then waits 1 ms): a timer of its own, as before the queues.
    if (!(ms >= 1 && ms <= MAX_TIMER_MS)) return ownTimer(this.clock, ms, fire);
    let q = this.#queues.get(ms);
    if (q === undefined) this.#queues.set(ms, (q = new DeadlineQueue(ms, this.clock)));
    return q.add(fire);
  }
}

/** The deadlines of this process's executions. */
export const executionDeadlines = new Deadlines();
