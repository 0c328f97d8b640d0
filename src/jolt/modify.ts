// The modify-overwrite/default/define-beta operations (JOLT Modifier): compute values in place with functions.
import { PlatformError } from '../errors/index.js';
import { KeySyntaxError } from './key-syntax.js';
import {
  type PathElement,
  type TransposeElement,
  canonicalForm,
  match,
  parseKey,
  transposeRead,
} from './path-element.js';
import { stockFunctions, toNumber, type JoltFunction } from './modify-functions.js';
import { orderComputed } from './spec-order.js';
import { ROOT_KEY, type PathTraversal, buildRootedPath } from './traversal.js';
import { type JoltLimits, type JoltMap, type JoltValue, isMap } from './tree.js';
import { budgetedCopy, spendWrites } from './budget.js';
import {
  type MatchedElement,
  WalkedPath,
  javaParseInt,
  matched,
  pointer,
  specError,
} from './walked-path.js';
import { splitOr } from './shift.js';

/** overwrite: always write; default: write when missing or null; define: write when missing. */
export type OpMode = 'overwrite' | 'default' | 'define';

const OP_PREFIX: Record<string, OpMode> = { '+': 'overwrite', '~': 'default', _: 'define' };

type Arg =
  | { kind: 'literal'; value: JoltValue }
  | { kind: 'self'; pe: TransposeElement }
  | { kind: 'context'; reader: PathTraversal };

interface Evaluator {
  /** null: no function, the (single) arg is the value. undefined function name: never yields. */
  fn: JoltFunction | null | undefined;
  args: Arg[];
}

interface Base {
  pe: PathElement;
  op: OpMode;
  /** Trailing `?`: only apply when the input has the key. */
  checkValue: boolean;
}
interface ModLeaf extends Base {
  kind: 'leaf';
  evaluators: Evaluator[];
}
type DataType = { kind: 'list'; maxIndex: number } | { kind: 'map' } | { kind: 'runtime' };
interface ModComposite extends Base {
  kind: 'composite';
  literals: Map<string, ModNode>;
  computed: ModNode[];
  dataType: DataType;
  strategy: 'literals' | 'computed' | 'conflict' | 'literalsThenComputed';
}
type ModNode = ModLeaf | ModComposite;

interface Ctx {
  functions: Record<string, JoltFunction>;
  limits: JoltLimits;
}

/** Compiles a modify spec; the returned function mutates and returns its input. */
export function compileModify(
  spec: JoltValue,
  mode: OpMode,
  path: string,
  limits: JoltLimits,
  customFunctions: Record<string, JoltFunction> = {},
): (input: JoltValue, context: JoltValue) => JoltValue {
  if (!isMap(spec)) throw specError(path, 'a modify spec must be an object');
  const ctx: Ctx = { functions: { ...stockFunctions, ...customFunctions }, limits };
  const root = buildComposite(ROOT_KEY, spec, mode, path, ctx);
  return (input, context) => {
    const wrapper: JoltMap = new Map([[ROOT_KEY, context]]);
    const wp = new WalkedPath();
    wp.add(input, matched(ROOT_KEY));
    applyNode(root, ROOT_KEY, input, wp, wrapper);
    return input;
  };
}

function wrapSyntax<T>(path: string, build: () => T): T {
  try {
    return build();
  } catch (err) {
    if (err instanceof KeySyntaxError) throw specError(path, err.message);
    throw err;
  }
}

function parseModKey(rawJsonKey: string, mode: OpMode, path: string): Base {
  let key = rawJsonKey;
  let op = mode;
  const prefixOp = OP_PREFIX[key.slice(0, 1)];
  if (prefixOp !== undefined) {
    op = prefixOp;
    key = key.slice(1);
  }
  let checkValue = false;
  if (rawJsonKey.length > 1 && rawJsonKey.endsWith('?') && !key.endsWith('\\?')) {
    checkValue = true;
    key = key.slice(0, -1);
  }
  const pe = wrapSyntax(path, () => parseKey(key));
  if (pe.kind !== 'literal' && pe.kind !== 'star' && pe.kind !== 'starAll' && pe.kind !== 'array') {
    throw specError(
      path,
      `a modify key can only be a literal, a '*' pattern or an array index, not "${rawJsonKey}"`,
    );
  }
  return { pe, op, checkValue };
}

