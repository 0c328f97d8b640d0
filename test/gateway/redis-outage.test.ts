// A gateway with --redis: a rate-limited route through a Redis outage (a real TCP proxy cut and
// restored), fail closed (503 ERR_GATEWAY_RATE_LIMIT_UNAVAILABLE) and fail open (local limits); the
// failed-login guard's counters through the same outage (closed: 503 ERR_LOGIN_BUSY; open: local).
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

async function start(
  onOutage: 'open' | 'closed',
): Promise<{ url: string; adminUrl: string; metrics: () => Promise<string> }> {
  proxy = await startTcpProxy(6379);
  const { root, dir } = await pipelineDir({ 'limited.json': limited });
  gw = await startGateway({
    dirs: [dir],
    dataDir: `${root}/data`,
    port: 0,
    logger: false,
    env: {},
    redis: {
      url: `redis://127.0.0.1:${proxy.port}`,
      onOutage,
      keyPrefix: `pipegate-scale-test:${randomUUID()}:`,
    },
  });
  const g = gw;
  return {
    url: `${g.url}/pipeline/local/v1/limited`,
    adminUrl: `${g.adminUrl}/admin/deployments`,
    metrics: () => g.metrics.registry.metrics(),
  };
}

describe('rate limits on Redis through an outage', () => {
  it('fails closed with 503 ERR_GATEWAY_RATE_LIMIT_UNAVAILABLE, and serves again once Redis is back', async () => {
    const { url, metrics } = await start('closed');
    expect((await fetch(url)).status).toBe(200);
    await proxy!.cut();
    const r = await fetch(url);
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(await r.json()).toEqual({
      message: 'Service Unavailable',
      code: 'ERR_GATEWAY_RATE_LIMIT_UNAVAILABLE',
    });
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

describe('the failed-login guard on Redis through an outage', () => {
  const wrong = { authorization: `Basic ${Buffer.from('admin:not-it').toString('base64')}` };

  it('fails closed: password checks answer 503 ERR_LOGIN_BUSY with Retry-After 1, then count in Redis again', async () => {
    const { adminUrl, metrics } = await start('closed');
    expect((await fetch(adminUrl, { headers: wrong })).status).toBe(401);
    await proxy!.cut();
    const r = await fetch(adminUrl, { headers: wrong });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(await r.json()).toMatchObject({ code: 'ERR_LOGIN_BUSY' });
    expect(await metrics()).toMatch(/^pipegate_redis_up 0$/m);
    expect(await metrics()).toMatch(/pipegate_redis_failures_total\{policy="closed"\} 1/);
    await proxy!.restore();
    await eventually(async () =>
      expect((await fetch(adminUrl, { headers: wrong })).status).toBe(401),
    );
    expect(await metrics()).toMatch(/^pipegate_redis_up 1$/m);
  });

  it('fails open: this process counts the failures and locks the username after five', async () => {
    const { adminUrl } = await start('open');
    await proxy!.cut();
    const got: number[] = [];
    for (let i = 0; i < 6; i++) got.push((await fetch(adminUrl, { headers: wrong })).status);
    expect(got).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
