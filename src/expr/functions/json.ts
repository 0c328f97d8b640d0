// JSON functions: JSONPATH, TOJSON, UNESCAPEJSON and the array/object helpers (never mutate their input).
import type { JsonObject, JsonValue } from '../../core/json.js';
import { defineOwn, getOwn, isJsonObject, parseJsonSafe } from '../../core/json.js';
import type { FunctionDef } from '../function-def.js';
import { argTypeError, argValueError, limitError } from '../function-def.js';
import { reqInt, reqStr, toArr, toStr } from './coerce.js';
import { applyPathFunction, selectNodes } from './jsonpath-eval.js';
import { parseJsonPath } from './jsonpath-parse.js';
import { MAX_JSON_TEXT } from './limits.js';

function parseText(fn: string, text: string): JsonValue {
  if (text.length > MAX_JSON_TEXT)
    limitError(fn, `the JSON text is longer than ${MAX_JSON_TEXT} characters`);
  try {
    return parseJsonSafe(text);
  } catch (err) {
    return argValueError(fn, `invalid JSON: ${(err as Error).message}`);
  }
}

function jsonPath(doc: JsonValue, expr: string): JsonValue {
  const path = parseJsonPath(expr);
  const nodes = selectNodes(path, doc, doc);
  if (path.fn !== null) return applyPathFunction(path.fn, nodes, path.definite);
  return path.definite ? (nodes[0] ?? null) : nodes;
}

