// Java DecimalFormat-style number patterns: compile once, format (HALF_EVEN) and parse with locale symbols.
import { PlatformError } from '../../errors/index.js';
import { argValueError } from '../function-def.js';
import type { RoundingMode } from './exact-decimal.js';
import { roundDecimal } from './exact-decimal.js';
import { formatScientific } from './scientific.js';

/** One compiled DecimalFormat pattern. */
export interface NumberPattern {
  posPrefix: string;
  posSuffix: string;
  /** Undefined when the pattern has no explicit negative subpattern. */
  negPrefix?: string;
  negSuffix?: string;
  minInt: number;
  minFrac: number;
  maxFrac: number;
  /** 0 when the pattern has no grouping separator. */
  groupSize: number;
  multiplier: number;
  showDecimalPoint: boolean;
  /** Integer digits (# and 0) before the decimal point; drives engineering notation. */
  maxInt: number;
  /** Minimum exponent digits; 0 when the pattern is not scientific. */
  expDigits: number;
}

/** Locale symbols used by formatting and parsing. */
export interface NumberSymbols {
  decimal: string;
  group: string;
  minus: string;
}

const NUMBER_CHARS = new Set(['#', '0', ',', '.']);

/** Splits one subpattern into prefix, number part and suffix; quoted text is literal. */
function splitSub(
  fn: string,
  sub: string,
): { prefix: string; number: string; suffix: string; multiplier: number; expDigits: number } {
  let prefix = '';
  let expDigits = 0;
  let number = '';
  let suffix = '';
  let multiplier = 1;
  let phase = 0;
  for (let i = 0; i < sub.length; i++) {
    const ch = sub[i] as string;
    if (ch === "'") {
      const end = sub.indexOf("'", i + 1);
      if (end < 0) argValueError(fn, `unterminated quote in pattern "${sub}"`);
      const lit = end === i + 1 ? "'" : sub.slice(i + 1, end);
      if (phase === 1) phase = 2;
      if (phase === 0) prefix += lit;
      else suffix += lit;
      i = end;
      continue;
    }
    if (ch >= '1' && ch <= '9') {
      throw new PlatformError('ERR_EXPR_UNSUPPORTED', {
        name: fn,
        feature: 'rounding increments (digits 1-9 in a pattern)',
      });
    }
    if (NUMBER_CHARS.has(ch)) {
      if (phase === 2) argValueError(fn, `malformed pattern "${sub}"`);
      phase = 1;
      number += ch;
      continue;
    }
    if (ch === 'E' && phase === 1) {
      // Scientific notation: E followed by the minimum number of exponent digits (0.###E0).
      while (sub[i + 1] === '0') {
        expDigits++;
        i++;
      }
      if (expDigits === 0) argValueError(fn, `malformed exponent in pattern "${sub}"`);
      phase = 2;
      continue;
    }
    if (ch === '¤') {
      throw new PlatformError('ERR_EXPR_UNSUPPORTED', { name: fn, feature: 'the currency sign ¤' });
    }
    if (ch === '%') multiplier = 100;
    if (ch === '‰') multiplier = 1000;
    if (phase === 1) phase = 2;
    if (phase === 0) prefix += ch;
    else suffix += ch;
  }
  if (number === '') argValueError(fn, `pattern "${sub}" has no digits`);
  return { prefix, number, suffix, multiplier, expDigits };
}

/** Compiles a pattern such as `#,##0.00;(#,##0.00)` or `'R$ '###,###.##`. */
export function compileNumberPattern(fn: string, pattern: string): NumberPattern {
  const semi = findUnquoted(pattern, ';');
  const pos = splitSub(fn, semi < 0 ? pattern : pattern.slice(0, semi));
  const neg = semi < 0 ? undefined : splitSub(fn, pattern.slice(semi + 1));
  const dot = pos.number.indexOf('.');
  const intPart = dot < 0 ? pos.number : pos.number.slice(0, dot);
  const fracPart = dot < 0 ? '' : pos.number.slice(dot + 1);
  if (fracPart.includes('.') || fracPart.includes(','))
    argValueError(fn, `malformed pattern "${pattern}"`);
  const lastComma = intPart.lastIndexOf(',');
  return {
    posPrefix: pos.prefix,
    posSuffix: pos.suffix,
    ...(neg ? { negPrefix: neg.prefix, negSuffix: neg.suffix } : {}),
    minInt: (intPart.match(/0/g) ?? []).length,
    minFrac: (fracPart.match(/0/g) ?? []).length,
    maxFrac: fracPart.length,
    groupSize: lastComma < 0 ? 0 : intPart.length - lastComma - 1,
    multiplier: pos.multiplier,
    showDecimalPoint: dot === pos.number.length - 1,
    maxInt: intPart.replace(/,/g, '').length,
    expDigits: pos.expDigits,
  };
}

function findUnquoted(s: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "'") quoted = !quoted;
    else if (!quoted && s[i] === ch) return i;
  }
  return -1;
}

