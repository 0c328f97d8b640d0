// The modify-*-beta function library (`=toUpper`, `=concat(…)`, …) with upstream's argument conventions.
import { MAX_INPUT_CHARS, MAX_PATTERN_CHARS, compileLinearRegex } from '../core/linear-regex.js';
import { PlatformError } from '../errors/index.js';
import { type JoltValue, isMap, treeEquals } from './tree.js';

/** Longest string a function may build (concat/join/toString), and longest list split may return. */
export const MAX_STRING_LENGTH = 16 * 1024 * 1024;
export const MAX_SPLIT_PARTS = 1_000_000;

function guard(s: string): string {
  if (s.length > MAX_STRING_LENGTH) {
    throw new PlatformError('ERR_JOLT_LIMIT', {
      what: 'string built by a modify function',
      limit: 'maxStringLength',
      max: MAX_STRING_LENGTH,
    });
  }
  return s;
}

/**
 * A modify function: receives the evaluated arguments (Java varargs) and returns the value to
 * write, or undefined to write nothing.
 */
export type JoltFunction = (args: JoltValue[]) => JoltValue | undefined;

type Single = (arg: JoltValue) => JoltValue | undefined;
type ListFn = (args: JoltValue[]) => JoltValue | undefined;

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
/** Long.MAX_VALUE as the nearest double (2^63). */
const LONG_LIMIT = 2 ** 63;

/** Java Integer proxy: after JSON parsing, integral values within 32 bits. */
function isInt(v: JoltValue): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX;
}
function isDouble(v: JoltValue): v is number {
  return typeof v === 'number' && !Number.isInteger(v);
}

