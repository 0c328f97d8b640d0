// Numerical functions: FORMATNUMBER, TONUMBER (DecimalFormat patterns), TODOUBLE, TOINT, TOLONG, RANDOMNUMBERS.
import type { JsonValue } from '../../core/json.js';
import type { FunctionDef } from '../function-def.js';
import { argValueError, limitError } from '../function-def.js';
import { reqInt, reqStr, toBool, toNum, toStr } from './coerce.js';
import type { NumberPattern } from './decimal-format.js';
import type { RoundingMode } from './exact-decimal.js';
import { ROUNDING_MODES } from './exact-decimal.js';
import {
  compileNumberPattern,
  formatNumber,
  numberSymbols,
  parseNumber,
} from './decimal-format.js';
import { MAX_FORMAT_PATTERN } from './limits.js';

const patternCache = new Map<string, NumberPattern>();

function pattern(fn: string, text: string): NumberPattern {
  const hit = patternCache.get(text);
  if (hit) return hit;
  if (text.length > MAX_FORMAT_PATTERN)
    limitError(fn, `the pattern is longer than ${MAX_FORMAT_PATTERN} characters`);
  const compiled = compileNumberPattern(fn, text);
  if (patternCache.size >= 500) patternCache.clear();
  patternCache.set(text, compiled);
  return compiled;
}

const INT_DIGITS = /^\s*([+-]?)(\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?\s*$/;

/**
 * Truncates toward zero. Values beyond ±(2^53−1) cannot be held exactly by a JSON number in
 * JavaScript, so they are ERR_EXPR_ARGUMENT_VALUE rather than a silently rounded integer.
 */
function truncated(
  fn: string,
  value: JsonValue | undefined,
  min: number,
  max: number,
  what: string,
): number | null {
  if (typeof value === 'string') {
    const m = INT_DIGITS.exec(value);
    if (m && !/[eE]/.test(value)) {
      const big = BigInt((m[1] ?? '') + (m[2] ?? '0'));
      if (big > BigInt(max) || big < BigInt(min))
        return argValueError(fn, `${value.trim()} is outside the ${what} range`);
      return Number(big);
    }
  }
  const n = toNum(fn, 0, value);
  if (n === null) return null;
  const t = Math.trunc(n);
  if (t > max || t < min) return argValueError(fn, `${n} is outside the ${what} range`);
  return t === 0 ? 0 : t;
}

export const numericalFunctions: FunctionDef[] = [
  {
    name: 'FORMATNUMBER',
    group: 'numerical',
    minArgs: 2,
    maxArgs: 4,
    args: ['number', 'string', 'string', 'string'],
    signature: 'FORMATNUMBER(value, pattern, locale? = "en-us", rounding? = "HALF_EVEN")',
    summary:
      'value as text with a Java DecimalFormat pattern (#, 0, grouping, quoted literals, %, ‰, E exponent, pos;neg); rounding is UP, DOWN, CEILING, FLOOR, HALF_UP, HALF_DOWN, HALF_EVEN or UNNECESSARY on the exact double: FORMATNUMBER(1234567.891, "###,###.##") is "1,234,567.89".',
    call: ([v, p, l, r]) => {
      const n = toNum('FORMATNUMBER', 0, v);
      const pat = pattern('FORMATNUMBER', reqStr('FORMATNUMBER', 1, p));
      const mode = (toStr('FORMATNUMBER', 3, r) ?? 'HALF_EVEN').toUpperCase();
      if (!(ROUNDING_MODES as readonly string[]).includes(mode)) {
        return argValueError(
          'FORMATNUMBER',
          `unknown rounding "${mode}" (${ROUNDING_MODES.join(', ')})`,
        );
      }
      if (n === null) return null;
      const symbols = numberSymbols('FORMATNUMBER', toStr('FORMATNUMBER', 2, l) ?? 'en-us');
      return formatNumber(n, pat, symbols, mode as RoundingMode);
    },
  },
  {
    name: 'TONUMBER',
    group: 'numerical',
    minArgs: 2,
    maxArgs: 4,
    args: ['string', 'string', 'string', 'boolean'],
    signature: 'TONUMBER(string, formatSource, locale? = "en-us", asInteger? = false)',
    summary:
      'parses formatted text with a DecimalFormat pattern: TONUMBER("R$ 300.754,15", "\'R$ \'###,###.##", "pt-br") is 300754.15; asInteger truncates.',
    call: ([s, p, l, asInt]) => {
      const text = toStr('TONUMBER', 0, s);
      if (text === null) return null;
      const pat = pattern('TONUMBER', toStr('TONUMBER', 1, p) ?? '#,##0.###');
      const n = parseNumber(
        'TONUMBER',
        text,
        pat,
        numberSymbols('TONUMBER', toStr('TONUMBER', 2, l) ?? 'en-us'),
      );
      const out = toBool('TONUMBER', 3, asInt) ? Math.trunc(n) : n;
      return out === 0 ? 0 : out;
    },
  },
  {
    name: 'TODOUBLE',
    group: 'numerical',
    minArgs: 1,
    maxArgs: 1,
    args: ['any'],
    signature: 'TODOUBLE(n)',
    summary:
      'n (number or numeric string) as a number: TODOUBLE("12.5") is 12.5; TODOUBLE(12) is 12 (JSON has no 12.0).',
    call: ([v]) => toNum('TODOUBLE', 0, v),
  },
  {
    name: 'TOINT',
    group: 'numerical',
    minArgs: 1,
    maxArgs: 1,
    args: ['any'],
    signature: 'TOINT(n)',
    summary:
      'n truncated toward zero to a 32-bit integer: TOINT(12.345) is 12; outside ±2^31 is an error.',
    call: ([v]) => truncated('TOINT', v, -2147483648, 2147483647, '32-bit integer'),
  },
  {
    name: 'TOLONG',
    group: 'numerical',
    minArgs: 1,
    maxArgs: 1,
    args: ['any'],
    signature: 'TOLONG(n)',
    summary:
      'n (number or numeric string) truncated toward zero: TOLONG(12.345) is 12; beyond ±(2^53−1) is an error.',
    call: ([v]) =>
      truncated(
        'TOLONG',
        v,
        -Number.MAX_SAFE_INTEGER,
        Number.MAX_SAFE_INTEGER,
        'exact integer (±2^53−1)',
      ),
  },
  {
    name: 'RANDOMNUMBERS',
    group: 'numerical',
    minArgs: 2,
    maxArgs: 2,
    args: ['integer', 'integer'],
    pure: false,
    signature: 'RANDOMNUMBERS(min, max)',
    summary: 'a random integer in [min, max], both inclusive, within ±(2^53−1).',
    call: ([a, b], services) => {
      const min = reqInt('RANDOMNUMBERS', 0, a);
      const max = reqInt('RANDOMNUMBERS', 1, b);
      if (min > max) return argValueError('RANDOMNUMBERS', `min ${min} is greater than max ${max}`);
      const span = max - min + 1;
      if (!Number.isSafeInteger(span))
        return argValueError('RANDOMNUMBERS', 'the range is wider than 2^53');
      return min + Math.floor(services.random() * span);
    },
  },
];
