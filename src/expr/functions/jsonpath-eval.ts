// Evaluator of parsed JSONPath (Jayway semantics): own properties only, iterative deep scan, bounded results.
import type { JsonValue } from '../../core/json.js';
import { getOwn, isJsonObject, jsonEquals } from '../../core/json.js';
import { argValueError, limitError } from '../function-def.js';
import { javaRegex } from './java-regex.js';
import type { FilterExpr, JsonPath, Operand, Selector } from './jsonpath-parse.js';
import { MAX_ARRAY_ELEMENTS } from './limits.js';

/** Every node under `node` (itself first), document order, without recursion. */
function descendantsOrSelf(node: JsonValue): JsonValue[] {
  const out: JsonValue[] = [];
  const stack: JsonValue[] = [node];
  while (stack.length > 0) {
    const n = stack.pop() as JsonValue;
    out.push(n);
    if (out.length > MAX_ARRAY_ELEMENTS)
      limitError('JSONPATH', `more than ${MAX_ARRAY_ELEMENTS} nodes scanned`);
    const children = Array.isArray(n)
      ? n
      : isJsonObject(n)
        ? Object.keys(n).map((k) => getOwn(n, k) as JsonValue)
        : [];
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as JsonValue);
  }
  return out;
}

/** `..name`: values of `names` on every object under `node` (itself included), document order, no recursion. */
function scanProps(node: JsonValue, names: string[], out: JsonValue[]): void {
  const stack: JsonValue[] = [node];
  let visited = 0;
  while (stack.length > 0) {
    const n = stack.pop() as JsonValue;
    if (++visited > MAX_ARRAY_ELEMENTS)
      limitError('JSONPATH', `more than ${MAX_ARRAY_ELEMENTS} nodes scanned`);
    if (Array.isArray(n)) {
      for (let i = n.length - 1; i >= 0; i--) stack.push(n[i] as JsonValue);
    } else if (isJsonObject(n)) {
      for (const name of names) {
        const v = getOwn(n, name);
        if (v !== undefined) out.push(v as JsonValue);
      }
      const keys = Object.keys(n);
      for (let i = keys.length - 1; i >= 0; i--)
        stack.push(getOwn(n, keys[i] as string) as JsonValue);
    }
  }
}

function select(node: JsonValue, sel: Selector, root: JsonValue, out: JsonValue[]): void {
  switch (sel.k) {
    case 'prop':
      if (isJsonObject(node)) {
        for (const name of sel.names) {
          const v = getOwn(node, name);
          if (v !== undefined) out.push(v as JsonValue);
        }
      }
      return;
    case 'wild':
      if (Array.isArray(node)) out.push(...node);
      else if (isJsonObject(node))
        for (const k of Object.keys(node)) out.push(getOwn(node, k) as JsonValue);
      return;
    case 'index':
      if (Array.isArray(node)) {
        for (const i of sel.idx) {
          const v = node[i < 0 ? node.length + i : i];
          if (v !== undefined) out.push(v);
        }
      }
      return;
    case 'slice': {
      if (!Array.isArray(node)) return;
      const len = node.length;
      const norm = (n: number): number => (n < 0 ? Math.max(0, len + n) : Math.min(len, n));
      const start = sel.start === null ? (sel.step > 0 ? 0 : len - 1) : norm(sel.start);
      const end = sel.end === null ? (sel.step > 0 ? len : -1) : norm(sel.end);
      for (let i = start; sel.step > 0 ? i < end : i > end; i += sel.step)
        if (node[i] !== undefined) out.push(node[i] as JsonValue);
      return;
    }
    case 'filter':
      if (Array.isArray(node)) {
        for (const item of node) if (test(sel.expr, item, root)) out.push(item);
      } else if (isJsonObject(node) && test(sel.expr, node, root)) out.push(node);
      return;
  }
}

/** All nodes the path selects (before any trailing function). */
export function selectNodes(path: JsonPath, root: JsonValue, current: JsonValue): JsonValue[] {
  let nodes: JsonValue[] = [path.root === '$' ? root : current];
  for (const step of path.steps) {
    const next: JsonValue[] = [];
    if (step.scan && step.sel.k === 'filter') {
      // ..[?(…)]: every descendant that is not an array is tested once (array elements included).
      const expr = step.sel.expr;
      for (const n of nodes)
        for (const d of descendantsOrSelf(n).slice(1))
          if (!Array.isArray(d) && test(expr, d, root)) next.push(d);
    } else if (step.scan && step.sel.k === 'prop') {
      for (const n of nodes) scanProps(n, step.sel.names, next);
    } else
      for (const n of step.scan ? nodes.flatMap(descendantsOrSelf) : nodes)
        select(n, step.sel, root, next);
    if (next.length > MAX_ARRAY_ELEMENTS)
      limitError('JSONPATH', `more than ${MAX_ARRAY_ELEMENTS} results`);
    nodes = next;
  }
  return nodes;
}