function buildNode(key: string, rhs: JoltValue, mode: OpMode, path: string, ctx: Ctx): ModNode {
  if (isMap(rhs) && rhs.size > 0) return buildComposite(key, rhs, mode, path, ctx);
  const base = parseModKey(key, mode, path);
  let evaluators: Evaluator[];
  if (typeof rhs === 'string') evaluators = [buildEvaluator(rhs, path, ctx)];
  else if (Array.isArray(rhs) && rhs.length > 0) {
    evaluators = rhs.map((r, i) =>
      typeof r === 'string'
        ? buildEvaluator(r, pointer(path, i), ctx)
        : { fn: null, args: [{ kind: 'literal', value: r }] },
    );
  } else evaluators = [{ fn: null, args: [{ kind: 'literal', value: rhs }] }];
  return { kind: 'leaf', ...base, evaluators };
}

function buildComposite(
  key: string,
  spec: JoltMap,
  mode: OpMode,
  path: string,
  ctx: Ctx,
): ModComposite {
  const base = parseModKey(key, mode, path);
  const literals = new Map<string, ModNode>();
  const computed: ModNode[] = [];
  const seen = new Set<string>();
  let maxIndex = -1;
  let mapAt = -1;
  let arrayAt = -1;
  let i = 0;
  for (const [rawKey, rhs] of spec) {
    const childPath = pointer(path, rawKey);
    for (const keyString of splitOr(rawKey)) {
      const child = buildNode(keyString, rhs, base.op, childPath, ctx);
      const canonical = canonicalForm(child.pe);
      if (seen.has(canonical)) throw specError(childPath, `duplicate key "${canonical}"`);
      seen.add(canonical);
      const pe = child.pe;
      if (pe.kind === 'literal') {
        mapAt = i;
        literals.set(pe.raw, child);
      } else if (pe.kind === 'array') {
        arrayAt = i;
        if (pe.type !== 'explicit')
          throw specError(childPath, 'a modify spec only supports explicit array indexes like [2]');
        const index = javaParseInt(pe.index)!;
        if (index > ctx.limits.maxArrayIndex) {
          throw specError(
            childPath,
            `array index ${index} exceeds maxArrayIndex ${ctx.limits.maxArrayIndex}`,
          );
        }
        if (!child.checkValue) maxIndex = Math.max(maxIndex, index);
        literals.set(String(index), child);
      } else {
        if (pe.kind !== 'starAll') mapAt = i;
        computed.push(child);
      }
      if (mapAt > -1 && arrayAt > -1) {
        throw specError(
          childPath,
          `a modify spec can not mix array indexes and object keys under "${key}"`,
        );
      }
      i++;
    }
  }
  const dataType: DataType =
    arrayAt > -1 ? { kind: 'list', maxIndex } : mapAt > -1 ? { kind: 'map' } : { kind: 'runtime' };
  orderComputed(computed, { array: 1, star3: 2, star2: 3, star1: 4, starAll: 5 });
  let strategy: ModComposite['strategy'];
  if (computed.length === 0) strategy = 'literals';
  else if (literals.size === 0) strategy = 'computed';
  else if (base.op === 'define' && dataType.kind === 'list') strategy = 'conflict';
  else strategy = 'literalsThenComputed';
  return { kind: 'composite', ...base, literals, computed, dataType, strategy };
}

function buildEvaluator(rhs: string, path: string, ctx: Ctx): Evaluator {
  if (!rhs.startsWith('=')) return { fn: null, args: [buildArg(rhs, false, path)] };
  if (!rhs.includes('(') && !rhs.endsWith(')'))
    return { fn: ctx.functions[rhs.slice(1)], args: [] };
  const parts = wrapSyntax(path, () => parseFunctionArgs(rhs.slice(1)));
  const name = parts.shift()!;
  return { fn: ctx.functions[name], args: parts.map((a) => buildArg(a, true, path)) };
}

/** `name(a, 'b,c', @(1,x))` -> ["name", "a", "'b,c'", "@(1,x)"] (commas inside quotes or parens kept). */
export function parseFunctionArgs(text: string): string[] {
  const open = text.indexOf('(');
  if (open < 0 || !text.endsWith(')'))
    throw new KeySyntaxError(`malformed function call "=${text}"`);
  const out = [text.slice(0, open)];
  const inner = text.slice(open + 1, -1);
  let sb = '';
  let inParens = false;
  let inQuotes = false;
  for (const c of inner) {
    if (c === '(' && !inQuotes) inParens = true;
    else if (c === ')' && !inQuotes) inParens = false;
    else if (c === "'") inQuotes = !inQuotes;
    else if (c === ',' && !inParens && !inQuotes) {
      out.push(sb.trim());
      sb = '';
      continue;
    }
    sb += c;
  }
  out.push(sb.trim());
  return out;
}

