// The cheap abort emitter (StepContext.abortEvents) cancels an upstream call exactly as the AbortSignal does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AbortState } from '../../src/core/engine/abort-state.js';
import { PlatformError, isPlatformError } from '../../src/errors/index.js';
import { createOutboundHttp } from '../../src/http-client/index.js';
import type { OutboundHttp, OutboundRequest } from '../../src/http-client/outbound-http.js';
import { EgressPolicy } from '../../src/security/egress/index.js';
import { json, startUpstream, type Upstream } from '../support/upstream.js';

type Form = 'signal' | 'events';
const signalOf = (state: AbortState, form: Form): OutboundRequest['signal'] =>
  form === 'signal' ? state.signal : state.events;

describe('abort: EventEmitter form vs AbortSignal', () => {
  let upstream: Upstream;
  let http: OutboundHttp;
  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url === '/hang') return; // never answers
      if (req.url === '/slow-body') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"part":');
        return; // the body never ends
      }
      json(res, 200, { hello: 'world' });
    });
    http = createOutboundHttp({ policy: new EgressPolicy(['127.0.0.1']) });
  });
  afterAll(async () => {
    await http.close();
    await upstream.close();
  });

  const call = (path: string, signal: OutboundRequest['signal']) =>
    http.request({
      url: `${upstream.url}${path}`,
      method: 'GET',
      headers: {},
      signal,
      connectTimeoutMs: 5_000,
      readTimeoutMs: 30_000,
      maxResponseBytes: 1 << 20,
      maxRedirects: 5,
    });

  /** Outcome of a call aborted once the upstream has the request (or before it starts when `early`). */
  async function aborted(path: string, form: Form, reason: unknown, early = false) {
    const state = new AbortState();
    const before = upstream.aborted;
    const received = upstream.requests.length;
    if (early) state.abort(reason);
    const p = call(path, signalOf(state, form));
    if (!early) {
      await expect
        .poll(() => upstream.requests.length, { timeout: 5_000 })
        .toBeGreaterThan(received);
      setTimeout(() => state.abort(reason), 20);
    }
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    const described = isPlatformError(err)
      ? { code: err.code, details: err.details }
      : { name: (err as Error).name, message: (err as Error).message };
    return { described, upstreamAborts: () => upstream.aborted - before };
  }

  for (const [label, reason] of [
    ['a platform error reason', new PlatformError('ERR_EXECUTION_TIMEOUT', { timeoutMs: 50 })],
    ['no reason', undefined],
  ] as const) {
    it(`gives the same error while waiting for headers, with ${label}, and closes the upstream request`, async () => {
      const a = await aborted('/hang', 'signal', reason);
      const b = await aborted('/hang', 'events', reason);
      expect(b.described).toEqual(a.described);
      expect(a.described).toMatchObject(
        reason ? { code: 'ERR_EXECUTION_TIMEOUT' } : { code: 'ERR_HTTP_NETWORK' },
      );
      await expect.poll(() => b.upstreamAborts(), { timeout: 5_000 }).toBeGreaterThanOrEqual(1);
    });

    it(`gives the same error while reading the body, with ${label}`, async () => {
      const a = await aborted('/slow-body', 'signal', reason);
      const b = await aborted('/slow-body', 'events', reason);
      expect(b.described).toEqual(a.described);
    });

    it(`gives the same error when already aborted, with ${label}`, async () => {
      const a = await aborted('/ok', 'signal', reason, true);
      const b = await aborted('/ok', 'events', reason, true);
      expect(b.described).toEqual(a.described);
      expect(b.described).not.toBeNull();
    });
  }

  it('answers the same when nothing aborts, and leaves no listener behind', async () => {
    const s1 = new AbortState();
    const s2 = new AbortState();
    const a = await call('/ok', signalOf(s1, 'signal'));
    const b = await call('/ok', signalOf(s2, 'events'));
    expect(JSON.parse(b.body.toString())).toEqual(JSON.parse(a.body.toString()));
    expect(b.status).toBe(a.status);
    expect(s2.events.listenerCount('abort')).toBe(0);
  });

  it('the emitter reports the reason the AbortSignal reports, whichever is asked first', () => {
    const reason = new PlatformError('ERR_EXECUTION_TIMEOUT', { timeoutMs: 1 });
    const early = new AbortState();
    const events = early.events;
    early.abort(reason);
    expect(events.aborted).toBe(true);
    expect(events.reason).toBe(early.signal.reason);
    const late = new AbortState();
    late.abort(undefined);
    expect(late.events.reason).toBeInstanceOf(DOMException);
    expect((late.events.reason as DOMException).name).toBe('AbortError');
  });
});