function numbers(values: JsonValue[]): number[] {
  const flat = values.length === 1 && Array.isArray(values[0]) ? values[0] : values;
  const ns = flat.filter((v): v is number => typeof v === 'number');
  if (ns.length === 0) argValueError('JSONPATH', 'aggregation function applied to no numbers');
  return ns;
}

/** Applies a trailing path function (Jayway: numeric ones skip non-numbers; stddev is the population one). */
export function applyPathFunction(fn: string, values: JsonValue[], definite: boolean): JsonValue {
  const single = definite ? (values[0] ?? null) : values;
  switch (fn) {
    case 'length':
    case 'size':
      if (Array.isArray(single)) return single.length;
      if (isJsonObject(single)) return Object.keys(single).length;
      if (typeof single === 'string') return single.length;
      return argValueError('JSONPATH', `${fn}() needs an array, object or string`);
    case 'keys':
      if (isJsonObject(single)) return Object.keys(single);
      return argValueError('JSONPATH', 'keys() needs an object');
    case 'first':
    case 'last': {
      if (!Array.isArray(single)) return argValueError('JSONPATH', `${fn}() needs an array`);
      return (fn === 'first' ? single[0] : single[single.length - 1]) ?? null;
    }
    default: {
      const ns = numbers(values);
      const sum = ns.reduce((s, n) => s + n, 0);
      const avg = sum / ns.length;
      if (fn === 'min') return Math.min(...ns);
      if (fn === 'max') return Math.max(...ns);
      if (fn === 'sum') return sum;
      if (fn === 'avg') return avg;
      return Math.sqrt(Math.max(0, ns.reduce((s, n) => s + n * n, 0) / ns.length - avg * avg));
    }
  }
}

/** The value of a filter operand; `undefined` when a path selects nothing. */
function operandValue(op: Operand, current: JsonValue, root: JsonValue): JsonValue | undefined {
  if (op.k === 'lit') return op.v;
  if (op.k === 'regex') return op.source;
  const nodes = selectNodes(op.path, root, current);
  if (op.path.fn !== null)
    return nodes.length === 0 ? undefined : applyPathFunction(op.path.fn, nodes, op.path.definite);
  if (op.path.definite) return nodes[0];
  return nodes;
}

function compare(a: JsonValue | undefined, b: JsonValue | undefined, op: string): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  }
  if (typeof a === 'string' && typeof b === 'string') {
    return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
  }
  return false;
}

/** Jayway equality: a number equals a string holding the same number ("1" == 1); otherwise deep equality. */
function same(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'string') return b.trim() !== '' && Number(b) === a;
  if (typeof a === 'string' && typeof b === 'number') return a.trim() !== '' && Number(a) === b;
  return jsonEquals(a, b);
}

const has = (list: JsonValue[], v: JsonValue | undefined): boolean => list.some((x) => same(v, x));

function test(e: FilterExpr, current: JsonValue, root: JsonValue): boolean {
  switch (e.k) {
    case 'or':
      return test(e.a, current, root) || test(e.b, current, root);
    case 'and':
      return test(e.a, current, root) && test(e.b, current, root);
    case 'not':
      return !test(e.e, current, root);
    case 'exists': {
      const v = operandValue(e.op, current, root);
      return e.op.k === 'path'
        ? v !== undefined && !(Array.isArray(v) && !e.op.path.definite && v.length === 0)
        : v === true;
    }
    case 'cmp': {
      const l = operandValue(e.l, current, root);
      if (e.r.k === 'regex') {
        if (typeof l !== 'string') return false;
        return javaRegex('JSONPATH', e.r.source, e.r.flags.includes('i') ? 'i' : '', l, true).test(
          l,
        );
      }
      const r = operandValue(e.r, current, root);
      const rl = Array.isArray(r) ? r : [];
      const ll = Array.isArray(l) ? l : [];
      switch (e.op) {
        case '==':
          return same(l, r);
        case '!=':
          return !same(l, r);
        case 'in':
          return has(rl, l);
        case 'nin':
          return !has(rl, l);
        case 'subsetof':
          return Array.isArray(l) && ll.every((x) => has(rl, x));
        case 'anyof':
          return ll.some((x) => has(rl, x));
        case 'noneof':
          return !ll.some((x) => has(rl, x));
        case 'size':
          return (Array.isArray(l) || typeof l === 'string') && l.length === r;
        case 'empty':
          return (Array.isArray(l) || typeof l === 'string') && (l.length === 0) === (r === true);
        default:
          return compare(l, r, e.op);
      }
    }
  }
}
