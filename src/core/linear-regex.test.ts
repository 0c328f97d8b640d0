// Known ReDoS patterns through every regex entry point (Double Braces and JOLT): each finishes or is refused fast.
import { describe, expect, it } from 'vitest';
import { callFunction } from '../expr/functions/frozen-services.js';
import { stockFunctions } from '../jolt/index.js';
import { isPlatformError } from '../errors/index.js';
import { compileLinearRegex } from './linear-regex.js';

/** 5,000 characters: 25 times the input that took 8 s before (issue 10). */
const A = 'a'.repeat(5_000);

/** Classic catastrophic patterns (OWASP, CVE write-ups) with an input that makes backtracking explode. */
const REDOS: [pattern: string, input: string][] = [
  ['(a+)+b', A],
  ['(a|aa)+b', A],
  ['(a|a?)+b', A],
  ['(.*a){12}', A],
  ['(\\w+\\s?)*$!', 'word '.repeat(1_000)],
  ['^(([a-z])+.)+[A-Z]([a-z])+$', A],
  [
    '([a-zA-Z0-9])(([\\-.]|[_]+)?([a-zA-Z0-9]+))*(@){1}[a-z0-9]+[.]{1}(([a-z]{2,3})|([a-z]{2,3}[.]{1}[a-z]{2,3}))$',
    `${A}!`,
  ],
  ['(x+x+)+y', 'x'.repeat(5_000)],
  ['(?=a)a*a*a*a*b', 'a'.repeat(200)],
  ['(?=a)a*a*a*a*b', A],
  ['(a)(\\1|a)+b', A],
  ['(?<=a)(a+)+b', A],
  ['(?i)(a|aa)+b', A.toUpperCase()],
  ['\\p{L}*\\p{L}*\\p{L}*b', 'é'.repeat(5_000)],
  ['a*a*a*a*a*a*a*b', A],
  ['(\\d+)*[a-z]', '1'.repeat(5_000)],
];

const ALLOWED_CODES = new Set(['ERR_REGEX_NOT_LINEAR']);

/** Runs `fn`, returning elapsed ms; a coded refusal counts as finishing, anything else fails. */
function timed(fn: () => unknown): number {
  const t0 = performance.now();
  try {
    fn();
  } catch (err) {
    if (!isPlatformError(err) || !ALLOWED_CODES.has(err.code)) throw err;
  }
  return performance.now() - t0;
}

function runAll(pattern: string, input: string): Record<string, number> {
  return {
    MATCHES: timed(() => callFunction('MATCHES', [input, pattern])),
    STRINGMATCHES: timed(() => callFunction('STRINGMATCHES', [input, pattern])),
    REPLACE: timed(() => callFunction('REPLACE', [input, pattern, '-'])),
    SPLIT: timed(() => callFunction('SPLIT', [input, pattern])),
    'jolt split': timed(() => stockFunctions.split!([pattern.replace(/^\(\?i\)/, ''), input])),
  };
}

describe('regular expressions run in linear time or are refused', () => {
  // Not a timing test: on these inputs a backtracking engine needs on the order of 2^5000 steps
  // (it never finishes), a linear one about a millisecond on a quiet machine (issue 10's bound is
  // 100 ms). The 2 s cut-off only turns "never" into a failure, and leaves a loaded CI machine room.
  runAll('(a+)+b', 'aaa');
  it.each(REDOS)('%s finishes or is refused on every entry point (never backtracks)', (pattern, input) => {
    const times = runAll(pattern, input);
    for (const [entry, ms] of Object.entries(times)) {
      expect({ entry, finished: ms < 2_000 }).toEqual({ entry, finished: true });
    }
  });

  it('refuses lookaround and back-references with a coded error naming the construct', () => {
    expect(() => compileLinearRegex('split', '(?=a)a')).toThrow(
      expect.objectContaining({ code: 'ERR_REGEX_NOT_LINEAR' }),
    );
    expect(() => stockFunctions.split!(['(a)\\1', 'aa'])).toThrow(
      expect.objectContaining({
        code: 'ERR_REGEX_NOT_LINEAR',
        details: { name: 'split', reason: 'back-references' },
      }),
    );
    expect(callFunction('MATCHES', ['ab', 'a(?=b)b'])).toEqual({ code: 'ERR_REGEX_NOT_LINEAR' });
    expect(callFunction('MATCHES', ['é', '\\p{L}'])).toEqual({ code: 'ERR_REGEX_NOT_LINEAR' });
  });

  it('still matches ordinary patterns, with Java case and Unicode rules', () => {
    expect(callFunction('MATCHES', ['ÉCOLE', '(?iu)école'])).toEqual({ value: true });
    expect(callFunction('STRINGMATCHES', ['a1 b2', '\\p{Alpha}\\d'])).toEqual({
      value: ['a1', 'b2'],
    });
    expect(stockFunctions.split!([',', 'a,b,c'])).toEqual(['a', 'b', 'c']);
    expect(stockFunctions.split!(['[', 'a'])).toBeUndefined();
  });
});
