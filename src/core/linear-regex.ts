// The one regex guard of Double Braces and JOLT: only patterns V8's linear-time engine can run are compiled.
import { setFlagsFromString } from 'node:v8';
import { PlatformError } from '../errors/index.js';

/*
 * Decision (docs/security.md "Regular expressions"): no native RE2. V8 ships a linear-time
 * (automaton) engine; `--enable-experimental-regexp-engine` makes its `l` flag available, and
 * `…-on-excessive-backtracks` moves a regex that is still compiled for the fast backtracking engine
 * onto the linear one after 50,000 backtracks. A pattern is accepted only if V8 compiles it with the
 * `l` flag, so the fallback is always available: the fast path serves ordinary inputs and no input
 * can make a match super-linear. What the linear engine cannot run (lookaround, back-references,
 * the i/u flags, counted repetitions multiplying past 16) is refused with ERR_REGEX_NOT_LINEAR.
 */
setFlagsFromString('--enable-experimental-regexp-engine');
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** Longest pattern accepted (characters). */
export const MAX_PATTERN_CHARS = 1_000;
/** Longest input any regex runs against (characters): bounds the linear engine's time too. */
export const MAX_INPUT_CHARS = 1_000_000;

/** Why V8 refused the `l` flag, in words a pipeline author can act on. */
function reasonOf(source: string, flags: string): string {
  if (/[iuv]/.test(flags)) return 'case-insensitive Unicode matching or Unicode mode';
  if (/\(\?<?[=!]/.test(source)) return 'lookahead or lookbehind';
  if (/\\[1-9]|\\k</.test(source)) return 'back-references';
  return 'counted repetitions such as {n,m} multiply past 16 in total';
}

/** True when `source`/`flags` is valid JS syntax that the linear engine cannot run. */
function refusal(source: string, flags: string): string | null {
  try {
    new RegExp(source, `${flags}l`);
    return null;
  } catch {
    // Invalid syntax is the caller's SyntaxError; only a valid but non-linear pattern is refused.
    new RegExp(source, flags);
    return reasonOf(source, flags);
  }
}

/**
 * Compiles a JavaScript-syntax pattern for the linear-time guarantee. `name` is the function or
 * operation named in errors. Throws ERR_REGEX_NOT_LINEAR for patterns the linear engine cannot run,
 * a SyntaxError for invalid syntax, and the caller's limit error for oversized patterns is checked
 * by `checkPatternLength`.
 */
export function compileLinearRegex(name: string, source: string, flags = ''): RegExp {
  const reason = refusal(source, flags);
  if (reason !== null) throw new PlatformError('ERR_REGEX_NOT_LINEAR', { name, reason });
  return new RegExp(source, flags);
}
