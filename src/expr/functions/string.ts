// String functions without regexes: CAPITALIZE … TRIM (indices are UTF-16 code units, as in Java).
import type { JsonValue } from '../../core/json.js';
import type { FunctionDef } from '../function-def.js';
import { argValueError, limitError } from '../function-def.js';
import { checkResultLength, reqInt, reqStr, textOf, toBool, toStr } from './coerce.js';

const MAX_RANDOM_STRING = 100_000;
const CHARSETS: Record<string, string> = {
  ALPHANUMERIC: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  ALPHABETIC: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  NUMERIC: '0123456789',
  ASCII: Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join(''),
};

/** Apache StringUtils.leftPad/rightPad: pad with `pad` (repeated, cut) up to `size` code units. */
function pad(fn: string, args: JsonValue[], left: boolean): JsonValue {
  const s = toStr(fn, 0, args[0]);
  const size = reqInt(fn, 1, args[1]);
  const padWith = toStr(fn, 2, args[2]) || ' ';
  if (s === null) return null;
  if (size <= s.length) return s;
  checkResultLength(fn, size);
  const fill = padWith
    .repeat(Math.ceil((size - s.length) / padWith.length))
    .slice(0, size - s.length);
  return left ? fill + s : s + fill;
}

function simple(
  name: string,
  sig: string,
  summary: string,
  op: (s: string) => string,
): FunctionDef {
  return {
    name,
    group: 'string',
    minArgs: 1,
    maxArgs: 1,
    args: ['string'],
    signature: `${name}(${sig})`,
    summary,
    call: ([s]) => {
      const text = toStr(name, 0, s);
      return text === null ? null : op(text);
    },
  };
}

function indexFn(name: string, last: boolean): FunctionDef {
  return {
    name,
    group: 'string',
    minArgs: 2,
    maxArgs: last ? 2 : 3,
    args: last ? ['string', 'string'] : ['string', 'string', 'integer'],
    signature: last ? 'LASTINDEXOF(s, sub)' : 'INDEXOF(s, sub, from? = 0)',
    summary: last
      ? '0-based position of the last occurrence of sub, -1 when absent or null: LASTINDEXOF("banana", "an") is 3.'
      : '0-based position of the first occurrence of sub at or after from, -1 when absent or null: INDEXOF("banana", "an") is 1.',
    call: ([s, sub, from]) => {
      const text = toStr(name, 0, s);
      const needle = toStr(name, 1, sub);
      const start = from === undefined || from === null ? 0 : reqInt(name, 2, from);
      if (text === null || needle === null) return -1;
      return last ? text.lastIndexOf(needle) : text.indexOf(needle, Math.max(0, start));
    },
  };
}