/** Upstream's toNumber: numbers as they are, numeric strings parsed (int, then long, then double). */
export function toNumber(v: JoltValue | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const t = v.trim();
  if (/^[+-]?\d+$/.test(v)) return Number(v);
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(t)) {
    const n = Number(t.replace(/[dDfF]$/, ''));
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function truncInt(n: number): number {
  const t = Math.trunc(n);
  return Math.min(INT_MAX, Math.max(INT_MIN, t));
}
function truncLong(n: number): number {
  const t = Math.trunc(n);
  return Math.min(LONG_LIMIT, Math.max(-LONG_LIMIT, t));
}

/** Java's String.valueOf for JSON values (maps as `{k=v}`, lists as `[a, b]`). */
export function javaToString(v: JoltValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(javaToString).join(', ')}]`;
  return `{${[...v].map(([k, x]) => `${k}=${javaToString(x)}`).join(', ')}}`;
}

/** Java's String.trim: strips characters up to U+0020 at both ends. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/** BaseFunction: no args -> nothing; one list -> list handler; one null -> nothing; one value -> single. */
function base(single: Single, list: ListFn): JoltFunction {
  return (args) => {
    if (args.length === 0) return undefined;
    if (args.length === 1) {
      const a = args[0]!;
      if (Array.isArray(a)) return a.length === 0 ? undefined : list(a);
      if (a === null) return undefined;
      return single(a);
    }
    return list(args);
  };
}

/** SingleFunction: applies to one value, or to each element of a list (keeping elements it can't handle). */
function single(fn: Single): JoltFunction {
  return base(fn, (items) => items.map((o) => fn(o) ?? o));
}

/** ListFunction: only works on a list (or several args). */
function listOnly(fn: ListFn): JoltFunction {
  return base(() => undefined, fn);
}

/** ArgDrivenFunction: the first arg (of the right type) drives how the rest is handled. */
function argDriven<S>(
  isSpecial: (v: JoltValue) => v is JoltValue & S,
  onList: (special: S, items: JoltValue[]) => JoltValue | undefined,
  onSingle: (special: S, item: JoltValue) => JoltValue | undefined,
): JoltFunction {
  return (input) => {
    let args = input;
    if (args.length === 1 && Array.isArray(args[0])) args = args[0];
    if (args.length < 2 || !isSpecial(args[0]!)) return undefined;
    const special = args[0] as S;
    if (args.length === 2) {
      const second = args[1]!;
      return Array.isArray(second) ? onList(special, second) : onSingle(special, second);
    }
    return onList(special, args.slice(1));
  };
}

const isString = (v: JoltValue): v is string => typeof v === 'string';

function argDrivenSingle<S>(
  isSpecial: (v: JoltValue) => v is JoltValue & S,
  fn: (s: S, v: JoltValue) => JoltValue | undefined,
): JoltFunction {
  return argDriven(isSpecial, (s, items) => items.map((o) => fn(s, o) ?? o), fn);
}

function argDrivenList<S>(
  isSpecial: (v: JoltValue) => v is JoltValue & S,
  fn: (s: S, items: JoltValue[]) => JoltValue | undefined,
): JoltFunction {
  return argDriven(isSpecial, fn, () => undefined);
}

function extremum(items: JoltValue[], wantMax: boolean): JoltValue | undefined {
  const pick = wantMax ? Math.max : Math.min;
  let i = wantMax ? INT_MIN : INT_MAX;
  let d = wantMax ? -Number.MAX_VALUE : Number.MAX_VALUE;
  let l = wantMax ? -LONG_LIMIT : LONG_LIMIT;
  let found = false;
  for (const raw of items) {
    const arg = typeof raw === 'string' ? toNumber(raw) : raw;
    if (typeof arg !== 'number') continue;
    found = true;
    if (isInt(arg)) i = pick(i, arg);
    else if (isDouble(arg)) d = pick(d, arg);
    else l = pick(l, arg);
  }
  if (!found) return undefined;
  // Upstream compares the int/long/double candidates by their long values (so max(1, 1.5) is 1).
  const dl = truncLong(d);
  if (wantMax) {
    if (i >= dl && i >= l) return i;
    return l >= dl ? l : d;
  }
  if (i <= dl && i <= l) return i;
  return l <= dl ? l : d;
}

function divide(items: JoltValue[]): number | undefined {
  if (items.length !== 2) return undefined;
  const nr = toNumber(items[0]!);
  const dr = toNumber(items[1]!);
  if (nr === undefined || dr === undefined || dr === 0) return undefined;
  return nr / dr;
}

function pad(left: boolean, source: string, args: JoltValue[]): JoltValue | undefined {
  const width = args[0];
  const filler = args[1];
  if (width === undefined || filler === undefined || !isInt(width) || typeof filler !== 'string')
    return undefined;
  if (width <= 0 || width > 500 || filler.length !== 1) return undefined;
  if (width <= source.length) return source;
  const padding = filler.repeat(width - source.length);
  return left ? padding + source : source + padding;
}

/**
 * The separator as a regex under the shared linear-time guard (src/core/linear-regex.ts): invalid
 * syntax writes nothing (upstream's convention for bad arguments); a pattern the linear engine cannot
 * run is refused with ERR_REGEX_NOT_LINEAR. Compiled patterns are cached.
 */
const splitCache = new Map<string, RegExp>();
function linearRegex(pattern: string): RegExp | undefined {
  const hit = splitCache.get(pattern);
  if (hit) return hit;
  if (pattern.length > MAX_PATTERN_CHARS) {
    throw new PlatformError('ERR_JOLT_LIMIT', {
      what: 'split pattern',
      limit: 'maxPatternLength',
      max: MAX_PATTERN_CHARS,
    });
  }
  let re: RegExp;
  try {
    re = compileLinearRegex('split', pattern);
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
  if (splitCache.size >= 500) splitCache.clear();
  splitCache.set(pattern, re);
  return re;
}

function split(separator: string, source: JoltValue): JoltValue | undefined {
  if (typeof source !== 'string') return undefined;
  const re = linearRegex(separator);
  if (re === undefined) return undefined;
  if (source.length > MAX_INPUT_CHARS) {
    throw new PlatformError('ERR_JOLT_LIMIT', {
      what: 'string split by a regex',
      limit: 'maxRegexInput',
      max: MAX_INPUT_CHARS,
    });
  }
  const parts = source.split(re, MAX_SPLIT_PARTS + 1);
  if (parts.length > MAX_SPLIT_PARTS) {
    throw new PlatformError('ERR_JOLT_LIMIT', {
      what: 'list built by split',
      limit: 'maxNodes',
      max: MAX_SPLIT_PARTS,
    });
  }
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 1 && parts[0] === '' && source.length > 0) return [];
  return parts;
}

function squashNulls(v: JoltValue): JoltValue {
  if (Array.isArray(v)) {
    const kept = v.filter((x) => x !== null);
    v.length = 0;
    v.push(...kept);
  } else if (isMap(v)) {
    for (const [k, x] of [...v]) if (x === null) v.delete(k);
  }
  return v;
}

function squashNullsDeep(v: JoltValue): JoltValue {
  squashNulls(v);
  if (Array.isArray(v)) v.forEach(squashNullsDeep);
  else if (isMap(v)) for (const x of v.values()) squashNullsDeep(x);
  return v;
}

function squashDuplicates(v: JoltValue): JoltValue {
  if (!Array.isArray(v)) return v;
  const kept: JoltValue[] = [];
  for (const x of v) if (!kept.some((k) => treeEquals(k, x))) kept.push(x);
  return kept;
}

/** Applies to the one container argument itself (not element-wise). */
function whole(fn: (v: JoltValue) => JoltValue): JoltFunction {
  return (args) => {
    if (args.length === 0 || args[0] === null || args[0] === undefined) return undefined;
    return fn(args.length === 1 ? args[0] : args);
  };
}

function predicate(test: (v: JoltValue) => boolean): JoltFunction {
  return (args) => (args.length === 0 ? undefined : test(args[0]!));
}

function compareForSort(a: JoltValue, b: JoltValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  throw new TypeError('not comparable');
}

/** The stock functions, by name. */
export const stockFunctions: Record<string, JoltFunction> = {
  toLower: single((v) => (typeof v === 'string' ? v.toLowerCase() : undefined)),
  toUpper: single((v) => (typeof v === 'string' ? v.toUpperCase() : undefined)),
  trim: single((v) => (typeof v === 'string' ? javaTrim(v) : undefined)),
  concat: listOnly((items) =>
    guard(
      items
        .filter((x) => x !== null)
        .map(javaToString)
        .join(''),
    ),
  ),
  join: argDrivenList(isString, (sep, items) => {
    let out = '';
    items.forEach((x, i) => {
      if (x === null) return;
      const s = javaToString(x);
      if (s === '') return;
      out += s;
      if (i < items.length - 1) out += sep;
      guard(out);
    });
    return out;
  }),
  split: argDrivenSingle(isString, split),
  substring: listOnly((items) => {
    const [s, start, end] = items;
    if (items.length !== 3 || typeof s !== 'string' || !isInt(start!) || !isInt(end!))
      return undefined;
    if (start >= end || start < 0 || end < 1 || end > s.length) return undefined;
    return s.slice(start, end);
  }),
  leftPad: argDrivenList(isString, (source, args) => pad(true, source, args)),
  rightPad: argDrivenList(isString, (source, args) => pad(false, source, args)),
  min: base(
    (v) => (typeof v === 'number' ? v : undefined),
    (items) => extremum(items, false),
  ),
  max: base(
    (v) => (typeof v === 'number' ? v : undefined),
    (items) => extremum(items, true),
  ),
  abs: single((v) => {
    const n = typeof v === 'string' ? toNumber(v) : v;
    return typeof n === 'number' ? Math.abs(n) : undefined;
  }),
  avg: listOnly((items) => {
    const nums = items.map(toNumber).filter((n): n is number => n !== undefined);
    return nums.length === 0 ? undefined : nums.reduce((a, b) => a + b, 0) / nums.length;
  }),
  intSum: listOnly((items) => items.reduce<number>((sum, x) => sum + (toInteger(x) ?? 0), 0)),
  doubleSum: listOnly((items) => items.reduce<number>((sum, x) => sum + (toNumber(x) ?? 0), 0)),
  longSum: listOnly((items) => items.reduce<number>((sum, x) => sum + (toLong(x) ?? 0), 0)),
  intSubtract: listOnly((items) =>
    items.length === 2 && isInt(items[0]!) && isInt(items[1]!) ? items[0] - items[1] : undefined,
  ),
  doubleSubtract: listOnly((items) =>
    items.length === 2 && typeof items[0] === 'number' && typeof items[1] === 'number'
      ? items[0] - items[1]
      : undefined,
  ),
  longSubtract: listOnly((items) =>
    items.length === 2 && Number.isInteger(items[0]) && Number.isInteger(items[1])
      ? (items[0] as number) - (items[1] as number)
      : undefined,
  ),
  divide: listOnly(divide),
  divideAndRound: argDrivenList(isInt, (digits, items) => {
    const q = divide(items);
    if (q === undefined || digits < 0 || digits > 100) return undefined;
    return Number(q.toFixed(digits));
  }),
  multiply: listOnly((items) => {
    if (items.length !== 2) return undefined;
    const a = toNumber(items[0]!);
    const b = toNumber(items[1]!);
    if (a === undefined || b === undefined || truncLong(b) === 0) return undefined;
    return truncLong(a) * truncLong(b);
  }),
  toInteger: single(toInteger),
  toDouble: single((v) => toNumber(v)),
  toLong: single(toLong),
  toBoolean: single((v) => {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
    return undefined;
  }),
  toString: single((v) => guard(javaToString(v))),
  size: (args) => {
    if (args.length === 0) return undefined;
    if (args.length > 1) return args.length;
    const v = args[0]!;
    if (Array.isArray(v) || typeof v === 'string') return v.length;
    if (isMap(v)) return v.size;
    return undefined;
  },
  squashNulls: whole(squashNulls),
  recursivelySquashNulls: whole(squashNullsDeep),
  squashDuplicates: whole(squashDuplicates),
  noop: () => undefined,
  isPresent: (args) => (args.length === 0 ? undefined : args[0]),
  notNull: (args) => (args.length === 0 || args[0] === null ? undefined : args[0]),
  isNull: (args) => (args.length === 0 || args[0] !== null ? undefined : null),
  firstElement: listOnly((items) => (items.length > 0 ? items[0] : undefined)),
  lastElement: listOnly((items) => (items.length > 0 ? items[items.length - 1] : undefined)),
  elementAt: argDrivenList(isInt, (index, items) =>
    index >= 0 && items.length > index ? items[index] : undefined,
  ),
  toList: base(
    (v) => [v],
    (items) => items,
  ),
  sort: base(
    (v) => v,
    (items) => {
      try {
        return [...items].sort(compareForSort);
      } catch {
        return undefined;
      }
    },
  ),
  // Pipegate additions (type tests): write true/false for the first argument.
  isString: predicate((v) => typeof v === 'string'),
  isInteger: predicate((v) => isInt(v)),
  isLong: predicate((v) => typeof v === 'number' && Number.isInteger(v)),
  isDouble: predicate((v) => typeof v === 'number'),
  isNumber: predicate((v) => typeof v === 'number'),
  isBoolean: predicate((v) => typeof v === 'boolean'),
  isList: predicate((v) => Array.isArray(v)),
  isMap: predicate((v) => isMap(v)),
  isEmpty: predicate((v) =>
    Array.isArray(v) || typeof v === 'string'
      ? v.length === 0
      : isMap(v)
        ? v.size === 0
        : v === null,
  ),
};

function toInteger(v: JoltValue): number | undefined {
  const n = toNumber(v);
  return n === undefined ? undefined : truncInt(n);
}

function toLong(v: JoltValue): number | undefined {
  const n = toNumber(v);
  return n === undefined ? undefined : truncLong(n);
}
