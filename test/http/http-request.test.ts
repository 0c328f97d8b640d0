// http-request against real node:http upstreams: request building, answers, errors, redirects, compression, retries, aborts.
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/core/json.js';
import { createOutboundHttp } from '../../src/http-client/index.js';
import { EgressPolicy } from '../../src/security/egress/index.js';
import { json, startUpstream, type Upstream } from '../support/upstream.js';
import { out, runHttpStep } from './run-http-step.js';

// Tests run on loopback, which the egress policy blocks by default: open it explicitly.
const http = createOutboundHttp({ policy: new EgressPolicy(['127.0.0.1']) });
let api: Upstream;
let other: Upstream;
let failuresLeft = 0;
let bomb: Buffer | undefined;

beforeAll(async () => {
  api = await startUpstream(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    switch (u.pathname) {
      case '/echo':
        return json(res, 200, { method: req.method, query: Object.fromEntries(u.searchParams), headers: req.headers, body: req.body });
      case '/text':
        res.writeHead(200, { 'content-type': 'text/plain' });
        return void res.end('plain words');
      case '/binary':
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        return void res.end(Buffer.from([0, 1, 2, 255]));
      case '/missing':
        return json(res, 404, { error: 'no such order' });
      case '/boom':
        return json(res, 500, { error: 'broken' });
      case '/slow':
        return void setTimeout(() => json(res, 200, { late: true }), 2_000);
      case '/hang':
        return; // never answers
      case '/gzip': {
        const data = gzipSync(JSON.stringify({ compressed: 'gzip' }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return void res.end(data);
      }
      case '/br': {
        const data = brotliCompressSync(JSON.stringify({ compressed: 'br' }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'br' });
        return void res.end(data);
      }
      case '/big':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 5000 });
        return void res.end('x'.repeat(5000));
      case '/bomb': {
        // 20 MB of zeros compress to ~20 kB: the cap counts decompressed bytes.
        const data = (bomb ??= gzipSync(Buffer.alloc(20 * 1024 * 1024)));
        res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
        return void res.end(data);
      }
      case '/flaky':
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          return json(res, 503, { error: 'busy' }, { 'retry-after': '0' });
        }
        return json(res, 200, { ok: true });
      case '/redirect': {
        const n = Number(u.searchParams.get('n') ?? '1');
        const to = n > 1 ? `/redirect?n=${n - 1}` : '/echo';
        res.writeHead(302, { location: to });
        return void res.end();
      }
      case '/see-other':
        res.writeHead(303, { location: '/echo' });
        return void res.end();
      case '/to-other':
        res.writeHead(307, { location: `${other.url}/echo` });
        return void res.end();
      default:
        return json(res, 404, {});
    }
  });
  other = await startUpstream((req, res) => json(res, 200, { authorization: req.headers.authorization ?? null, apikey: req.headers.apikey ?? null, method: req.method }));
});

afterAll(async () => {
  await http.close();
  await api.close();
  await other.close();
});