function buildArg(arg: string, parse: boolean, path: string): Arg {
  if (arg.startsWith('^'))
    return { kind: 'context', reader: wrapSyntax(path, () => buildRootedPath(arg.slice(1))) };
  if (arg.startsWith('@')) {
    const traversal = wrapSyntax(path, () => buildRootedPath(arg));
    const last = traversal.elements[traversal.elements.length - 1];
    if (last?.kind !== 'transpose') throw specError(path, `"${arg}" must end with an @(…) lookup`);
    return { kind: 'self', pe: last };
  }
  if (!parse) return { kind: 'literal', value: arg };
  if (arg.length === 0) return { kind: 'literal', value: null };
  if (arg.length >= 2 && arg.startsWith("'") && arg.endsWith("'"))
    return { kind: 'literal', value: arg.slice(1, -1) };
  if (/^(true|false)$/i.test(arg)) return { kind: 'literal', value: arg.toLowerCase() === 'true' };
  const n = toNumber(arg);
  return { kind: 'literal', value: n === undefined ? arg : n };
}

function evalArg(arg: Arg, wp: WalkedPath, context: JoltMap): JoltValue | undefined {
  if (arg.kind === 'literal') return arg.value;
  if (arg.kind === 'self') return transposeRead(arg.pe, wp);
  return arg.reader.read(context, wp);
}

function evaluate(
  ev: Evaluator,
  input: JoltValue | undefined,
  wp: WalkedPath,
  context: JoltMap,
): JoltValue | undefined {
  try {
    if (ev.fn === undefined) return undefined;
    if (ev.fn === null) return evalArg(ev.args[0]!, wp, context);
    if (ev.args.length === 1) {
      const v = evalArg(ev.args[0]!, wp, context);
      return ev.fn(v === undefined ? [] : [v]);
    }
    if (ev.args.length > 1) return ev.fn(ev.args.map((a) => evalArg(a, wp, context) ?? null));
    return ev.fn(input === undefined ? [] : [input]);
  } catch (err) {
    // Upstream swallows any failure of a function or lookup: the key is simply not written.
    // Limits are not failures of the function: they stop the transform.
    if (err instanceof PlatformError && err.code === 'ERR_JOLT_LIMIT') throw err;
    return undefined;
  }
}

function applicableInMap(op: OpMode, map: JoltMap, key: string): boolean {
  if (op === 'overwrite') return true;
  if (op === 'default') return (map.get(key) ?? null) === null;
  return !map.has(key);
}

function applicableInList(
  op: OpMode,
  list: JoltValue[],
  index: number,
  origSize: number | undefined,
): boolean {
  if (origSize === undefined || index < 0 || index >= list.length) return false;
  if (op === 'overwrite') return true;
  if (op === 'default') return list[index] === null;
  return index >= origSize && list[index] === null;
}

function setData(parent: JoltValue, element: MatchedElement, value: JoltValue, op: OpMode): void {
  if (isMap(parent)) {
    if (applicableInMap(op, parent, element.rawKey)) parent.set(element.rawKey, value);
  } else if (Array.isArray(parent) && element.origSize !== undefined) {
    const index = Number(element.rawKey);
    if (applicableInList(op, parent, index, element.origSize)) parent[index] = value;
  }
}

function applyNode(
  node: ModNode,
  key: string,
  input: JoltValue | undefined,
  wp: WalkedPath,
  context: JoltMap,
): boolean {
  const thisLevel = match(node.pe, key, wp);
  if (thisLevel === null) return false;
  if (node.checkValue && input === undefined) return true;
  if (node.kind === 'leaf') applyLeaf(node, thisLevel, input, wp, context);
  else applyComposite(node, key, thisLevel, input, wp, context);
  return true;
}

function applyLeaf(
  node: ModLeaf,
  thisLevel: MatchedElement,
  input: JoltValue | undefined,
  wp: WalkedPath,
  context: JoltMap,
): void {
  const parent = wp.last().treeRef;
  wp.add(input ?? null, thisLevel);
  for (const ev of node.evaluators) {
    const value = evaluate(ev, input, wp, context);
    if (value !== undefined) {
      spendWrites();
      setData(parent, thisLevel, ev.fn === null ? budgetedCopy(value) : value, node.op);
      break;
    }
  }
  wp.removeLast();
}

