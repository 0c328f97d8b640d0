// Issue 18 item 3: no token from a failed step's output, every failed step logged at WARN, the JSONata depth guard, the 16 KiB token cap.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumer, startHarness } from './harness.js';
import type { Harness } from './harness.js';

function nested(depth: number): string {
  return '{"a":'.repeat(depth) + '"x"' + '}'.repeat(depth);
}

const failingExtract = JSON.stringify({
  name: 'direct-login',
  version: '1.0',
  trigger: { type: 'rest', methods: ['POST'], auth: { apiKey: true } },
  steps: [
    // Fails on every request ($error raises) and goes on: its output is the error output.
    { type: 'transformer-jsonata', expression: '$error("no user")' },
    { type: 'jwt', operation: 'generate', failOnError: true },
  ],
});

const bigClaims = JSON.stringify({
  name: 'big-login',
  version: '1.0',
  trigger: { type: 'rest', methods: ['POST'], auth: { apiKey: true } },
  steps: [
    { type: 'json-generator', json: { blob: '{{ message.body.blob }}' } },
    { type: 'jwt', operation: 'generate', failOnError: true },
  ],
});

interface LogLine {
  level: number;
  msg: string;
}

describe('login pipeline faults', () => {
  let h: Harness;
  let key: string;
  beforeAll(async () => {
    const files: Record<string, string> = {
      'direct.json': failingExtract,
      'big.json': bigClaims,
    };
    for (const f of ['auth-login.yaml', 'service.yaml'])
      files[f] = await readFile(new URL(`../../examples/jwt-auth/${f}`, import.meta.url), 'utf8');
    h = await startHarness(files);
    key = await consumer(h, 'acme');
  });
  afterAll(async () => h?.close());

  const post = (path: string, body: string) =>
    h.fetch(path, {
      method: 'POST',
      headers: { apikey: key, 'content-type': 'application/json' },
      body,
    });
  const warnings = (from: number): string[] =>
    h.logs
      .slice(from)
      .map((l) => JSON.parse(l) as LogLine)
      .filter((l) => l.level === 40)
      .map((l) => l.msg);

  it('the example login refuses a userID nested 4,115 deep with a coded 400, no token, and a WARN line', async () => {
    const from = h.logs.length;
    const res = await post('/auth', `{"userID":${nested(4115)},"role":"admin"}`);
    expect(res.status).toBe(400);
    expect(res.headers.get('authorization')).toBeNull();
    const body = (await res.json()) as { exception?: string; code?: number };
    expect(body.exception).toBe('ERR_JSONATA_DEPTH');
    expect(warnings(from).some((m) => m.includes('ERR_JSONATA_DEPTH'))).toBe(true);
  });

  it('the example login still issues a token for a normal user', async () => {
    const res = await post('/auth', '{"userID":"u-1","role":"admin"}');
    expect(res.status).toBe(200);
    const token = res.headers.get('authorization')!.slice('Bearer '.length);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      userID: string;
    };
    expect(claims.userID).toBe('u-1');
  });

  it('jwt generate refuses the error output of a failed step (ERR_JWT_ERROR_MESSAGE); the failed step is logged at WARN with its code', async () => {
    const from = h.logs.length;
    const res = await post('/pipeline/local/v1/direct-login', '{}');
    expect(res.headers.get('authorization')).toBeNull();
    expect(res.status).toBe(400);
    expect(((await res.json()) as { exception?: string }).exception).toBe('ERR_JWT_ERROR_MESSAGE');
    const w = warnings(from);
    expect(w.some((m) => m.includes('ERR_JSONATA_EVALUATION') && m.includes('continuing'))).toBe(
      true,
    );
    expect(w.some((m) => m.includes('ERR_JWT_ERROR_MESSAGE'))).toBe(true);
  });

  it('refuses to mint a token larger than the 16 KiB the gateway accepts (ERR_JWT_TOKEN_TOO_LARGE)', async () => {
    const small = await post(
      '/pipeline/local/v1/big-login',
      JSON.stringify({ blob: 'x'.repeat(1000) }),
    );
    expect(small.status).toBe(200);
    const res = await post(
      '/pipeline/local/v1/big-login',
      JSON.stringify({ blob: 'x'.repeat(13_000) }),
    );
    expect(res.headers.get('authorization')).toBeNull();
    expect(res.status).toBe(400);
    expect(((await res.json()) as { exception?: string }).exception).toBe(
      'ERR_JWT_TOKEN_TOO_LARGE',
    );
  });
});
