// A webhook that accepts connections and never answers: requests keep flowing, anomalies are still stored, shutdown ends.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, startSite } from './support.js';
import type { Site } from './support.js';

describe('a dead alert webhook', () => {
  const hanging = createServer(() => undefined);
  let site: Site;
  beforeAll(async () => {
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const port = (hanging.address() as AddressInfo).port;
    site = await startSite({
      anomalies: { alerts: { webhook: `http://127.0.0.1:${port}/hook`, secret: 's' } },
    });
  });
  afterAll(async () => {
    hanging.closeAllConnections();
    hanging.close();
  });

  it('never holds up requests or the shutdown', async () => {
    const gw = site.nodes[0]!;
    const key = await site.consumer('kim');
    const token = await site.login(gw, key);
    await call(`${gw.url}/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    const auth = { authorization: `Bearer ${token}` };
    expect((await call(`${gw.url}/protected-resource`, { headers: auth })).status).toBe(401);
    await eventually(async () => {
      await gw.anomalies!.tick();
      await gw.anomalies!.dispatchAlerts();
      expect(gw.anomalies!.sender!.pending).toBe(1); // claimed, stuck on the dead webhook
    });
    // Requests go on while the alert waits on the socket that never answers.
    const fresh = await site.login(gw, key);
    for (let i = 0; i < 20; i++)
      expect(
        (
          await call(`${gw.url}/protected-resource`, {
            headers: { authorization: `Bearer ${fresh}` },
          })
        ).status,
      ).toBe(200);
    expect((await gw.store.anomalies.list(gw.environment)).anomalies.map((a) => a.rule)).toEqual([
      'revoked_token_use',
    ]);
    // close() gives alerts a 2-second grace, then aborts the attempt: it resolves (the test timeout bounds it).
    await site.close();
    expect(gw.anomalies!.sender!.delivered).toBe(0);
  });
});