/** Unescapes backslash sequences of a JSON string body (\" \\ \/ \b \f \n \r \t \uXXXX). */
function unescapeJsonText(s: string): string {
  return s.replace(/\\(u[0-9a-fA-F]{4}|["\\/bfnrt])/g, (_, e: string) => {
    if (e.startsWith('u')) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' } as Record<string, string>)[e] ?? e;
  });
}

function arrayFn(
  name: string,
  sig: string,
  summary: string,
  maxArgs: number,
  body: (arr: JsonValue[], args: JsonValue[]) => JsonValue,
): FunctionDef {
  return {
    name,
    group: 'json',
    minArgs: maxArgs === 1 ? 1 : 2,
    maxArgs,
    args: maxArgs === 1 ? ['array'] : ['array', 'any'],
    signature: `${name}(${sig})`,
    summary,
    call: (args) => {
      const arr = toArr(name, 0, args[0]);
      return arr === null ? null : body(arr, args);
    },
  };
}

/** An index argument; null or a non-integer is a type error. */
const index = (fn: string, v: JsonValue | undefined): number => reqInt(fn, 1, v);

export const jsonFunctions: FunctionDef[] = [
  {
    name: 'JSONPATH',
    group: 'json',
    minArgs: 2,
    maxArgs: 2,
    args: ['any', 'string'],
    signature: 'JSONPATH(value, expression)',
    summary:
      'Jayway JSONPath query: a definite path gives the value (null when missing), others an array; filters [?(@.price < 10 && @.tag in [\'a\'])], =~ /regex/i, and trailing min() max() avg() stddev() sum() length(): JSONPATH({"a":[1,2,3]}, "$.a.max()") is 3.',
    call: ([v, e]) => {
      const expr = reqStr('JSONPATH', 1, e);
      if (v === null || v === undefined) return null;
      const doc = typeof v === 'string' ? parseText('JSONPATH', v) : v;
      return jsonPath(doc, expr);
    },
  },
  {
    name: 'TOJSON',
    group: 'json',
    minArgs: 1,
    maxArgs: 1,
    signature: 'TOJSON(value)',
    summary:
      'parses a JSON string (TOJSON("{\\"a\\":1}") is {"a":1}, TOJSON("false") is false); other values are returned as they are; invalid JSON is an error.',
    call: ([v]) => (typeof v === 'string' ? parseText('TOJSON', v) : (v ?? null)),
  },
  {
    name: 'UNESCAPEJSON',
    group: 'json',
    minArgs: 1,
    maxArgs: 1,
    args: ['string'],
    signature: 'UNESCAPEJSON(value)',
    summary:
      'removes JSON escaping (\\" → ", \\\\ → \\, \\n, \\uXXXX); when the result is a JSON object or array it is returned parsed, otherwise as a string: UNESCAPEJSON("{\\\\\\"a\\\\\\":1}") is {"a":1}.',
    call: ([v]) => {
      const s = toStr('UNESCAPEJSON', 0, v);
      if (s === null) return null;
      if (s.length > MAX_JSON_TEXT)
        limitError('UNESCAPEJSON', `the text is longer than ${MAX_JSON_TEXT} characters`);
      let text = unescapeJsonText(s);
      if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1);
      if (/^\s*[[{]/.test(text)) {
        try {
          return parseJsonSafe(text);
        } catch {
          return text;
        }
      }
      return text;
    },
  },
  arrayFn(
    'GETELEMENTAT',
    'array, index',
    'the element at a 0-based index; null when the index is out of range: GETELEMENTAT([1,2,3], 1) is 2.',
    2,
    (arr, [, i]) => arr[index('GETELEMENTAT', i)] ?? null,
  ),
  arrayFn(
    'LASTELEMENT',
    'array',
    'the last element; null for an empty array.',
    1,
    (arr) => arr[arr.length - 1] ?? null,
  ),
  arrayFn(
    'REMOVEAT',
    'array, index',
    'a copy without the element at index; an invalid index leaves the array unchanged: REMOVEAT([1,2,3], 0) is [2,3].',
    2,
    (arr, [, i]) => {
      const at = index('REMOVEAT', i);
      return at >= 0 && at < arr.length ? [...arr.slice(0, at), ...arr.slice(at + 1)] : arr;
    },
  ),
  arrayFn(
    'PUSH',
    'array, element',
    'a copy with element appended (a missing element appends null): PUSH([1], 2) is [1,2].',
    2,
    (arr, [, e]) => [...arr, e ?? null],
  ),
  arrayFn(
    'POP',
    'array',
    '{"array": all but the last, "element": the last}; an empty array gives {"array": [], "element": null}.',
    1,
    (arr) => ({
      array: arr.slice(0, -1),
      element: arr[arr.length - 1] ?? null,
    }),
  ),
  {
    name: 'NEWEMPTYOBJECT',
    group: 'json',
    minArgs: 0,
    maxArgs: 0,
    signature: 'NEWEMPTYOBJECT()',
    summary: 'a new empty object {}.',
    call: () => ({}),
  },
  {
    name: 'NEWEMPTYARRAY',
    group: 'json',
    minArgs: 0,
    maxArgs: 0,
    signature: 'NEWEMPTYARRAY()',
    summary: 'a new empty array [].',
    call: () => [],
  },
  {
    name: 'CARDINALITYONE',
    group: 'json',
    minArgs: 1,
    maxArgs: 1,
    signature: 'CARDINALITYONE(x)',
    summary:
      'the first element when x is an array (null when empty); any other value unchanged: CARDINALITYONE([4,5]) is 4.',
    call: ([x]) => (Array.isArray(x) ? (x[0] ?? null) : (x ?? null)),
  },
  {
    name: 'CARDINALITYMANY',
    group: 'json',
    minArgs: 1,
    maxArgs: 1,
    signature: 'CARDINALITYMANY(x)',
    summary:
      'x wrapped in an array unless it already is one: CARDINALITYMANY(4) is [4]; null gives [null].',
    call: ([x]) => (Array.isArray(x) ? x : [x ?? null]),
  },
  {
    name: 'ARRAYTOOBJECT',
    group: 'json',
    minArgs: 1,
    maxArgs: 3,
    args: ['array', 'string', 'string'],
    signature: 'ARRAYTOOBJECT(array, keyField? = "key", valueField? = "value")',
    summary:
      'an object from [{"key": k, "value": v}, …] entries or [k, v] pairs (later keys win): ARRAYTOOBJECT([["a",1]]) is {"a":1}. Pipegate design (undocumented in the reference).',
    call: ([a, kf, vf]) => {
      const arr = toArr('ARRAYTOOBJECT', 0, a);
      if (arr === null) return null;
      const keyField = toStr('ARRAYTOOBJECT', 1, kf) ?? 'key';
      const valueField = toStr('ARRAYTOOBJECT', 2, vf) ?? 'value';
      const out: JsonObject = {};
      arr.forEach((entry, i) => {
        const [k, v] = Array.isArray(entry)
          ? [entry[0], entry[1]]
          : isJsonObject(entry)
            ? [
                getOwn(entry, keyField) as JsonValue | undefined,
                getOwn(entry, valueField) as JsonValue | undefined,
              ]
            : [undefined, undefined];
        if (typeof k !== 'string' && typeof k !== 'number')
          argTypeError(
            'ARRAYTOOBJECT',
            0,
            `entries with a string "${keyField}" (element ${i})`,
            entry,
          );
        defineOwn(out, String(k), v ?? null);
      });
      return out;
    },
  },
  {
    name: 'OBJECTTOARRAY',
    group: 'json',
    minArgs: 1,
    maxArgs: 3,
    args: ['object', 'string', 'string'],
    signature: 'OBJECTTOARRAY(object, keyField? = "key", valueField? = "value")',
    summary:
      'the object\'s entries as [{"key": k, "value": v}, …] in key order: OBJECTTOARRAY({"a":1}) is [{"key":"a","value":1}]. Pipegate design (undocumented in the reference).',
    call: ([o, kf, vf]) => {
      if (o === null || o === undefined) return null;
      if (!isJsonObject(o)) return argTypeError('OBJECTTOARRAY', 0, 'an object', o);
      const keyField = toStr('OBJECTTOARRAY', 1, kf) ?? 'key';
      const valueField = toStr('OBJECTTOARRAY', 2, vf) ?? 'value';
      return Object.keys(o).map((k) => {
        const entry: JsonObject = {};
        defineOwn(entry, keyField, k);
        defineOwn(entry, valueField, getOwn(o, k) as JsonValue);
        return entry;
      });
    },
  },
];
