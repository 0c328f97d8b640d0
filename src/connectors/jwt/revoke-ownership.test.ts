// jwt revoke with a jti reaches only the calling consumer's tokens unless allowAnyConsumer: true (issue 10 item 10).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPipelineText } from '../../core/loader/index.js';
import { runPipeline } from '../../core/engine/index.js';
import type { AuthInfo } from '../../core/step-context.js';
import type { JsonValue } from '../../core/json.js';
import { defaultRegistry } from '../index.js';
import { issueReq, makeFixture, type Fixture } from '../../../test/tokens/support.js';

let f: Fixture;
beforeEach(async () => {
  f = await makeFixture();
});
afterEach(async () => {
  await f.close();
});

const alice: AuthInfo = { method: 'apiKey', consumer: 'alice', scopes: [], claims: null };

function revokeStep(extra = ''): ReturnType<typeof loadPipelineText> {
  const text = `name: logout\nversion: "1.0"\nsteps:\n  - type: jwt\n    operation: revoke\n    jti: "{{ message.jti }}"\n    failOnError: true\n${extra}`;
  return loadPipelineText('logout.yaml', text, { registry: defaultRegistry });
}

const run = (extra: string, message: JsonValue, auth: AuthInfo | null = alice) =>
  runPipeline(revokeStep(extra), { message, host: { tokens: f.tokens }, auth, environment: 'test', realm: 'local' });

describe('jwt revoke with a jti', () => {
  it("revokes the calling consumer's token but never another consumer's", async () => {
    const mine = await f.tokens.issue(issueReq({ consumer: 'alice' }));
    const bobs = await f.tokens.issue(issueReq({ consumer: 'bob', scopes: [] }));
    const r = await run('', { jti: bobs.jti });
    expect(r.status).toBe('success');
    expect((await f.tokens.verify(bobs.token)).ok).toBe(true);
    // Another node (reading the store) does not see bob's token revoked either.
    const other = await f.service();
    expect((await other.verify(bobs.token)).ok).toBe(true);
    expect((await run('', { jti: mine.jti })).output).toEqual({ status: 'revoked', jti: mine.jti });
    expect(await f.tokens.verify(mine.token)).toMatchObject({ ok: false, reason: 'revoked' });
    await other.refresh();
    expect(await other.verify(mine.token)).toMatchObject({ ok: false, reason: 'revoked' });
    expect((await other.verify(bobs.token)).ok).toBe(true);
  });

  it("allowAnyConsumer: true revokes any consumer's token", async () => {
    const bobs = await f.tokens.issue(issueReq({ consumer: 'bob', scopes: [] }));
    const r = await run('    allowAnyConsumer: true\n', { jti: bobs.jti });
    expect(r.output).toEqual({ status: 'revoked', jti: bobs.jti });
    expect(await f.tokens.verify(bobs.token)).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('without an authenticated consumer and without the opt-in, a jti revoke is refused', async () => {
    const bobs = await f.tokens.issue(issueReq({ consumer: 'bob', scopes: [] }));
    const r = await run('', { jti: bobs.jti }, null);
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('ERR_JWT_REVOKE_NO_CONSUMER');
    expect((await f.tokens.verify(bobs.token)).ok).toBe(true);
  });

  it('allowAnyConsumer cannot come from an expression (the request must not choose it)', () => {
    expect(() => revokeStep('    allowAnyConsumer: "{{ message.any }}"\n')).toThrow();
  });
});
