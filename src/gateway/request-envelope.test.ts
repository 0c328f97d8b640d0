// The envelope's fast path (no query string: no URLSearchParams) against the general path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEnvelope } from './request-envelope.js';
import type { EnvelopeInput } from './request-envelope.js';

const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
const inputArb: fc.Arbitrary<Omit<EnvelopeInput, 'query'>> = fc.record({
  triggerType: fc.constantFrom('rest' as const, 'http' as const),
  method: fc.constantFrom('GET', 'POST', 'PUT'),
  path: fc.stringMatching(/^\/[a-z0-9/]{0,20}$/),
  headers: fc.dictionary(name, fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 3 }))),
  params: fc.dictionary(name, fc.string()),
  body: fc.option(
    fc.oneof(
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))),
      fc.string().map((s) => Buffer.from(s)),
    ),
    { nil: undefined },
  ),
  strip: fc.record({ apiKey: fc.boolean(), authorization: fc.boolean() }),
});

/** The envelope, or the code it was refused with (malformed JSON bodies). */
function outcome(input: EnvelopeInput): unknown {
  try {
    return buildEnvelope(input);
  } catch (err) {
    return { refused: (err as { code?: string }).code };
  }
}

describe('buildEnvelope without a query string', () => {
  it('is the same message with query null as with an empty URLSearchParams', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(outcome({ ...input, query: null })).toEqual(
          outcome({ ...input, query: new URLSearchParams('') }),
        );
      }),
      { numRuns: 500, seed: 1504 },
    );
  });
});
