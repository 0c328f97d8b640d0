// Shared argument coercions of the function library (Double Braces null, number and truthiness rules).
import type { JsonValue } from '../../core/json.js';
import { argTypeError, argValueError, limitError } from '../function-def.js';
import { MAX_RESULT_CHARS } from './limits.js';

/** Boolean argument: null counts as false; the strings "true"/"false" are accepted. */
export function toBool(fn: string, index: number, value: JsonValue | undefined): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return argTypeError(fn, index, 'a boolean', value);
}

/** Text form of a value: strings as-is, objects and arrays as JSON, null as "null". */
export function textOf(value: JsonValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** String argument: numbers and booleans are converted; objects are a type error; null stays null. */
export function toStr(fn: string, index: number, value: JsonValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return argTypeError(fn, index, 'a string', value);
}

/** Like toStr, but null is a type error too (for arguments that have no null meaning). */
export function reqStr(fn: string, index: number, value: JsonValue | undefined): string {
  const s = toStr(fn, index, value);
  if (s === null) return argTypeError(fn, index, 'a string', null);
  return s;
}

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Number argument: JSON numbers and numeric strings ("12.5"); null stays null. */
export function toNum(fn: string, index: number, value: JsonValue | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return argTypeError(fn, index, 'a number', value);
}

/** Like toNum, but null is a type error. */
export function reqNum(fn: string, index: number, value: JsonValue | undefined): number {
  const n = toNum(fn, index, value);
  if (n === null) return argTypeError(fn, index, 'a number', null);
  return n;
}

/** Integer argument (a number without fraction, or a numeric string of one). */
export function reqInt(fn: string, index: number, value: JsonValue | undefined): number {
  const n = reqNum(fn, index, value);
  if (!Number.isSafeInteger(n)) return argTypeError(fn, index, 'an integer', value);
  return n;
}

/** Array argument; null stays null. */
export function toArr(fn: string, index: number, value: JsonValue | undefined): JsonValue[] | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value;
  return argTypeError(fn, index, 'an array', value);
}

/** A numeric result must be finite to be JSON; NaN and ±Infinity are a coded error. */
export function finite(fn: string, n: number): number {
  if (!Number.isFinite(n)) return argValueError(fn, 'the result is not a finite number');
  return Object.is(n, -0) ? 0 : n;
}

/** Refuses string results past MAX_RESULT_CHARS before they are built. */
export function checkResultLength(fn: string, length: number): void {
  if (length > MAX_RESULT_CHARS)
    limitError(fn, `the result would exceed ${MAX_RESULT_CHARS} characters`);
}
