// Trigger requestSchema / responseSchema: enforced before the pipeline runs, refused at deploy when
// invalid, and published in /openapi.json (checked by the independent openapi-spec-validator).
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoPipeline, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const requestSchema = {
  type: 'object',
  required: ['sku', 'qty'],
  additionalProperties: false,
  properties: {
    sku: { type: 'string', minLength: 3 },
    qty: { type: 'integer', minimum: 1 },
    note: { type: 'string', format: 'email' },
    lines: { type: 'array', items: { type: 'object', required: ['n'] } },
  },
};
const responseSchema = { type: 'object', properties: { body: { type: 'object' } } };

let h: Harness;

const post = (body: string, type = 'application/json'): Promise<Response> =>
  h.fetch('/pipeline/local/v1/orders', {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });

beforeAll(async () => {
  h = await startHarness({
    'orders.json': echoPipeline('orders', {
      methods: ['GET', 'POST'],
      requestSchema,
      responseSchema,
    }),
  });
});
afterAll(async () => h?.close());

describe('requestSchema enforcement', () => {
  it('a matching body reaches the pipeline', async () => {
    const res = await post(JSON.stringify({ sku: 'abc', qty: 2, note: 'not-an-email' }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { body: unknown }).body).toEqual({
      sku: 'abc',
      qty: 2,
      note: 'not-an-email',
    });
  });

  it('a failing body is 400 ERR_GATEWAY_REQUEST_SCHEMA with every failing path; the pipeline does not run', async () => {
    const res = await post(JSON.stringify({ sku: 'a', extra: 1, lines: [{ n: 1 }, {}] }));
    expect(res.status).toBe(400);
    expect(res.headers.get('x-pipegate-execution-key')).toBeTruthy();
    const body = (await res.json()) as {
      code: string;
      message: string;
      errors: { path: string; message: string }[];
    };
    expect(body.code).toBe('ERR_GATEWAY_REQUEST_SCHEMA');
    expect(body.errors).toEqual(
      expect.arrayContaining([
        { path: '/qty', message: 'is required' },
        { path: '/extra', message: 'is not allowed' },
        { path: '/sku', message: 'must NOT have fewer than 3 characters' },
        { path: '/lines/1/n', message: 'is required' },
      ]),
    );
    expect(body.errors).toHaveLength(4);
    expect(body.message).toContain('/qty');
    // The gateway refused it (its log line names the code), before any execution.
    expect(
      h.logs.some((l) => l.includes('request refused') && l.includes('ERR_GATEWAY_REQUEST_SCHEMA')),
    ).toBe(true);
  });

  it('a body of the wrong type, and an empty body, fail at the root', async () => {
    const arr = await post('[1,2]');
    expect(arr.status).toBe(400);
    expect(((await arr.json()) as { errors: unknown[] }).errors).toEqual([
      { path: '/', message: 'must be object' },
    ]);
    const empty = await post('');
    expect(empty.status).toBe(400);
  });

  it('GET requests (no body) are not checked', async () => {
    const res = await h.fetch('/pipeline/local/v1/orders');
    expect(res.status).toBe(200);
  });
});

describe('invalid schemas are refused at deploy', () => {
  it('a requestSchema that is not JSON Schema 2020-12 → ERR_TRIGGER_SCHEMA_INVALID at /trigger/requestSchema', async () => {
    const file = join(h.root, 'bad.json');
    await writeFile(
      file,
      echoPipeline('bad', {
        requestSchema: { type: 'object', properties: { a: { type: 'nope' } } },
      }),
    );
    await expect(h.gw.deployFile(file)).rejects.toMatchObject({
      issues: [
        expect.objectContaining({
          path: '/trigger/requestSchema',
          code: 'ERR_TRIGGER_SCHEMA_INVALID',
        }),
      ],
    });
  });
});

describe('/openapi.json', () => {
  it('publishes both schemas, and stays a valid OpenAPI 3.1 document', async () => {
    const doc = (await (await h.fetch('/openapi.json')).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const op = doc.paths['/pipeline/local/v1/orders']!.post!;
    expect(op.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: requestSchema } },
    });
    expect(op.responses).toMatchObject({
      '200': { content: { 'application/json': { schema: responseSchema } } },
    });
    const file = join(h.root, 'openapi.json');
    await writeFile(file, JSON.stringify(doc));
    const r = spawnSync(
      'python3',
      [
        '-c',
        'import json,sys\nfrom openapi_spec_validator import validate\nfrom openapi_spec_validator.validation import OpenAPIV31SpecValidator\nvalidate(json.load(open(sys.argv[1])), cls=OpenAPIV31SpecValidator)\nprint("valid")',
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(r.stdout + r.stderr).toMatch(/^valid/);
    expect(r.status).toBe(0);
  });
});
