// Translates Java regex syntax to a JavaScript RegExp that runs under the linear-time guard.
import { compileLinearRegex } from '../../core/linear-regex.js';
import { PlatformError } from '../../errors/index.js';
import { argValueError, limitError } from '../function-def.js';
import { MAX_REGEX_INPUT, MAX_REGEX_PATTERN } from './limits.js';

// Every pattern must run on V8's linear-time engine (src/core/linear-regex.ts), which refuses
// lookaround, back-references and the i/u flags: case-insensitivity is rewritten below into
// character classes (ASCII, plus literal non-ASCII letters under UNICODE_CASE); Unicode categories
// and scripts (\p{L}) are refused, POSIX classes (\p{Alpha}) are ASCII classes as in Java.

/** A translated pattern: JS source and flags. */
export interface CompiledRegex {
  source: string;
  flags: string;
}

function notLinear(fn: string, reason: string): never {
  throw new PlatformError('ERR_REGEX_NOT_LINEAR', { name: fn, reason });
}

const FLAG_MAP: Record<string, string> = {
  CASE_INSENSITIVE: 'i',
  MULTILINE: 'm',
  DOTALL: 's',
  COMMENTS: 'x',
  LITERAL: 'L',
  UNICODE_CASE: 'U',
};
const UNSUPPORTED_FLAGS = new Set(['CANON_EQ', 'UNICODE_CHARACTER_CLASS', 'UNIX_LINES']);
const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
};
const SYNTAX = '^$\\.*+?()[]{}|/';

function unsupported(fn: string, feature: string): never {
  throw new PlatformError('ERR_EXPR_UNSUPPORTED', { name: fn, feature });
}

/** Parses a flag argument: one Java Pattern flag name, or several joined by "|" or ",". */
export function parseFlagNames(fn: string, text: string | null): string {
  if (text === null || text.trim() === '') return '';
  let out = '';
  for (const raw of text.split(/[|,]/)) {
    const name = raw.trim().toUpperCase();
    if (UNSUPPORTED_FLAGS.has(name)) unsupported(fn, `the regex flag ${name}`);
    const f = FLAG_MAP[name];
    if (f === undefined) argValueError(fn, `unknown regex flag "${raw.trim()}"`);
    out += f;
  }
  return out;
}

/** The other case of a letter (ASCII, or any letter with `unicodeCase`), or null. */
function otherCase(ch: string, unicodeCase: boolean): string | null {
  if (!unicodeCase && !/[a-zA-Z]/.test(ch)) return null;
  const lo = ch.toLowerCase();
  const up = ch.toUpperCase();
  if (lo.length !== 1 || up.length !== 1 || lo === up) return null;
  return ch === lo ? up : lo;
}

function escapeChar(ch: string, ci: boolean): string {
  if (ci && /[a-zA-Z]/.test(ch)) return `[${ch.toLowerCase()}${ch.toUpperCase()}]`;
  if (SYNTAX.includes(ch) || ch === '-') return `\\${ch}`;
  return ch;
}

function stripComments(p: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i] as string;
    if (ch === '\\') {
      out += ch + (p[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
    } else if (ch === '#') {
      while (i < p.length && p[i] !== '\n') i++;
    } else if (!/\s/.test(ch)) out += ch;
  }
  return out;
}

interface Frame {
  /** The group holds a repeating quantifier or an alternation (both can backtrack exponentially when repeated). */
  repeats: boolean;
  /** CASE_INSENSITIVE in force inside this group (inline `(?i)` / `(?i:…)` scope it, as in Java). */
  ci: boolean;
}

