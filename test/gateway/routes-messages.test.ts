// Routes, the input envelope, response mapping and trigger parameters over real HTTP (SPEC §6.1–6.2).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoPipeline, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const json = { 'content-type': 'application/json' };

const pipelines: Record<string, string> = {
  'echo.json': echoPipeline('echo', { routes: ['/items/:id', '/items/special'] }),
  'root.json': echoPipeline('rooted', {
    routes: ['/shop/:sku'],
    removePrefix: true,
    methods: ['GET', 'POST'],
  }),
  'small.json': echoPipeline('small', { maxRequestSizeMb: 0.001 }),
  'slow.json': JSON.stringify({
    name: 'slow',
    version: '1.0',
    trigger: { type: 'rest', timeoutMs: 50 },
    steps: [{ type: 'test-sleep', ms: 5000 }],
  }),
  'teapot.json': JSON.stringify({
    name: 'teapot',
    version: '1.0',
    trigger: { type: 'rest' },
    steps: [{ type: 'throw-error', errorMessage: 'short and stout', httpStatusCode: 418 }],
  }),
  'message-error.json': JSON.stringify({
    name: 'message-error',
    version: '1.0',
    trigger: { type: 'rest' },
    steps: [{ type: 'json-generator', json: { error: 'not found here', code: 404 } }],
  }),
  'headers.json': JSON.stringify({
    name: 'headers',
    version: '1.0',
    trigger: {
      type: 'rest',
      responseHeaders: {
        'X-Order': '{{ message.id }}',
        'X-Static': 'yes',
        // The metadata the execution saw (runPipeline builds it once; the handler reuses it).
        'X-Key': '{{ metadata.execution.key }}',
        'X-Pipeline': '{{ metadata.pipeline.name }}/{{ metadata.runtime.environment }}',
      },
    },
    steps: [{ type: 'json-generator', json: { id: 'o-7' } }],
  }),
  'http.json': JSON.stringify({
    name: 'xml',
    version: '1.0',
    trigger: { type: 'http', methods: ['POST'] },
    steps: [
      {
        type: 'json-generator',
        json: {
          code: 201,
          body: '<ok>{{ SIZE(message.body) }}</ok>',
          'Content-Type': 'application/xml',
          headers: { 'X-Kind': '{{ message.contentType }}' },
        },
      },
    ],
  }),
  'http-echo.json': JSON.stringify({
    name: 'http-echo',
    version: '1.0',
    trigger: { type: 'http', methods: ['POST'] },
    steps: [
      {
        type: 'transformer-jsonata',
        expression: '{ "code": 200, "body": $string($), "Content-Type": "application/json" }',
      },
    ],
  }),
  'cors.json': echoPipeline('cors', {
    methods: ['GET', 'POST'],
    cors: { origins: ['https://app.example'], exposeHeaders: ['X-Extra'], maxAgeSec: 600 },
  }),
};

