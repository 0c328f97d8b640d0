// Shared argument coercions of the function library (Double Braces null and truthiness rules).
import type { JsonValue } from '../../core/json.js';
import { argTypeError } from '../function-def.js';

/** Boolean argument: null counts as false; the strings "true"/"false" are accepted. */
export function toBool(fn: string, index: number, value: JsonValue): boolean {
  if (value === null) return false;
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
export function toStr(fn: string, index: number, value: JsonValue): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return argTypeError(fn, index, 'a string', value);
}