describe('http-request: requests and answers', () => {
  it('renders url, query parameters and headers from the message and parses the JSON answer', async () => {
    const result = await runHttpStep(
      http,
      { url: `${api.url}/echo`, queryParams: { id: '{{ message.id }}', tags: ['a', 'b'], skip: null }, headers: { 'X-Trace': 'trace-{{ message.id }}' } },
      { message: { id: 42 } },
    );
    expect(result.status).toBe('success');
    const o = out(result);
    expect(o.status).toBe(200);
    expect((o.headers as JsonObject)['content-type']).toBe('application/json');
    const body = o.body as JsonObject;
    expect(body.query).toEqual({ id: '42', tags: 'b' });
    expect(api.requests.at(-1)?.url).toBe('/echo?id=42&tags=a&tags=b');
    expect((body.headers as JsonObject)['x-trace']).toBe('trace-42');
  });

  it('sends JSON, text and form bodies with their content types', async () => {
    const asJson = out(await runHttpStep(http, { method: 'POST', url: `${api.url}/echo`, body: { n: '{{ message.n }}', list: [1] } }, { message: { n: 7 } }));
    expect((asJson.body as JsonObject).body).toBe('{"n":7,"list":[1]}');
    expect(((asJson.body as JsonObject).headers as JsonObject)['content-type']).toBe('application/json');
    const asText = out(await runHttpStep(http, { method: 'PUT', url: `${api.url}/echo`, body: '<a>{{ message.n }}</a>', contentType: 'application/xml' }, { message: { n: 7 } }));
    expect((asText.body as JsonObject).body).toBe('<a>7</a>');
    expect(((asText.body as JsonObject).headers as JsonObject)['content-type']).toBe('application/xml');
    const asForm = out(await runHttpStep(http, { method: 'POST', url: `${api.url}/echo`, body: { a: 'x y', b: 2 }, contentType: 'application/x-www-form-urlencoded' }));
    expect((asForm.body as JsonObject).body).toBe('a=x+y&b=2');
  });

  it('outputs text bodies as text and binary bodies as Base64', async () => {
    expect(out(await runHttpStep(http, { url: `${api.url}/text` })).body).toBe('plain words');
    const bin = out(await runHttpStep(http, { url: `${api.url}/binary` }));
    expect(bin).toMatchObject({ body: 'AAEC/w==', bodyEncoding: 'base64' });
  });

  it('refuses a body on GET and header values with line breaks (no header injection)', async () => {
    const get = await runHttpStep(http, { url: `${api.url}/echo`, body: { a: 1 } });
    expect(out(get)).toMatchObject({ success: false, code: 'ERR_HTTP_BODY' });
    const injected = await runHttpStep(http, { url: `${api.url}/echo`, headers: { 'X-A': '{{ message.v }}' } }, { message: { v: 'a\r\nX-Admin: 1' } });
    expect(out(injected)).toMatchObject({ success: false, code: 'ERR_HTTP_BODY' });
  });

  it('a 4xx/5xx answer is an output with failOnError false and ERR_HTTP_STATUS with true', async () => {
    const soft = await runHttpStep(http, { url: `${api.url}/missing` });
    expect(soft.status).toBe('success');
    expect(out(soft)).toMatchObject({ status: 404, body: { error: 'no such order' } });
    const hard = await runHttpStep(http, { url: `${api.url}/boom`, failOnError: true });
    expect(hard.status).toBe('error');
    expect(hard.error?.code).toBe('ERR_HTTP_STATUS');
    expect(hard.error?.message).toBe(`GET ${api.url}/boom answered HTTP 500`);
  });

  it('reuses pooled keep-alive connections across executions', async () => {
    const before = api.connections;
    for (let i = 0; i < 5; i++) expect(out(await runHttpStep(http, { url: `${api.url}/text` })).status).toBe(200);
    expect(api.connections - before).toBeLessThanOrEqual(1);
  });
});

