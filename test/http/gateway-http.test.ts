// http-request inside the gateway: a client that disconnects, or a pipeline timeout, aborts the upstream request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../gateway/harness.js';
import { startUpstream, json, type Upstream } from '../support/upstream.js';

describe('http-request in the gateway', () => {
  let upstream: Upstream;
  let h: Harness;
  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url === '/hang') return; // never answers
      json(res, 200, { hello: 'world' });
    });
    const pipeline = (name: string, route: string, path: string, timeoutMs: number) =>
      JSON.stringify({
        name,
        version: '1.0',
        trigger: { type: 'rest', routes: [route], removePrefix: true, timeoutMs },
        steps: [{ type: 'http-request', url: `${upstream.url}${path}`, failOnError: true }],
      });
    h = await startHarness(
      { 'ok.json': pipeline('proxy-ok', '/ok', '/ok', 10_000), 'hang.json': pipeline('proxy-hang', '/hang', '/hang', 60_000), 'short.json': pipeline('proxy-short', '/short', '/hang', 500) },
      { allowEgress: ['127.0.0.1'] },
    );
  });
  afterAll(async () => {
    await h.close();
    await upstream.close();
  });

  it('answers with the upstream output', async () => {
    const res = await h.fetch('/ok');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 200, body: { hello: 'world' } });
  });

  it('aborts the upstream request when the client disconnects', async () => {
    const before = upstream.aborted;
    const seen = upstream.requests.length;
    const client = new AbortController();
    const request = h.fetch('/hang', { signal: client.signal }).catch((err: Error) => err);
    await eventually(async () => expect(upstream.requests.length).toBe(seen + 1));
    client.abort();
    expect(await request).toBeInstanceOf(Error);
    await eventually(async () => expect(upstream.aborted).toBe(before + 1));
  });

  it('aborts the upstream request when the pipeline times out (504)', async () => {
    const before = upstream.aborted;
    const res = await h.fetch('/short');
    expect(res.status).toBe(504);
    await eventually(async () => expect(upstream.aborted).toBe(before + 1));
  });
});
