// Smoke: a pipeline served over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { echoPipeline, startHarness } from './harness.js';
import type { Harness } from './harness.js';

describe('gateway smoke', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ 'echo.json': echoPipeline('echo') });
  });
  afterAll(async () => h?.close());

  it('serves the default URL', async () => {
    const res = await h.fetch('/pipeline/local/v1/echo?x=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    const body = (await res.json()) as { body: unknown; queryAndPath: unknown };
    expect(res.status).toBe(200);
    expect(body.body).toEqual({ a: 1 });
    expect(body.queryAndPath).toEqual({ x: '1' });
    expect(res.headers.get('x-pipegate-execution-key')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