function compatible(dataType: DataType, input: JoltValue): boolean {
  if (dataType.kind === 'list') return input === null || Array.isArray(input);
  if (dataType.kind === 'map') return input === null || isMap(input);
  return input !== null;
}

/** Creates the missing container at `key` in the parent when the op mode allows it. */
function create(dataType: DataType, key: string, wp: WalkedPath, op: OpMode): JoltValue {
  const step = wp.last();
  const parent = step.treeRef;
  spendWrites();
  const value: JoltValue = dataType.kind === 'list' ? [] : new Map();
  if (isMap(parent) && applicableInMap(op, parent, key)) {
    parent.set(key, value);
    return value;
  }
  const index = javaParseInt(key) ?? -1;
  if (Array.isArray(parent) && applicableInList(op, parent, index, step.matched.origSize)) {
    parent[index] = value;
    return value;
  }
  return null;
}

function applyComposite(
  node: ModComposite,
  key: string,
  thisLevel: MatchedElement,
  inputOpt: JoltValue | undefined,
  wp: WalkedPath,
  context: JoltMap,
): void {
  let input = inputOpt ?? null;
  if (!compatible(node.dataType, input)) return;
  if (input === null && node.dataType.kind !== 'runtime')
    input = create(node.dataType, key, wp, node.op);
  let level = thisLevel;
  if (Array.isArray(input)) {
    const origSize = input.length;
    if (node.dataType.kind === 'list') {
      while (input.length <= node.dataType.maxIndex) input.push(null);
    }
    level = matched(thisLevel.rawKey, [], origSize);
  }
  wp.add(input, level);
  process(node, input, wp, context);
  wp.removeLast();
}

function process(node: ModComposite, input: JoltValue, wp: WalkedPath, context: JoltMap): void {
  const withLiterals = node.strategy === 'literals' || node.strategy === 'literalsThenComputed';
  const withComputed = node.strategy === 'computed' || node.strategy === 'literalsThenComputed';
  if (isMap(input)) {
    if (withLiterals)
      for (const [k, child] of node.literals)
        applyNode(child, k, input.has(k) ? input.get(k)! : undefined, wp, context);
    if (withComputed) for (const [k, v] of [...input]) applyComputed(node, k, v, wp, context);
    if (node.strategy === 'conflict')
      for (const [k, v] of [...input]) applyLiteralOrComputed(node, k, v, wp, context);
  } else if (Array.isArray(input)) {
    const origSize = wp.last().matched.origSize;
    const itemAt = (i: number): JoltValue | undefined => {
      if (i < 0 || i >= input.length) return undefined;
      const v = input[i]!;
      return v === null && origSize !== undefined && i >= origSize ? undefined : v;
    };
    if (withLiterals) {
      for (const [k, child] of node.literals) {
        const idx = javaParseInt(k);
        applyNode(child, k, idx === null ? undefined : itemAt(idx), wp, context);
      }
    }
    if (withComputed)
      for (let i = 0; i < input.length; i++) applyComputed(node, String(i), itemAt(i), wp, context);
    if (node.strategy === 'conflict')
      for (let i = 0; i < input.length; i++)
        applyLiteralOrComputed(node, String(i), itemAt(i), wp, context);
  } else if (input !== null) {
    const scalar = typeof input === 'string' ? input : String(input);
    if (node.strategy === 'conflict') applyLiteralOrComputed(node, scalar, undefined, wp, context);
    else {
      if (withLiterals) {
        const child = node.literals.get(scalar);
        if (child) applyNode(child, scalar, undefined, wp, context);
      }
      if (withComputed) applyComputed(node, scalar, undefined, wp, context);
    }
  }
}

function applyLiteralOrComputed(
  node: ModComposite,
  key: string,
  value: JoltValue | undefined,
  wp: WalkedPath,
  context: JoltMap,
): void {
  const literal = node.literals.get(key);
  if (literal) applyNode(literal, key, value, wp, context);
  else applyComputed(node, key, value, wp, context);
}

function applyComputed(
  node: ModComposite,
  key: string,
  value: JoltValue | undefined,
  wp: WalkedPath,
  context: JoltMap,
): void {
  for (const child of node.computed) if (applyNode(child, key, value, wp, context)) break;
}
