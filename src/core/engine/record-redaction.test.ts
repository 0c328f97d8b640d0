// The recorded messages' masking: the no-copy fast path gives exactly what the copying walk gave (property test).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defineOwn, isJsonObject } from '../json.js';
import type { JsonObject, JsonValue } from '../json.js';
import { maskText, normalizeFieldName, sensitiveNameSet } from './masking.js';
import { redactRecorded } from './record-redaction.js';
import type { RedactedMessage } from './record-redaction.js';

/*
 * The reference: redactRecorded as it was before the fast path (commit 7017d3f), verbatim — every
 * message copied by the byName walk.
 */
const MAX_RECORDED_STRING = 320 * 1024 + 1;
const MAX_WALK_NODES = 10_000;
const MAX_DEPTH = 64;
interface Walk {
  names: ReadonlySet<string>;
  found: Set<string>;
  budget: number;
}
function collect(v: JsonValue, w: Walk, depth: number): void {
  if (--w.budget < 0 || depth > MAX_DEPTH) return;
  if (typeof v === 'string' || typeof v === 'number') {
    const s = String(v);
    if (s.length >= 4) w.found.add(s);
  } else if (Array.isArray(v)) for (const i of v) collect(i, w, depth + 1);
  else if (isJsonObject(v)) for (const c of Object.values(v)) collect(c, w, depth + 1);
}
function byName(v: JsonValue, w: Walk, depth: number): JsonValue {
  if (--w.budget < 0 || depth > MAX_DEPTH) return '…';
  if (typeof v === 'string')
    return v.length > MAX_RECORDED_STRING ? `${v.slice(0, MAX_RECORDED_STRING)}…` : v;
  if (Array.isArray(v)) return v.map((i) => byName(i, w, depth + 1));
  if (isJsonObject(v)) {
    const out: JsonObject = {};
    for (const [k, child] of Object.entries(v)) {
      if (child !== null && w.names.has(normalizeFieldName(k))) {
        collect(child, w, depth + 1);
        defineOwn(out, k, '***');
      } else defineOwn(out, k, byName(child, w, depth + 1));
    }
    return out;
  }
  return v;
}
function maskStrings(value: JsonValue, secrets: readonly string[]): JsonValue {
  if (typeof value === 'string') return maskText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => maskStrings(v, secrets));
  if (isJsonObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value))
      defineOwn(out, maskText(k, secrets), maskStrings(v, secrets));
    return out;
  }
  return value;
}
function slowRedact(
  values: readonly (JsonValue | null)[],
  names: ReadonlySet<string>,
  knownSecrets: ReadonlySet<string>,
): RedactedMessage[] {
  const found = new Set<string>();
  const walked = values.map((v) => {
    const w: Walk = { names, found, budget: MAX_WALK_NODES };
    const value = v === null ? null : byName(v, w, 0);
    return { value, oversized: w.budget < 0 };
  });
  const secrets = [...knownSecrets, ...found]
    .filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
  const inJson = secrets.map((s) => JSON.stringify(s).slice(1, -1));
  return walked.map(({ value, oversized }) => {
    if (oversized) return { value: null, text: 'null', oversized };
    let text = JSON.stringify(value) ?? 'null';
    if (inJson.some((s) => text.includes(s)) || secrets.some((s) => text.includes(s))) {
      const masked = maskStrings(value, secrets);
      text = JSON.stringify(masked) ?? 'null';
      return { value: masked, text, oversized };
    }
    return { value, text, oversized };
  });
}

const names = sensitiveNameSet(['cpf']);
const KEYS = [
  'id',
  'name',
  'items',
  'data',
  'shipping',
  'pinned',
  'user',
  'pin',
  'userPin',
  'PIN',
  'pin_code',
  'password',
  'newPassword',
  'Authorization',
  'x-api-key',
  'token',
  'csrfToken',
  'customer_cpf',
  'secretary',
  '__proto__',
  'constructor',
  'toString',
  'a"b',
  'é',
];
const SECRETS = ['s3cr3t-value', 'tok.en/with"quote', 'abcd', 'x\u0001y\\z'];

const leaf = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(...SECRETS, `prefix ${SECRETS[0]} suffix`, '1234', ''),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
);
const json: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 5 }),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 6 })), tie('v')), {
        maxLength: 5,
      })
      .map((entries) => {
        const o: JsonObject = {};
        for (const [k, v] of entries) defineOwn(o, k, v);
        return o;
      }),
  ),
})).v;

