// The jose connector's JWKS URL fetching goes through the host's outbound client, so the egress policy applies.
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyLookup } from '../../src/connectors/jose/key-source.js';
import { JwksCache, defaultJwksOptions } from '../../src/connectors/jose/lib/jwks-cache.js';
import { createOutboundHttp } from '../../src/http-client/index.js';
import { EgressPolicy } from '../../src/security/egress/index.js';
import { fakeContext } from '../support/jose-fake-context.js';
import { json, startUpstream, type Upstream } from '../support/upstream.js';

describe('jose jwksUrl under the egress policy', () => {
  let jwks: Upstream;
  beforeAll(async () => {
    const { publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwks = await startUpstream((_req, res) => json(res, 200, { keys: [jwk] }));
  });
  afterAll(() => jwks.close());

  const lookup = (allow: string[]) => {
    const http = createOutboundHttp({ policy: new EgressPolicy(allow) });
    const ctx = fakeContext({ host: { outboundHttp: http } });
    const find = keyLookup(ctx, { jwksUrl: `${jwks.url}/jwks.json` }, undefined, new JwksCache(defaultJwksOptions));
    return { http, find: () => find({ alg: 'ES256', usage: 'verify' }, 'k1') };
  };

  it('refuses a loopback JWKS URL that the policy does not open, without fetching it', async () => {
    const { http, find } = lookup([]);
    try {
      await expect(find()).rejects.toMatchObject({ code: 'ERR_JOSE_JWKS_FETCH', message: expect.stringContaining('loopback addresses are blocked') });
      expect(jwks.requests).toHaveLength(0);
    } finally {
      await http.close();
    }
  });

  it('fetches it once opened with --allow-egress', async () => {
    const { http, find } = lookup(['127.0.0.1']);
    try {
      const keys = await find();
      expect(keys.map((k) => k.kid)).toEqual(['k1']);
      expect(jwks.requests).toHaveLength(1);
    } finally {
      await http.close();
    }
  });
});
