// The jose connector inside real pipelines: expressions rendered by the engine, Fail On Error, load-time errors.
import { describe, expect, it } from 'vitest';
import { joseConnector } from '../src/connectors/jose/jose-connector.js';
import { createRegistry } from '../src/core/registry.js';
import { loadPipelineText, PipelineInvalidError } from '../src/core/loader/index.js';
import { runPipeline } from '../src/core/engine/index.js';
import type { JsonObject } from '../src/core/json.js';
import { fakeAccounts } from './support/jose-fake-context.js';
import { octJwk, testKeys } from './support/jose-keys.js';

// Registered here only: src/connectors/index.ts (the lead's) lists the built-in connectors.
const registry = createRegistry([joseConnector]);
const k = testKeys();
const load = (steps: string) => loadPipelineText('jose.yaml', `name: jose-test\nversion: "1.0"\nsteps:\n${steps}`, { registry });
const now = Date.UTC(2026, 3, 1);
const clock = { now: () => now, uuid: () => '00000000-0000-4000-8000-000000000000', random: () => 0.5 };

describe('jose connector in a pipeline', () => {
  it('signs with an account key and verifies with a JWK from the message', async () => {
    const pipeline = load([
      '  - type: jose',
      '    alias: sign',
      '    operation: generate-jws',
      '    algorithm: ES256',
      '    key: { account: partner-signing }',
      '    subject: "{{ message.user }}"',
      '    expirationMs: "{{ SUM(metadata.execution.startTimestamp, 60000) }}"',
      '    customClaims: { role: "{{ message.role }}" }',
      '  - type: jose',
      '    operation: verify-jws',
      '    token: "{{ step.sign.jws }}"',
      '    algorithms: [ES256]',
      '    key: { jwk: "{{ global.partnerJwk }}" }',
      '',
    ].join('\n'));
    expect(pipeline.accounts).toEqual(['partner-signing']);
    const result = await runPipeline(pipeline, {
      message: { user: 'alice', role: 'admin' },
      globals: { partnerJwk: JSON.stringify(k.p256.publicJwk) },
      host: { accounts: fakeAccounts({ 'partner-signing': { type: 'private-key', pem: k.p256.privatePem } }) },
      clock,
    });
    expect(result.status).toBe('success');
    expect(result.output).toMatchObject({ success: true, verified: true, claims: { sub: 'alice', role: 'admin' }, header: { alg: 'ES256' } });
    const claims = (result.output as JsonObject).claims as JsonObject;
    expect(claims.exp).toBe(Math.floor(now / 1000) + 60);
  });

  it('failOnError false outputs the failure shape and the flow goes on', async () => {
    const pipeline = load([
      '  - type: jose',
      '    operation: verify-jws',
      '    token: "{{ message.token }}"',
      '    algorithms: [HS256]',
      `    key: { jwk: ${JSON.stringify(octJwk(32))} }`,
      '',
    ].join('\n'));
    const token = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{}').toString('base64url')}.`;
    const result = await runPipeline(pipeline, { message: { token }, clock });
    expect(result.status).toBe('success');
    expect(result.output).toEqual({ success: false, message: 'jose verify-jws failed', error: 'Unsecured tokens (alg "none") are never accepted', code: 'ERR_JOSE_ALG_NONE' });
  });

  it('failOnError true ends the execution with the coded error', async () => {
    const pipeline = load([
      '  - type: jose',
      '    operation: decode-jwe',
      '    failOnError: true',
      '    token: "{{ message.token }}"',
      '    algorithms: [dir]',
      `    key: { jwk: ${JSON.stringify(octJwk(32))} }`,
      '',
    ].join('\n'));
    const result = await runPipeline(pipeline, { message: { token: 'x'.repeat(300_000) }, clock });
    expect(result.status).toBe('error');
    expect(result.error?.code).toBe('ERR_JOSE_TOKEN_TOO_LARGE');
  });

  it('reports static problems at load with the step path', () => {
    try {
      load(['  - type: jose', '    operation: verify-jws', '    token: "{{ message.t }}"', '    key: { jwk: { kty: oct, k: AAAA } }', ''].join('\n'));
      expect.fail('the pipeline should not load');
    } catch (err) {
      expect(err).toBeInstanceOf(PipelineInvalidError);
      const issues = (err as PipelineInvalidError).issues.map((i) => [i.path, i.code]);
      expect(issues).toEqual([['/steps/0/algorithms', 'ERR_JOSE_ALGORITHMS_REQUIRED']]);
    }
  });
});