/** Translates Java syntax; `flags` holds the letters from parseFlagNames. */
export function translateJavaRegex(fn: string, pattern: string, flags: string): CompiledRegex {
  if (pattern.length > MAX_REGEX_PATTERN)
    limitError(fn, `the regex is longer than ${MAX_REGEX_PATTERN} characters`);
  let p = pattern;
  let f = flags;
  const inline = /^\(\?([imsxu]+)\)/.exec(p);
  if (inline) {
    f += (inline[1] ?? '').replace('u', 'U');
    p = p.slice(inline[0].length);
  }
  const ci = f.includes('i');
  if (f.includes('L')) {
    return {
      source: [...p].map((c) => escapeChar(c, ci)).join(''),
      flags: jsFlags(f),
    };
  }
  if (f.includes('x')) p = stripComments(p);
  let out = '';
  const unicodeCase = f.includes('U');
  const stack: Frame[] = [{ repeats: false, ci }];
  const caseless = (): boolean => (stack[stack.length - 1] as Frame).ci;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i] as string;
    const next = p[i + 1] ?? '';
    if (ch === '\\') {
      i++;
      if (next === 'Q') {
        const end = p.indexOf('\\E', i + 1);
        const lit = p.slice(i + 1, end < 0 ? p.length : end);
        out += [...lit]
          .map((c) => (inClass ? escapeClassChar(c, caseless()) : escapeChar(c, caseless())))
          .join('');
        i = end < 0 ? p.length : end + 1;
        continue;
      }
      if (next === 'p' || next === 'P') {
        const m = /^\{(\w+)\}|^(\w)/.exec(p.slice(i + 1));
        if (!m) argValueError(fn, 'malformed \\p escape');
        const name = (m[1] ?? m[2]) as string;
        i += m[0].length;
        const posix = POSIX[name.replace(/^Is/, '')];
        if (posix !== undefined) {
          out +=
            next === 'p'
              ? inClass
                ? posix
                : `[${posix}]`
              : inClass
                ? unsupported(fn, 'a negated POSIX class inside a class')
                : `[^${posix}]`;
        } else {
          // Unicode categories and scripts need the u flag, which the linear-time engine refuses
          // (and expanding them into classes of thousands of ranges makes it crawl).
          notLinear(fn, `the Unicode property \\${next}{${name}} needs Unicode mode`);
        }
        continue;
      }
      if (next === 'A' || next === 'z' || next === 'Z') {
        // With MULTILINE, ^ and $ match at lines, so the input edges would need lookaround.
        if (f.includes('m')) notLinear(fn, `\\${next} under MULTILINE needs lookaround`);
        // \Z (before a final line terminator) is read like this translator's $: the end of input.
        out += next === 'A' ? '^' : '$';
      } else if (next === 'h')
        out += inClass
          ? ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000'
          : '[ \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000]';
      else if (next === 'e') out += '\\x1B';
      else if (next === 'a') out += '\\x07';
      else if (next === 'R' && !inClass) out += '(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])';
      else if ('GXHVE'.includes(next) || next === '') unsupported(fn, `the regex escape \\${next}`);
      else if (/[a-zA-Z0-9]/.test(next) || SYNTAX.includes(next) || next === '-')
        out += `\\${next}`;
      else out += next;
      continue;
    }
    if (inClass) {
      if (ch === '[' || (ch === '&' && next === '&'))
        unsupported(fn, 'nested or intersected character classes');
      if (ch === ']') {
        inClass = false;
        out += ch;
        continue;
      }
      const to = p[i + 2] ?? '';
      if (caseless() && next === '-' && to !== '' && to !== ']' && to !== '\\') {
        // A range under CASE_INSENSITIVE also covers the other case of the ASCII letters inside it.
        out += `${ch}-${to}${swappedRanges(ch.charCodeAt(0), to.charCodeAt(0))}`;
        i += 2;
      } else if (caseless() && otherCase(ch, unicodeCase) !== null)
        out += ch + (otherCase(ch, unicodeCase) as string);
      else out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      if (next === '^') {
        out += '^';
        i++;
      }
      if (p[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (ch === '(') {
      if (next === '?') {
        const rest = p.slice(i + 2);
        if (rest.startsWith('>')) unsupported(fn, 'atomic groups (?>…)');
        const inlineFlags = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
        if (/^[=!]|^<[=!]/.test(rest)) notLinear(fn, 'lookahead or lookbehind');
        else if (inlineFlags && !rest.startsWith(':')) {
          // (?i) / (?-i) switch case-insensitivity for the rest of the group, (?i:…) for a group.
          const [whole, on = '', off = '', end] = inlineFlags;
          if (/[^i]/.test(on + off))
            unsupported(fn, `inline flags other than i inside the pattern (${whole})`);
          const value = on.includes('i') ? true : off.includes('i') ? false : caseless();
          i += 1 + whole.length;
          if (end === ')') (stack[stack.length - 1] as Frame).ci = value;
          else {
            stack.push({ repeats: false, ci: value });
            out += '(?:';
          }
          continue;
        } else if (!/^:|^<\w+>/.test(rest)) unsupported(fn, 'this group construct');
      }
      stack.push({ repeats: false, ci: caseless() });
      out += ch;
      continue;
    }
    if (ch === ')') {
      const frame = stack.pop() ?? { repeats: false, ci };
      if (stack.length === 0) argValueError(fn, 'unbalanced parenthesis in regex');
      if (frame.repeats) (stack[stack.length - 1] as Frame).repeats = true;
      out += ch;
      continue;
    }
    if (ch === '|') (stack[stack.length - 1] as Frame).repeats = true;
    const quant = /^(?:[*+?]|\{\d+(?:,\d*)?\})/.exec(p.slice(i));
    if (quant) {
      const q = quant[0];
      const after = p[i + q.length];
      if (after === '+') unsupported(fn, 'possessive quantifiers');
      const repeats = q !== '?' && !/^\{(\d+)\}$|^\{[01],1\}$|^\{0,?\}$/.test(q);
      if (repeats) (stack[stack.length - 1] as Frame).repeats = true;
      out += q;
      i += q.length - 1;
      continue;
    }
    const other = caseless() ? otherCase(ch, unicodeCase) : null;
    out += other !== null ? `[${ch}${other}]` : ch;
  }
  return { source: out, flags: jsFlags(f) };
}

/** The other-case counterparts of the ASCII letters within lo..hi, as class ranges. */
function swappedRanges(lo: number, hi: number): string {
  let out = '';
  for (const [from, to, shift] of [
    [65, 90, 32],
    [97, 122, -32],
  ] as const) {
    const a = Math.max(lo, from);
    const b = Math.min(hi, to);
    if (a <= b) out += `${String.fromCharCode(a + shift)}-${String.fromCharCode(b + shift)}`;
  }
  return out;
}

function swap(ch: string): string {
  return ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase();
}

function escapeClassChar(ch: string, ci: boolean): string {
  if (ci && /[a-zA-Z]/.test(ch)) return ch + swap(ch);
  return '\\^-[]'.includes(ch) ? `\\${ch}` : ch;
}

/** JS flags: never i or u, which the linear-time engine refuses (case is folded into classes). */
function jsFlags(f: string): string {
  return (f.includes('m') ? 'm' : '') + (f.includes('s') ? 's' : '');
}

const cache = new Map<string, RegExp>();

/**
 * A global RegExp for a Java pattern (cached), guaranteed to run in time linear in the input (see
 * src/core/linear-regex.ts), after checking the input size (1,000,000 characters). A whole-string
 * match under MULTILINE needs input-edge anchors, which only lookaround gives: it runs when the
 * input has no line terminator (where line and input edges coincide) and is refused otherwise.
 */
export function javaRegex(
  fn: string,
  pattern: string,
  flags: string,
  input: string,
  whole = false,
): RegExp {
  const key = `${whole ? 'W' : 'F'}${flags}/${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const t = translateJavaRegex(fn, pattern, flags);
    const source = whole ? `^(?:${t.source})$` : t.source;
    try {
      re = compileLinearRegex(fn, source, `g${t.flags}`);
    } catch (err) {
      if (!(err instanceof SyntaxError)) throw err;
      return argValueError(
        fn,
        `invalid regex: ${err.message.replace(/^Invalid regular expression: /, '')}`,
      );
    }
    if (cache.size >= 500) cache.clear();
    cache.set(key, re);
  }
  if (whole && re.multiline && /[\n\r\u2028\u2029]/.test(input))
    notLinear(fn, 'a whole-string match under MULTILINE on multi-line input needs lookaround');
  if (input.length > MAX_REGEX_INPUT)
    limitError(fn, `the input is longer than ${MAX_REGEX_INPUT} characters for this regex`);
  re.lastIndex = 0;
  return re;
}
