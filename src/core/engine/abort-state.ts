// Cancellation of one execution; the AbortSignal is created only when a step asks for it (it is costly).
import { EventEmitter } from 'node:events';

/**
 * The cheap form of an abort signal: an EventEmitter with `aborted` and `reason` that emits `abort`
 * once. undici accepts it as a request's `signal` (its EventEmitter form) and then adds and removes
 * a plain listener instead of creating an AbortController and going through EventTarget, which
 * costs ~25 µs of CPU per upstream call (bench/http-proxy.md). Same reason as the AbortSignal.
 */
export class AbortEvents extends EventEmitter {
  aborted = false;
  reason: unknown = undefined;

  constructor() {
    super();
    this.setMaxListeners(0);
  }

  /** Aborts once: sets the reason and emits `abort`. */
  fire(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.emit('abort');
  }
}

/** Tracks whether an execution was aborted and why; rejects `whenAborted` at that moment. */
export class AbortState {
  aborted = false;
  reason: unknown = undefined;
  readonly whenAborted: Promise<never>;
  private controller: AbortController | undefined;
  private emitter: AbortEvents | undefined;
  private rejectAborted!: (reason: unknown) => void;

  constructor() {
    this.whenAborted = new Promise<never>((_, reject) => {
      this.rejectAborted = reject;
    });
    this.whenAborted.catch(() => undefined);
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    this.emitter?.fire(this.controller ? this.controller.signal.reason : abortReason(reason));
    this.rejectAborted(reason);
  }

  /** A standard AbortSignal following this state (for fetch, timers, drivers). */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** The cheap EventEmitter form (for undici requests); its reason is the AbortSignal's. */
  get events(): AbortEvents {
    if (!this.emitter) {
      this.emitter = new AbortEvents();
      if (this.aborted)
        this.emitter.fire(
          this.controller ? this.controller.signal.reason : abortReason(this.reason),
        );
    }
    return this.emitter;
  }
}

/** What AbortController.abort(reason) makes the signal's reason: the reason, or an AbortError. */
function abortReason(reason: unknown): unknown {
  return reason === undefined
    ? new DOMException('This operation was aborted', 'AbortError')
    : reason;
}
