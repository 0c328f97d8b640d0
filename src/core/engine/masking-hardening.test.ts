// Masking matches sensitive names by normalised substring, walks whole values, and the log step logs a summary by default (issue 10 item 13).
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../json.js';
import { loadPipelineText } from '../loader/index.js';
import { defaultRegistry } from '../../connectors/index.js';
import { assertNoSensitiveClaims } from '../../security/tokens/claims-policy.js';
import { BUILT_IN_SENSITIVE_FIELDS, collectSensitiveValues, redactMessage, sensitiveNameSet } from './masking.js';
import { runPipeline } from './run-pipeline.js';

const names = sensitiveNameSet(['cpf']);

describe('sensitive names', () => {
  it.each([
    'newPassword', 'x-api-key', 'X-Api-Key', 'proxy-authorization', 'Proxy-Authorization', 'set-cookie',
    'csrfToken', 'client-secret', 'userPin', 'pin_code', 'PIN', 'customerSSN', 'cvv2', 'customer_cpf',
    // the exact names still match (nothing weaker than before)
    ...BUILT_IN_SENSITIVE_FIELDS, 'Pass_Word', 'API-KEY', 'cpf',
  ])('%s is sensitive', (name) => {
    expect(names.has(name)).toBe(true);
  });

  it.each(['user', 'role', 'shipping', 'spinner', 'mapping', 'description', 'userID', 'amount'])('%s is not', (name) => {
    expect(names.has(name)).toBe(false);
  });

  it('jwt generate refuses claims matched the same way, at any depth', () => {
    const cases: JsonObject[] = [{ newPassword: 'x' }, { profile: { 'x-api-key': 'k' } }, { list: [{ userPin: 1 }] }];
    for (const claims of cases) {
      expect(() => assertNoSensitiveClaims(claims, [])).toThrow(expect.objectContaining({ code: 'ERR_JWT_SENSITIVE_CLAIM' }));
    }
    expect(() => assertNoSensitiveClaims({ userID: 1, shipping: 'x' }, [])).not.toThrow();
  });
});

describe('whole-value walks', () => {
  const late: JsonValue = { items: Array.from({ length: 20_000 }, (_, i) => ({ i })), auth: { newPassword: 'late-secret' } };
  let deep: JsonValue = { password: 'deep-secret' };
  for (let i = 0; i < 100_000; i++) deep = { next: deep };

  it('collects values past 10,000 nodes and deeper than 64 levels (iteratively, no stack overflow)', () => {
    expect(collectSensitiveValues(late, names)).toEqual(new Set(['late-secret']));
    expect(collectSensitiveValues(deep, names)).toEqual(new Set(['deep-secret']));
  });

  it('redacts past 10,000 nodes and at any depth', () => {
    const out = redactMessage(late, names) as { items: unknown[]; auth: { newPassword: string } };
    expect(out.items).toHaveLength(20_000);
    expect(out.auth.newPassword).toBe('***');
    let node = redactMessage(deep, names) as Record<string, unknown>;
    while ('next' in node) node = node.next as Record<string, unknown>;
    expect(node).toEqual({ password: '***' });
  });
});

describe('log step', () => {
  const pipeline = (step: string) =>
    loadPipelineText('p.yaml', `name: p\nversion: "1.0"\nsteps:\n  - type: log\n${step}`, { registry: defaultRegistry });

  it('by default logs a summary of the message, not its content', async () => {
    const r = await runPipeline(pipeline('    level: INFO\n'), { message: { user: 'ana', note: 'hello world', card: { number: '4111' } } });
    expect(r.logs).toHaveLength(1);
    const text = r.logs[0]!.message;
    expect(text).toContain('an object with 3 fields');
    for (const content of ['ana', 'hello world', '4111', 'note']) expect(text).not.toContain(content);
  });

  it('masks header values under x-api-key and proxy-authorization, and a newPassword field', async () => {
    const message = {
      headers: { 'x-api-key': 'key-123456', 'proxy-authorization': 'Basic cHJveHk6cHc=' },
      body: { newPassword: 'n3w-pass' },
    };
    const r = await runPipeline(pipeline('    level: INFO\n    message: "{{ message.$ }}"\n'), { message });
    const text = r.logs[0]!.message;
    for (const secret of ['key-123456', 'cHJveHk6cHc=', 'n3w-pass']) expect(text).not.toContain(secret);
    expect(text).toContain('***');
  });
});
