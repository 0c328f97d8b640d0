// Cancellation of one execution; the AbortSignal is created only when a step asks for it (it is costly).

/** Tracks whether an execution was aborted and why; rejects `whenAborted` at that moment. */
export class AbortState {
  aborted = false;
  reason: unknown = undefined;
  readonly whenAborted: Promise<never>;
  private controller: AbortController | undefined;
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
}