describe('http-request: failures', () => {
  it('a silent upstream is ERR_HTTP_READ_TIMEOUT', async () => {
    const result = await runHttpStep(http, { url: `${api.url}/slow`, readTimeoutMs: 200, failOnError: true });
    expect(result.error?.code).toBe('ERR_HTTP_READ_TIMEOUT');
  });

  it('a closed port is ERR_HTTP_CONNECT naming the origin', async () => {
    const gone = await startUpstream(() => undefined);
    await gone.close();
    const result = await runHttpStep(http, { url: `${gone.url}/x`, failOnError: true, retries: 1 });
    expect(result.error?.code).toBe('ERR_HTTP_CONNECT');
    expect(result.error?.message).toContain(`Cannot connect to ${gone.url}: ECONNREFUSED`);
  });

  it('a body over maxResponseBytes is refused, counted after decompression (gzip bomb)', async () => {
    const declared = await runHttpStep(http, { url: `${api.url}/big`, maxResponseBytes: 1000, failOnError: true });
    expect(declared.error?.code).toBe('ERR_HTTP_RESPONSE_TOO_LARGE');
    const bomb = await runHttpStep(http, { url: `${api.url}/bomb`, failOnError: true });
    expect(bomb.error?.code).toBe('ERR_HTTP_RESPONSE_TOO_LARGE');
    expect(bomb.error?.message).toContain('10485760 bytes');
  });

  it('decompresses gzip and br answers', async () => {
    expect(out(await runHttpStep(http, { url: `${api.url}/gzip` })).body).toEqual({ compressed: 'gzip' });
    expect(out(await runHttpStep(http, { url: `${api.url}/br` })).body).toEqual({ compressed: 'br' });
    expect(api.requests.at(-1)?.headers['accept-encoding']).toBe('gzip, deflate, br');
  });

  it('the pipeline timeout aborts the upstream request', async () => {
    const before = api.aborted;
    const result = await runHttpStep(http, { url: `${api.url}/hang` }, { timeoutMs: 300 });
    expect(result.status).toBe('timeout');
    await expect.poll(() => api.aborted).toBe(before + 1);
  });

  it('a cancelled execution (client disconnect) aborts the upstream request', async () => {
    const before = api.aborted;
    const controller = new AbortController();
    const seen = api.requests.length;
    const running = runHttpStep(http, { url: `${api.url}/hang` }, { signal: controller.signal });
    await expect.poll(() => api.requests.length).toBe(seen + 1);
    controller.abort(new Error('client closed'));
    const result = await running;
    expect(result.status).toBe('error');
    await expect.poll(() => api.aborted).toBe(before + 1);
  });
});

describe('http-request: redirects', () => {
  it('follows up to 5 redirects and refuses the sixth', async () => {
    expect(out(await runHttpStep(http, { url: `${api.url}/redirect?n=5` })).status).toBe(200);
    const tooMany = await runHttpStep(http, { url: `${api.url}/redirect?n=6`, failOnError: true });
    expect(tooMany.error?.code).toBe('ERR_HTTP_TOO_MANY_REDIRECTS');
  });

  it('followRedirects false returns the 3xx answer', async () => {
    const o = out(await runHttpStep(http, { url: `${api.url}/redirect?n=1`, followRedirects: false }));
    expect(o.status).toBe(302);
    expect((o.headers as JsonObject).location).toBe('/echo');
  });

  it('303 after POST becomes a GET without body', async () => {
    const o = out(await runHttpStep(http, { method: 'POST', url: `${api.url}/see-other`, body: { a: 1 } }));
    expect(o.body).toMatchObject({ method: 'GET', body: '' });
  });

  it('drops credentials when a redirect leaves the origin', async () => {
    const o = out(
      await runHttpStep(http, { url: `${api.url}/to-other`, account: 'key' }, { accounts: { key: { type: 'api-key', key: 'k-secret' } } }),
    );
    expect(o.body).toEqual({ authorization: null, apikey: null, method: 'GET' });
    expect(api.requests.at(-1)?.headers.apikey).toBe('k-secret');
  });
});

describe('http-request: retries', () => {
  it('retries 503 with Retry-After for idempotent methods', async () => {
    failuresLeft = 2;
    const seen = api.requests.length;
    const result = await runHttpStep(http, { url: `${api.url}/flaky`, retries: 2 });
    expect(out(result)).toMatchObject({ status: 200, body: { ok: true } });
    expect(api.requests.length - seen).toBe(3);
  });

  it('returns the last 503 when retries run out', async () => {
    failuresLeft = 5;
    const result = await runHttpStep(http, { url: `${api.url}/flaky`, retries: 1 });
    expect(out(result).status).toBe(503);
    failuresLeft = 0;
  });

  it('does not repeat a POST after a 503 (not idempotent)', async () => {
    failuresLeft = 1;
    const seen = api.requests.length;
    const result = await runHttpStep(http, { method: 'POST', url: `${api.url}/flaky`, body: {}, retries: 3 });
    expect(out(result).status).toBe(503);
    expect(api.requests.length - seen).toBe(1);
    failuresLeft = 0;
  });
});