/** Formats `value` with the compiled pattern; ties round half-even on the exact double, as Java does. */
export function formatNumber(
  value: number,
  p: NumberPattern,
  sym: NumberSymbols,
  mode: RoundingMode = 'HALF_EVEN',
): string {
  const negative = value < 0 || Object.is(value, -0);
  if (p.expDigits > 0) return formatScientific(value, p, sym, mode);
  const rounded = roundDecimal(Math.abs(value) * p.multiplier, p.maxFrac, mode, negative);
  if (rounded === null)
    return argValueError('FORMATNUMBER', 'rounding mode UNNECESSARY but the value needs rounding');
  const { int, frac } = rounded;
  let digits = int.replace(/^0+/, '').padStart(p.minInt, '0');
  let fraction = frac;
  while (fraction.length > p.minFrac && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  if (digits === '' && fraction === '') digits = '0';
  if (p.groupSize > 0 && digits.length > p.groupSize) {
    const groups: string[] = [];
    for (let end = digits.length; end > 0; end -= p.groupSize)
      groups.unshift(digits.slice(Math.max(0, end - p.groupSize), end));
    digits = groups.join(sym.group);
  }
  const body =
    fraction !== '' || p.showDecimalPoint ? `${digits}${sym.decimal}${fraction}` : digits;
  if (!negative) return p.posPrefix + body + p.posSuffix;
  if (p.negPrefix !== undefined) return p.negPrefix + body + (p.negSuffix ?? '');
  return sym.minus + p.posPrefix + body + p.posSuffix;
}

/** Parses text the way DecimalFormat.parse does: prefix, digits with separators, trailing text ignored. */
export function parseNumber(
  fn: string,
  text: string,
  p: NumberPattern,
  sym: NumberSymbols,
): number {
  let rest = text.trim();
  let negative = false;
  const negPrefix = p.negPrefix ?? sym.minus + p.posPrefix;
  if (negPrefix !== '' && rest.startsWith(negPrefix) && negPrefix.length >= p.posPrefix.length) {
    negative = true;
    rest = rest.slice(negPrefix.length);
  } else if (rest.startsWith(p.posPrefix)) {
    rest = rest.slice(p.posPrefix.length);
  } else if (rest.startsWith(sym.minus)) {
    negative = true;
    rest = rest.slice(sym.minus.length);
  } else {
    return argValueError(fn, `"${text}" does not match the pattern prefix "${p.posPrefix}"`);
  }
  let num = '';
  let seenDecimal = false;
  let i = 0;
  for (; i < rest.length; i++) {
    const ch = rest[i] as string;
    if (ch >= '0' && ch <= '9') num += ch;
    else if (!seenDecimal && rest.startsWith(sym.decimal, i)) {
      seenDecimal = true;
      num += '.';
      i += sym.decimal.length - 1;
    } else if (!seenDecimal && p.groupSize >= 0 && rest.startsWith(sym.group, i)) {
      i += sym.group.length - 1;
    } else break;
  }
  if (!/\d/.test(num)) return argValueError(fn, `"${text}" is not a number in this format`);
  // DecimalFormat.parse reads an exponent ("1.2E3") whatever the pattern.
  const exp = new RegExp(`^E(${escapeRe(sym.minus)}|-)?(\\d{1,4})`).exec(rest.slice(i));
  if (exp) i += exp[0].length;
  let value = Number(exp ? `${num}e${exp[1] ? '-' : ''}${exp[2] as string}` : num);
  if (!Number.isFinite(value)) return argValueError(fn, `"${text}" is out of the number range`);
  const suffix = rest.slice(i);
  if (p.multiplier !== 1 && suffix.includes(p.multiplier === 100 ? '%' : '‰'))
    value /= p.multiplier;
  return negative ? -value : value;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const symbolCache = new Map<string, NumberSymbols>();

/** Decimal, grouping and minus symbols of a locale such as `en-us` or `pt_BR` (from Intl/CLDR). */
export function numberSymbols(fn: string, locale: string): NumberSymbols {
  const cached = symbolCache.get(locale);
  if (cached) return cached;
  const tag = canonicalLocale(fn, locale);
  const parts = new Intl.NumberFormat(tag, { useGrouping: true }).formatToParts(-12345.6);
  const pick = (type: string, fallback: string): string =>
    parts.find((x) => x.type === type)?.value ?? fallback;
  const sym = {
    decimal: pick('decimal', '.'),
    group: pick('group', ','),
    minus: pick('minusSign', '-'),
  };
  if (symbolCache.size < 100) symbolCache.set(locale, sym);
  return sym;
}

/** `pt_br`, `PT-BR` → `pt-BR`; an invalid tag is ERR_EXPR_ARGUMENT_VALUE. */
export function canonicalLocale(fn: string, locale: string): string {
  try {
    const [tag] = Intl.getCanonicalLocales(locale.replace(/_/g, '-'));
    if (tag === undefined) return argValueError(fn, `invalid locale "${locale}"`);
    return tag;
  } catch {
    return argValueError(fn, `invalid locale "${locale}"`);
  }
}
