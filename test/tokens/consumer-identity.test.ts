// Tokens are bound to the consumer's immutable id, deletion revokes them, and scopes follow the current ceiling (issue 10 item 7).
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import {
  createConsumer,
  deleteConsumer,
  updateConsumer,
} from '../../src/consumers/consumer-admin.js';
import { parseMasterKey } from '../../src/security/index.js';
import { issueReq, makeFixture, MASTER_KEY_TEXT, type Fixture } from './support.js';
import { startE2e, type E2e } from './e2e-support.js';

describe('token service', () => {
  let f: Fixture;
  beforeEach(async () => {
    f = await makeFixture();
  });
  afterEach(async () => {
    await f.close();
  });
  const target = () => ({
    store: f.store,
    master: parseMasterKey(MASTER_KEY_TEXT, 'test'),
    environment: 'test',
  });

  it('a token carries the consumer id; a consumer re-created under the same name does not revive it', async () => {
    const alice = (await f.store.consumers.getByName('test', 'alice'))!;
    const t = await f.tokens.issue(issueReq());
    expect(decodeJwt(t.token).consumer_id).toBe(alice.id);
    // The store-level delete alone (no revocation row): only the id check can refuse the token.
    await f.store.consumers.delete('test', alice.id);
    await f.store.consumers.create('test', { name: 'alice', scopes: ['read', 'write'] });
    await f.tokens.refresh();
    expect(await f.tokens.verify(t.token)).toEqual({
      ok: false,
      reason: 'consumer_unknown',
      jti: t.jti,
      consumer: 'alice',
    });
    // The new alice logs in normally.
    const fresh = await f.tokens.issue(issueReq());
    expect((await f.tokens.verify(fresh.token)).ok).toBe(true);
  });

  it('deleting a consumer writes a consumer revocation in the same transaction', async () => {
    const t = await f.tokens.issue(issueReq());
    await deleteConsumer(target(), 'alice');
    const rows = await f.store.revocations.list('test', { kind: 'consumer', now: 0 });
    expect(rows.map((r) => r.value)).toEqual(['alice']);
    await createConsumer(target(), { name: 'alice', scopes: ['read'] });
    await f.tokens.refresh();
    expect(await f.tokens.verify(t.token)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('verification intersects the token scopes with the consumer current ceiling', async () => {
    const t = await f.tokens.issue(issueReq({ scopes: ['read', 'write'] }));
    expect(await f.tokens.verify(t.token)).toMatchObject({ ok: true, scopes: ['read', 'write'] });
    await updateConsumer(target(), 'alice', { scopes: ['read'] });
    await f.tokens.refresh();
    expect(await f.tokens.verify(t.token)).toMatchObject({ ok: true, scopes: ['read'] });
    await updateConsumer(target(), 'alice', { scopes: [] });
    await f.tokens.refresh();
    expect(await f.tokens.verify(t.token)).toMatchObject({ ok: true, scopes: [] });
    // Widening the ceiling again never adds scopes the token was not issued with.
    await updateConsumer(target(), 'alice', { scopes: null });
    await f.tokens.refresh();
    expect(await f.tokens.verify(t.token)).toMatchObject({ ok: true, scopes: ['read', 'write'] });
  });
});

const WRITER = `name: writer
version: "1.0"
trigger: { type: rest, methods: [GET], routes: [/write-resource], removePrefix: true, auth: { jwt: true, scopes: [write] } }
steps:
  - type: json-generator
    json: { ok: true }
`;

describe('gateway (end to end)', () => {
  let e: E2e;
  beforeAll(async () => {
    e = await startE2e({ 'writer.yaml': WRITER });
  }, 30_000);
  afterAll(async () => {
    await e.close();
  });
  const target = () => ({ store: e.gw.store, master: e.master, environment: 'test' });

  it('delete then re-create the consumer: its old token is refused (401)', async () => {
    const key = await e.consumer('carol', ['read', 'write']);
    const token = e.tokenOf(await e.login(key, { userID: 'u-1', role: 'admin' }));
    expect((await e.get('/protected-resource', token)).status).toBe(200);
    await deleteConsumer(target(), 'carol');
    const newKey = await e.consumer('carol', ['read', 'write']);
    await e.gw.refresh();
    const res = await e.get('/protected-resource', token);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized', error: 'invalid_token' });
    expect(['revoked', 'consumer_unknown']).toContain((await e.authEvent(res))?.reason);
    // The re-created consumer has its own tokens.
    const fresh = e.tokenOf(await e.login(newKey, { userID: 'u-1', role: 'admin' }));
    expect((await e.get('/protected-resource', fresh)).status).toBe(200);
  });

  it('narrowing the consumer scopes applies to its live tokens at once (403 insufficient_scope)', async () => {
    const key = await e.consumer('dave', ['read', 'write']);
    const token = e.tokenOf(await e.login(key, { userID: 'u-2', role: 'admin' }));
    expect((await e.get('/write-resource', token)).status).toBe(200);
    await updateConsumer(target(), 'dave', { scopes: ['read'] });
    await e.gw.refresh();
    const res = await e.get('/write-resource', token);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'insufficient_scope' });
    const ok = await e.get('/protected-resource', token);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ scopes: ['read'] });
  });
});
