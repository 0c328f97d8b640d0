// A gateway with --redis: a rate-limited route through a Redis outage (a real TCP proxy cut and
// restored), fail closed (503 ERR_GATEWAY_RATE_LIMIT_UNAVAILABLE) and fail open (local limits).
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway } from '../../src/gateway/index.js';
import type { Gateway } from '../../src/gateway/index.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import type { TcpProxy } from '../support/tcp-proxy.js';
import { eventually, pipelineDir } from './harness.js';

const limited = JSON.stringify({
  name: 'limited',
  version: '1.0',
  trigger: { type: 'rest', rateLimit: { limits: [{ interval: 'hour', limit: 5 }] } },
  steps: [{ type: 'transformer-jsonata', expression: '$' }],
});

let gw: Gateway | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await gw?.close();
  await proxy?.close();
  gw = proxy = undefined;
});

async function start(onOutage: 'open' | 'closed'): Promise<{ url: string; metrics: () => Promise<string> }> {
  proxy = await startTcpProxy(6379);
  const { root, dir } = await pipelineDir({ 'limited.json': limited });
  gw = await startGateway({
    dirs: [dir],
    dataDir: `${root}/data`,
    port: 0,
    adminPort: 0,
    logger: false,
    env: {},
    redis: { url: `redis://127.0.0.1:${proxy.port}`, onOutage, keyPrefix: `pipegate-scale-test:${randomUUID()}:` },
  });
  const g = gw;
  return { url: `${g.url}/pipeline/local/v1/limited`, metrics: () => g.metrics.registry.metrics() };
}

describe('rate limits on Redis through an outage', () => {
  it('fails closed with 503 ERR_GATEWAY_RATE_LIMIT_UNAVAILABLE, and serves again once Redis is back', async () => {
    const { url, metrics } = await start('closed');
    expect((await fetch(url)).status).toBe(200);
    await proxy!.cut();
    const r = await fetch(url);
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(await r.json()).toEqual({ message: 'Service Unavailable', code: 'ERR_GATEWAY_RATE_LIMIT_UNAVAILABLE' });
    expect(await metrics()).toMatch(/^pipegate_redis_up 0$/m);
    await proxy!.restore();
    await eventually(async () => expect((await fetch(url)).status).toBe(200));
    expect(await metrics()).toMatch(/^pipegate_redis_up 1$/m);
  });

  it('fails open to this process’s limits', async () => {
    const { url } = await start('open');
    expect((await fetch(url)).status).toBe(200);
    await proxy!.cut();
    const got: number[] = [];
    for (let i = 0; i < 7; i++) got.push((await fetch(url)).status);
    expect(got).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });
});
