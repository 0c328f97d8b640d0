// Translates Java regex syntax to a JavaScript RegExp and enforces the library's regex safety rules.
import { setFlagsFromString } from 'node:v8';
import { PlatformError } from '../../errors/index.js';
import { argValueError, limitError } from '../function-def.js';
import { MAX_BACKTRACKING_INPUT, MAX_REGEX_INPUT, MAX_REGEX_PATTERN } from './limits.js';

// V8 switches a regex to its linear-time engine once it backtracks excessively. That engine runs
// patterns without lookaround, back-references and the i/u flags, which is why case-insensitivity is
// rewritten below into ASCII character classes (also Java's CASE_INSENSITIVE meaning).
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/** A translated pattern: JS source, flags, and whether it can only run on the backtracking engine. */
export interface CompiledRegex {
  source: string;
  flags: string;
  backtracking: boolean;
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
const CATEGORY = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?)$/;
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
      flags: jsFlags(f, false),
      backtracking: false,
    };
  }
  if (f.includes('x')) p = stripComments(p);
  let out = '';
  let unicode = f.includes('U');
  let backtracking = false;
  let nested = false;
  const stack: Frame[] = [{ repeats: false, ci }];
  const caseless = (): boolean => (stack[stack.length - 1] as Frame).ci;
  let lastGroupRepeats: boolean | null = null;
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const ch = p[i] as string;
    const next = p[i + 1] ?? '';
    const atomIsGroup = lastGroupRepeats;
    lastGroupRepeats = null;
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
          const bare = name.replace(/^Is/, '');
          const prop = CATEGORY.test(bare)
            ? bare
            : /^javaLowerCase$/.test(name)
              ? 'Ll'
              : /^javaUpperCase$/.test(name)
                ? 'Lu'
                : `Script=${bare}`;
          unicode = true;
          out += `\\${next}{${prop}}`;
        }
        continue;
      }
      if (!inClass && /[1-9]/.test(next)) backtracking = true;
      if (next === 'k') backtracking = true;
      if (next === 'A' || next === 'z') {
        // With MULTILINE, ^ and $ match at lines, so the input edges need lookaround.
        if (f.includes('m')) backtracking = true;
        out +=
          next === 'A'
            ? f.includes('m')
              ? '(?<![\\s\\S])'
              : '^'
            : f.includes('m')
              ? '(?![\\s\\S])'
              : '$';
      } else if (next === 'Z') {
        backtracking = true;
        out += '(?=\\n?(?![\\s\\S]))';
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
      } else if (caseless() && /[a-zA-Z]/.test(ch)) out += ch + swap(ch);
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
        if (/^[=!]|^<[=!]/.test(rest)) backtracking = true;
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
      lastGroupRepeats = frame.repeats;
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
      if (repeats) {
        if (atomIsGroup) nested = true;
        (stack[stack.length - 1] as Frame).repeats = true;
      }
      out += q;
      i += q.length - 1;
      continue;
    }
    out += caseless() && /[a-zA-Z]/.test(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch;
  }
  if (unicode) backtracking = true;
  if (backtracking && nested) {
    limitError(
      fn,
      'nested quantifiers combined with lookaround, back-references or Unicode properties are refused (catastrophic backtracking)',
    );
  }
  return { source: out, flags: jsFlags(f, unicode), backtracking };
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

function jsFlags(f: string, unicode: boolean): string {
  return (
    (f.includes('m') ? 'm' : '') +
    (f.includes('s') ? 's' : '') +
    (unicode ? (f.includes('i') ? 'iu' : 'u') : '')
  );
}

const cache = new Map<string, { re: RegExp; backtracking: boolean }>();

/**
 * A global RegExp for a Java pattern (cached), after checking the input size: 1,000,000 characters,
 * or 10,000 for patterns that need the backtracking engine.
 */
export function javaRegex(
  fn: string,
  pattern: string,
  flags: string,
  input: string,
  whole = false,
): RegExp {
  const key = `${whole ? 'W' : 'F'}${flags}/${pattern}`;
  let hit = cache.get(key);
  if (!hit) {
    const t = translateJavaRegex(fn, pattern, flags);
    const source = whole
      ? t.flags.includes('m')
        ? `(?<![\\s\\S])(?:${t.source})(?![\\s\\S])`
        : `^(?:${t.source})$`
      : t.source;
    let re: RegExp;
    try {
      re = new RegExp(source, `g${t.flags}`);
    } catch (err) {
      return argValueError(
        fn,
        `invalid regex: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`,
      );
    }
    hit = { re, backtracking: t.backtracking || (whole && t.flags.includes('m')) };
    if (cache.size >= 500) cache.clear();
    cache.set(key, hit);
  }
  const max = hit.backtracking ? MAX_BACKTRACKING_INPUT : MAX_REGEX_INPUT;
  if (input.length > max)
    limitError(fn, `the input is longer than ${max} characters for this regex`);
  hit.re.lastIndex = 0;
  return hit.re;
}