/** Shapes a generator rarely reaches: past the depth limit, past the node budget, a string past the cap. */
function deep(n: number, inner: JsonValue): JsonValue {
  let v = inner;
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { level: v };
  return v;
}
const special = fc.oneof(
  fc.integer({ min: 60, max: 70 }).map((n) => deep(n, 'bottom')),
  fc.integer({ min: 60, max: 70 }).map((n) => deep(n, { password: 'hunter22' })),
  fc.integer({ min: 9_990, max: 10_010 }).map((n) => Array.from({ length: n }, (_, i) => i)),
  fc
    .integer({ min: 4_990, max: 5_010 })
    .map((n) => ({ list: Array.from({ length: n }, () => ({})) })),
  fc
    .constantFrom(MAX_RECORDED_STRING - 1, MAX_RECORDED_STRING, MAX_RECORDED_STRING + 1)
    .map((n) => ({
      body: 'x'.repeat(n),
    })),
  fc.constant(Object.assign(Object.create(null) as JsonObject, { id: 1, token: 'abcdef' })),
  fc.constant(Object.assign(Object.create(null) as JsonObject, { id: 1, name: 'plain' })),
  fc.constant({ when: new Date(0) } as unknown as JsonValue),
  // sparse arrays (holes before and after a change)
  // eslint-disable-next-line no-sparse-arrays
  fc.constant([1, , { password: 'hunter22' }, , 2] as unknown as JsonValue),
  // eslint-disable-next-line no-sparse-arrays
  fc.constant([, 'x', ,] as unknown as JsonValue),
  fc.integer({ min: 60, max: 70 }).map((n) => [deep(n, 1), 'after']),
  fc.constant({ raw: Buffer.from('abc') } as unknown as JsonValue),
);
const message = fc.oneof(
  { weight: 6, arbitrary: json },
  { weight: 1, arbitrary: special },
  { weight: 1, arbitrary: fc.constant(null) },
);

describe('redactRecorded', () => {
  it('gives what the copying walk gave, on generated request/response pairs and known secrets', () => {
    fc.assert(
      fc.property(message, message, fc.subarray(SECRETS), (request, response, known) => {
        const secrets = new Set(known);
        const before = JSON.stringify([request, response]);
        const fast = redactRecorded([request, response], names, secrets);
        // the copy-on-write walk never writes into the message it reads
        expect(JSON.stringify([request, response])).toBe(before);
        const slow = slowRedact([request, response], names, secrets);
        expect(fast.map((m) => [m.text, m.oversized])).toEqual(
          slow.map((m) => [m.text, m.oversized]),
        );
        expect(fast.map((m) => m.value)).toEqual(slow.map((m) => m.value));
      }),
      { numRuns: 1000 },
    );
  });

  it("gives the same result when handed each message's JSON text (the response body), on generated messages", () => {
    fc.assert(
      fc.property(message, message, fc.subarray(SECRETS), (request, response, known) => {
        const secrets = new Set(known);
        const general = redactRecorded([request, response], names, secrets);
        const texts = [JSON.stringify(request), JSON.stringify(response)];
        const given = redactRecorded([request, response], names, secrets, texts);
        expect(given.map((m) => [m.text, m.oversized])).toEqual(
          general.map((m) => [m.text, m.oversized]),
        );
        expect(given.map((m) => m.value)).toEqual(general.map((m) => m.value));
      }),
      { numRuns: 1000 },
    );
  });

  it('uses a given text only for a message it leaves as it is', () => {
    const msg = { ok: true };
    const [kept] = redactRecorded([msg], names, new Set(), ['{"ok":true}']);
    expect(kept!.text).toBe('{"ok":true}');
    // A text that is not the message's JSON shows it was used (never the case in the gateway).
    expect(redactRecorded([msg], names, new Set(), ['{"ok": true}'])[0]!.text).toBe('{"ok": true}');
    const [masked] = redactRecorded([{ password: 'pw' }], names, new Set(), ['{"password":"pw"}']);
    expect(masked!.text).toBe('{"password":"***"}');
  });

  it('still masks a value under a sensitive name, and its echo under another name', () => {
    const [req, res] = redactRecorded(
      [
        { user: 'ann', password: 'hunter22' },
        { echo: 'hunter22', ok: true },
      ],
      names,
      new Set(),
    );
    expect(req!.text).toBe('{"user":"ann","password":"***"}');
    expect(res!.text).toBe('{"echo":"***","ok":true}');
  });

  it('masks a known secret in a message with no sensitive name', () => {
    const [res] = redactRecorded(
      [{ note: 'token is s3cr3t-value here' }],
      names,
      new Set(['s3cr3t-value']),
    );
    expect(res!.text).toBe('{"note":"token is *** here"}');
  });

  it('serialises a message with nothing to mask as it is', () => {
    const msg = { ok: true, items: [1, 2, 3], service: 'protected' };
    const [res] = redactRecorded([msg], names, new Set(['s3cr3t-value']));
    expect(res!.text).toBe(JSON.stringify(msg));
    expect(res!.oversized).toBe(false);
  });

  it('masks known secrets that need JSON escapes or not, over successive executions (the answers kept for recent secrets)', () => {
    // Secrets of one length, some with a character JSON escapes, reused from call to call: a kept
    // answer given for another string would leave the escaped form of a secret in the record.
    const secret = fc.stringMatching(/^[ab"\\\n]{6}$/);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(secret, { minLength: 1, maxLength: 3 }), secret), {
          minLength: 1,
          maxLength: 12,
        }),
        (calls) => {
          for (const [known, echoed] of calls) {
            const request = { headers: { 'x-a': `<${known[0]!}>` }, body: { b: echoed } };
            const response = { c: [known[known.length - 1]!] };
            const secrets = new Set(known);
            const fast = redactRecorded([request, response], names, secrets);
            const slow = slowRedact([request, response], names, secrets);
            expect(fast.map((m) => m.text)).toEqual(slow.map((m) => m.text));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