describe('routes and messages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(pipelines);
  });
  afterAll(async () => h?.close());

  it('builds the input envelope with query and route params merged', async () => {
    const res = await h.fetch('/pipeline/local/v1/items/42?q=a&q=b&x=1', {
      method: 'PUT',
      headers: { ...json, 'x-custom': 'c' },
      body: '{"p":true}',
    });
    expect(res.status).toBe(200);
    const m = (await res.json()) as Record<string, unknown>;
    expect(m.body).toEqual({ p: true });
    expect(m.queryAndPath).toEqual({ q: ['a', 'b'], x: '1', id: '42' });
    expect(m.method).toBe('PUT');
    expect(m.contentType).toBe('application/json');
    expect(m.path).toBe('/pipeline/local/v1/items/42');
    expect((m.headers as Record<string, string>)['x-custom']).toBe('c');
    expect(m.form).toEqual({});
  });

  it('prefers a literal route over a param route and serves removePrefix routes at the root', async () => {
    const special = (await (await h.fetch('/pipeline/local/v1/items/special')).json()) as {
      queryAndPath: unknown;
    };
    expect(special.queryAndPath).toEqual({});
    const root = await h.fetch('/shop/abc%20d');
    expect(root.status).toBe(200);
    expect(((await root.json()) as { queryAndPath: unknown }).queryAndPath).toEqual({
      sku: 'abc d',
    });
    expect((await h.fetch('/pipeline/local/v1/rooted')).status).toBe(404);
  });

  it('parses form bodies into form', async () => {
    const res = await h.fetch('/pipeline/local/v1/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=two',
    });
    const m = (await res.json()) as { form: unknown; body: unknown };
    expect(m.form).toEqual({ a: '1', b: 'two' });
    expect(m.body).toBe('a=1&b=two');
  });

  it('answers 400 to malformed JSON, 404 to unknown routes, 405 with Allow to other methods', async () => {
    const bad = await h.fetch('/pipeline/local/v1/echo', {
      method: 'POST',
      headers: json,
      body: '{"a":',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ message: 'Malformed JSON body' });
    const missing = await h.fetch('/pipeline/local/v1/nothing-here');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: 'Not Found' });
    expect((await h.fetch('/pipeline/local/v2/echo')).status).toBe(404);
    const wrong = await h.fetch('/shop/1', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expect(await wrong.json()).toEqual({ message: 'Method Not Allowed' });
  });

  it('refuses bodies over maxRequestSizeMb with 413, declared or streamed', async () => {
    const big = 'x'.repeat(2000);
    const declared = await h.fetch('/pipeline/local/v1/small', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: big,
    });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ message: 'Request size limit exceeded' });
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode(big));
        c.close();
      },
    });
    const chunked = await h.fetch('/pipeline/local/v1/small', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toEqual({ message: 'Request size limit exceeded' });
    const ok = await h.fetch('/pipeline/local/v1/small', {
      method: 'POST',
      headers: json,
      body: '{"a":1}',
    });
    expect(ok.status).toBe(200);
  });

  it('answers 504 with the execution key when the pipeline times out', async () => {
    const res = await h.fetch('/pipeline/local/v1/slow', { method: 'POST' });
    expect(res.status).toBe(504);
    const key = res.headers.get('x-pipegate-execution-key');
    expect(await res.json()).toEqual({ message: 'Gateway Timeout', executionKey: key });
  });

  it('maps error objects (engine or message) to their code', async () => {
    const teapot = await h.fetch('/pipeline/local/v1/teapot', { method: 'POST' });
    expect(teapot.status).toBe(418);
    expect(await teapot.json()).toMatchObject({ error: 'short and stout', code: 418 });
    const notFound = await h.fetch('/pipeline/local/v1/message-error');
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ error: 'not found here', code: 404 });
  });

  it('renders responseHeaders against the final message and sets the execution key', async () => {
    const res = await h.fetch('/pipeline/local/v1/headers');
    expect(res.headers.get('x-order')).toBe('o-7');
    expect(res.headers.get('x-static')).toBe('yes');
    expect(res.headers.get('x-pipegate-execution-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('x-key')).toBe(res.headers.get('x-pipegate-execution-key'));
    expect(res.headers.get('x-pipeline')).toBe(`headers/${h.gw.environment}`);
    const again = await h.fetch('/pipeline/local/v1/headers');
    expect(again.headers.get('x-pipegate-execution-key')).not.toBe(
      res.headers.get('x-pipegate-execution-key'),
    );
  });

  it('keeps http bodies as text and answers with the http envelope', async () => {
    const res = await h.fetch('/pipeline/local/v1/xml', {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<a>1</a>',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('application/xml');
    expect(res.headers.get('x-kind')).toBe('text/xml');
    expect(await res.text()).toBe('<ok>8</ok>');
    const echo = await h.fetch('/pipeline/local/v1/http-echo', {
      method: 'POST',
      headers: json,
      body: '{"not":"parsed"}',
    });
    expect(((await echo.json()) as { body: unknown }).body).toBe('{"not":"parsed"}');
  });

  it('answers CORS preflights and decorates responses for allowed origins only', async () => {
    const pre = await h.fetch('/pipeline/local/v1/cors', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(pre.headers.get('access-control-max-age')).toBe('600');
    const actual = await h.fetch('/pipeline/local/v1/cors', {
      headers: { origin: 'https://app.example' },
    });
    expect(actual.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(actual.headers.get('access-control-expose-headers')).toContain('X-Extra');
    const other = await h.fetch('/pipeline/local/v1/cors', {
      headers: { origin: 'https://evil.example' },
    });
    expect(other.status).toBe(200);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers /healthz, /readyz and the well-known documents', async () => {
    expect(await (await h.fetch('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await h.fetch('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { store: true, keys: true },
    });
    const jwks = (await (await h.fetch('/.well-known/jwks.json')).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.length).toBeGreaterThan(0);
    const meta = (await (await h.fetch('/.well-known/oauth-authorization-server')).json()) as {
      jwks_uri: string;
      issuer: string;
    };
    expect(meta.jwks_uri).toBe(`${h.gw.url}/.well-known/jwks.json`);
    expect(meta.issuer).toBe(h.gw.tokens.issuer);
  });
});

describe('request log lines', () => {
  it('carry the execution key, the refusal code and reason, never the query string', async () => {
    const h = await startHarness({
      'keyed.json': echoPipeline('keyed', { auth: { apiKey: true, apiKeyInQuery: true } }),
    });
    try {
      const res = await h.fetch(
        '/pipeline/local/v1/keyed?apikey=pg_secretsecret_' + 'Z'.repeat(43),
      );
      expect(res.status).toBe(401);
      const key = res.headers.get('x-pipegate-execution-key');
      const line = h.logs
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.msg === 'request completed' && l.executionKey === key);
      expect(line).toMatchObject({
        status: 401,
        code: 'ERR_GATEWAY_UNAUTHORIZED',
        reason: 'unknown_key',
        path: '/pipeline/local/v1/keyed',
        pipeline: 'keyed@1',
      });
      expect(h.logs.join('')).not.toContain('secretsecret');
    } finally {
      await h.close();
    }
  });
});
