// RFC 8414 §3: the metadata of an issuer with a path is served at the well-known path + the issuer's path, and at the bare path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({});
});
afterAll(async () => {
  await h.close();
});

describe('authorization server metadata', () => {
  it('is served at /.well-known/oauth-authorization-server/realms/<realm> and at the bare path, identically', async () => {
    const issuer = h.gw.tokens.issuer;
    expect(new URL(issuer).pathname).toBe('/realms/local');
    const pathAware = await h.fetch('/.well-known/oauth-authorization-server/realms/local');
    expect(pathAware.status).toBe(200);
    const doc = (await pathAware.json()) as { issuer: string; jwks_uri: string };
    // RFC 8414 §3.3: the issuer in the document is the one whose path built the URL.
    expect(doc.issuer).toBe(issuer);
    expect(doc.jwks_uri).toBe(`${h.gw.url}/.well-known/jwks.json`);
    expect(await (await h.fetch('/.well-known/oauth-authorization-server')).json()).toEqual(doc);
  });

  it('answers 404 for another realm or path', async () => {
    for (const path of ['/realms/other', '/realms', '/realms/local/extra', '/x']) {
      const res = await h.fetch(`/.well-known/oauth-authorization-server${path}`);
      expect(res.status, path).toBe(404);
    }
  });
});