export const stringFunctions: FunctionDef[] = [
  simple(
    'CAPITALIZE',
    's',
    'first character in upper case, the rest unchanged: CAPITALIZE("hello world") is "Hello world".',
    (s) => {
      const first = s.codePointAt(0);
      if (first === undefined) return s;
      const ch = String.fromCodePoint(first);
      return ch.toUpperCase() + s.slice(ch.length);
    },
  ),
  {
    name: 'CONCAT',
    group: 'string',
    minArgs: 1,
    maxArgs: Infinity,
    signature: 'CONCAT(s1, …, sn)',
    summary:
      'the arguments joined as text (objects and arrays as JSON; null arguments are skipped): CONCAT("a", 1, true) is "a1true".',
    call: (args) => {
      const out = args.map((a) => (a === null || a === undefined ? '' : textOf(a))).join('');
      checkResultLength('CONCAT', out.length);
      return out;
    },
  },
  {
    name: 'CONTAINS',
    group: 'string',
    minArgs: 2,
    maxArgs: 2,
    args: ['string', 'string'],
    signature: 'CONTAINS(s, sub)',
    summary: 'true when s contains sub (case-sensitive); false when either is null.',
    call: ([s, sub]) => {
      const text = toStr('CONTAINS', 0, s);
      const needle = toStr('CONTAINS', 1, sub);
      return text !== null && needle !== null && text.includes(needle);
    },
  },
  {
    name: 'DEFAULT',
    group: 'string',
    minArgs: 2,
    maxArgs: 2,
    signature: 'DEFAULT(value, fallback)',
    summary: 'value, or fallback when value is null or missing (an empty string is kept).',
    call: ([v, d]) => (v === null || v === undefined ? (d ?? null) : v),
  },
  indexFn('INDEXOF', false),
  indexFn('LASTINDEXOF', true),
  {
    name: 'JOIN',
    group: 'string',
    minArgs: 2,
    maxArgs: Infinity,
    // The values may be arrays (their elements are joined): only the separator is a string.
    args: ['string', 'any'],
    signature: 'JOIN(separator, s1, …, sn)',
    summary:
      'the values joined with separator; an array argument contributes its elements; nulls are skipped: JOIN("-", "a", "b") is "a-b".',
    call: ([sep, ...rest]) => {
      const separator = toStr('JOIN', 0, sep) ?? '';
      const items = rest
        .flatMap((v) => (Array.isArray(v) ? v : [v ?? null]))
        .filter((v) => v !== null);
      const out = items.map((v) => textOf(v)).join(separator);
      checkResultLength('JOIN', out.length);
      return out;
    },
  },
  {
    name: 'LEFTPAD',
    group: 'string',
    minArgs: 2,
    maxArgs: 3,
    args: ['string', 'integer', 'string'],
    signature: 'LEFTPAD(s, length, padding? = " ")',
    summary:
      's padded on the left to length (unchanged if already long enough): LEFTPAD("42", 5, "0") is "00042".',
    call: (args) => pad('LEFTPAD', args, true),
  },
  {
    name: 'RIGHTPAD',
    group: 'string',
    minArgs: 2,
    maxArgs: 3,
    args: ['string', 'integer', 'string'],
    signature: 'RIGHTPAD(s, length, padding? = " ")',
    summary: 's padded on the right to length: RIGHTPAD("ab", 4, "*") is "ab**".',
    call: (args) => pad('RIGHTPAD', args, false),
  },
  simple('LOWERCASE', 's', 's in lower case (null stays null).', (s) => s.toLowerCase()),
  simple('UPPERCASE', 's', 's in upper case (null stays null).', (s) => s.toUpperCase()),
  simple('NORMALIZE', 's', 'accents removed: NORMALIZE("São Paulo") is "Sao Paulo".', (s) =>
    s
      .normalize('NFD')
      .replace(/\p{Mn}/gu, '')
      .replace(/Ł/g, 'L')
      .replace(/ł/g, 'l')
      .normalize('NFC'),
  ),
  {
    name: 'RANDOMSTRINGS',
    group: 'string',
    minArgs: 2,
    maxArgs: 2,
    args: ['string', 'integer'],
    pure: false,
    signature: 'RANDOMSTRINGS(charset, length)',
    summary: `random string of length characters from ALPHANUMERIC, ALPHABETIC, NUMERIC or ASCII (printable); length ≤ ${MAX_RANDOM_STRING}.`,
    call: ([c, l], services) => {
      const name = reqStr('RANDOMSTRINGS', 0, c).toUpperCase();
      const chars = CHARSETS[name];
      if (chars === undefined)
        return argValueError(
          'RANDOMSTRINGS',
          `unknown charset "${name}" (ALPHANUMERIC, ALPHABETIC, NUMERIC, ASCII)`,
        );
      const length = reqInt('RANDOMSTRINGS', 1, l);
      if (length < 0) return argValueError('RANDOMSTRINGS', 'length must not be negative');
      if (length > MAX_RANDOM_STRING)
        return limitError('RANDOMSTRINGS', `length is above ${MAX_RANDOM_STRING}`);
      let out = '';
      for (let i = 0; i < length; i++) out += chars[Math.floor(services.random() * chars.length)];
      return out;
    },
  },
  {
    name: 'SUBSTRING',
    group: 'string',
    minArgs: 2,
    maxArgs: 4,
    args: ['string', 'integer', 'integer', 'boolean'],
    signature: 'SUBSTRING(s, start, end?, throwIndexOutOfBoundError? = true)',
    summary:
      'characters from start (inclusive) to end (exclusive, default the end); an out-of-range index is an error, or s itself when the flag is false.',
    call: ([s, a, b, flag]) => {
      const text = toStr('SUBSTRING', 0, s);
      const start = reqInt('SUBSTRING', 1, a);
      if (text === null) return null;
      const end = b === undefined || b === null ? text.length : reqInt('SUBSTRING', 2, b);
      if (start < 0 || end > text.length || start > end) {
        const shouldThrow =
          flag === undefined || flag === null ? true : toBool('SUBSTRING', 3, flag);
        if (!shouldThrow) return text;
        return argValueError(
          'SUBSTRING',
          `index out of range: begin ${start}, end ${end}, length ${text.length}`,
        );
      }
      return text.slice(start, end);
    },
  },
  {
    name: 'TOSTRING',
    group: 'string',
    minArgs: 1,
    maxArgs: 1,
    signature: 'TOSTRING(x)',
    summary:
      'the text form of x (objects and arrays as JSON; null stays null): TOSTRING(12) is "12".',
    call: ([x]) => (x === null || x === undefined ? null : textOf(x)),
  },
  simple(
    'TRIM',
    's',
    'leading and trailing blanks and control characters (≤ U+0020) removed, as Java trim().',
    (s) => {
      let start = 0;
      let end = s.length;
      while (start < end && s.charCodeAt(start) <= 0x20) start++;
      while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
      return s.slice(start, end);
    },
  ),
];
