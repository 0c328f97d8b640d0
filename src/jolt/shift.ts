// The `shift` operation (JOLT Shiftr): copies input data to output paths while walking input and spec in parallel.
import { KeySyntaxError } from './key-syntax.js';
import {
  type PathElement,
  canonicalForm,
  match,
  parseKey,
  starStringMatch,
  transposeRead,
} from './path-element.js';
import { ROOT_KEY, type PathTraversal, buildRootedPath } from './traversal.js';
import { type JoltLimits, type JoltMap, type JoltValue, isMap, scalarToString } from './tree.js';
import { WalkedPath, javaParseInt, matched, pointer, specError } from './walked-path.js';
import { orderComputed } from './spec-order.js';

type Strategy = 'literals' | 'computed' | 'conflict' | 'literalsThenComputed';

interface ShiftLeaf {
  kind: 'leaf';
  pe: PathElement;
  writers: PathTraversal[];
}

interface ShiftComposite {
  kind: 'composite';
  pe: PathElement;
  special: ShiftNode[];
  literals: Map<string, ShiftNode>;
  computed: ShiftNode[];
  strategy: Strategy;
}

type ShiftNode = ShiftLeaf | ShiftComposite;

const SHIFT_ORDER: Record<string, number> = { amp: 1, star3: 2, star2: 3, star1: 4, starAll: 5 };

/** Compiles a shift spec (an object) into a transform of engine trees. */
export function compileShift(
  spec: JoltValue,
  path: string,
  limits: JoltLimits,
): (input: JoltValue) => JoltValue {
  if (!isMap(spec)) throw specError(path, 'a shift spec must be an object');
  const root = buildComposite(ROOT_KEY, spec, path);
  return (input) => {
    const output: JoltMap = new Map();
    const wp = new WalkedPath();
    wp.add(input, matched(ROOT_KEY));
    applyNode(root, ROOT_KEY, input, wp, output, limits);
    return output.has(ROOT_KEY) ? output.get(ROOT_KEY)! : null;
  };
}

function parseLhs(key: string, path: string): PathElement {
  try {
    return parseKey(key);
  } catch (err) {
    if (err instanceof KeySyntaxError) throw specError(path, err.message);
    throw err;
  }
}

function buildNode(key: string, rhs: JoltValue, path: string): ShiftNode {
  if (isMap(rhs)) return buildComposite(key, rhs, path);
  const pe = parseLhs(key, path);
  checkMatchable(pe, key, path);
  const rawPaths = rhs === null ? [] : Array.isArray(rhs) ? rhs : [rhs];
  if (rhs !== null && typeof rhs !== 'string' && !Array.isArray(rhs)) {
    throw specError(
      path,
      'a shift value must be an object, an output path string, an array of paths or null',
    );
  }
  const writers = rawPaths.map((p, i) => {
    const at = Array.isArray(rhs) ? pointer(path, i) : path;
    if (typeof p !== 'string') throw specError(at, 'an output path must be a string');
    try {
      return buildRootedPath(p);
    } catch (err) {
      if (err instanceof KeySyntaxError) throw specError(at, err.message);
      throw err;
    }
  });
  return { kind: 'leaf', pe, writers };
}

function checkMatchable(pe: PathElement, key: string, path: string): void {
  if (pe.kind === 'array' && pe.type === 'auto')
    throw specError(path, `"${key}" is not a valid input key`);
}

function buildComposite(key: string, spec: JoltMap, path: string): ShiftComposite {
  const pe = parseLhs(key, path);
  checkMatchable(pe, key, path);
  if (pe.kind === 'at' || pe.kind === 'dollar')
    throw specError(path, `a "${key}" key can not have children`);
  if (spec.size === 0) throw specError(path, 'an empty object is not a valid shift value');
  const special: ShiftNode[] = [];
  const literals = new Map<string, ShiftNode>();
  const computed: ShiftNode[] = [];
  const seen = new Set<string>();
  for (const [rawKey, rhs] of spec) {
    const childPath = pointer(path, rawKey);
    for (const keyString of splitOr(rawKey)) {
      const child = buildNode(keyString, rhs, childPath);
      const canonical = canonicalForm(child.pe);
      if (seen.has(canonical)) throw specError(childPath, `duplicate key "${canonical}"`);
      seen.add(canonical);
      const kind = child.pe.kind;
      if (kind === 'literal') literals.set(child.pe.raw, child);
      else if (kind === 'at' || kind === 'hash' || kind === 'dollar' || kind === 'transpose')
        special.push(child);
      else computed.push(child);
    }
  }
  orderComputed(computed, SHIFT_ORDER);
  return {
    kind: 'composite',
    pe,
    special,
    literals,
    computed,
    strategy: pickStrategy(literals, computed),
  };
}

/** `a|b` is two keys; like Java's split, trailing empty alternatives are dropped. */
export function splitOr(rawKey: string): string[] {
  const parts = rawKey.split('|');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function pickStrategy(literals: Map<string, ShiftNode>, computed: ShiftNode[]): Strategy {
  if (computed.length === 0) return 'literals';
  if (literals.size === 0) return 'computed';
  for (const c of computed) {
    if (c.pe.kind !== 'star' && c.pe.kind !== 'starAll') return 'conflict';
    for (const lit of literals.keys()) if (starStringMatch(c.pe, lit)) return 'conflict';
  }
  return 'literalsThenComputed';
}

/** undefined input means "no value" (Java's empty Optional); null is a JSON null. */
function applyNode(
  node: ShiftNode,
  key: string,
  input: JoltValue | undefined,
  wp: WalkedPath,
  output: JoltMap,
  limits: JoltLimits,
): boolean {
  return node.kind === 'leaf'
    ? applyLeaf(node, key, input, wp, output, limits)
    : applyComposite(node, key, input, wp, output, limits);
}

function applyComposite(
  node: ShiftComposite,
  key: string,
  inputOpt: JoltValue | undefined,
  wp: WalkedPath,
  output: JoltMap,
  limits: JoltLimits,
): boolean {
  const thisLevel = match(node.pe, key, wp);
  if (thisLevel === null) return false;
  let input = inputOpt;
  if (node.pe.kind === 'transpose') {
    input = transposeRead(node.pe, wp);
    if (input === undefined) return false;
  }
  wp.add(input ?? null, thisLevel);
  for (const s of node.special) applyNode(s, key, input, wp, output, limits);
  process(node, input ?? null, wp, output, limits);
  wp.removeLast();
  wp.last().matched.hashCount++;
  return true;
}

function applyLeaf(
  node: ShiftLeaf,
  key: string,
  inputOpt: JoltValue | undefined,
  wp: WalkedPath,
  output: JoltMap,
  limits: JoltLimits,
): boolean {
  const input = inputOpt ?? null;
  const thisLevel = match(node.pe, key, wp);
  if (thisLevel === null) return false;
  let data: JoltValue;
  let realChild = false;
  const kind = node.pe.kind;
  if (kind === 'dollar' || kind === 'hash') data = thisLevel.rawKey;
  else if (kind === 'at') data = input;
  else if (node.pe.kind === 'transpose') {
    const found = transposeRead(node.pe, wp);
    if (found === undefined) return false;
    data = found;
  } else {
    data = input;
    realChild = true;
  }
  wp.add(input, thisLevel);
  for (const w of node.writers) w.write(data, output, wp, limits.maxArrayIndex);
  wp.removeLast();
  if (realChild) wp.last().matched.hashCount++;
  return realChild;
}

function process(
  node: ShiftComposite,
  input: JoltValue,
  wp: WalkedPath,
  output: JoltMap,
  limits: JoltLimits,
): void {
  if (isMap(input)) {
    if (node.strategy === 'literals' || node.strategy === 'literalsThenComputed') {
      for (const [k, child] of node.literals)
        if (input.has(k)) applyNode(child, k, input.get(k)!, wp, output, limits);
    }
    if (node.strategy === 'computed' || node.strategy === 'literalsThenComputed') {
      for (const [k, v] of [...input]) applyComputed(node.computed, k, v, wp, output, limits);
    }
    if (node.strategy === 'conflict') {
      for (const [k, v] of [...input]) applyLiteralOrComputed(node, k, v, wp, output, limits);
    }
  } else if (Array.isArray(input)) {
    if (node.strategy === 'literals' || node.strategy === 'literalsThenComputed') {
      for (const [k, child] of node.literals) {
        const idx = javaParseInt(k);
        if (idx !== null && idx >= 0 && idx < input.length)
          applyNode(child, k, input[idx]!, wp, output, limits);
      }
    }
    if (node.strategy === 'computed' || node.strategy === 'literalsThenComputed') {
      for (let i = 0; i < input.length; i++)
        applyComputed(node.computed, String(i), input[i]!, wp, output, limits);
    }
    if (node.strategy === 'conflict') {
      for (let i = 0; i < input.length; i++)
        applyLiteralOrComputed(node, String(i), input[i]!, wp, output, limits);
    }
  } else if (input !== null) {
    const scalar = scalarToString(input);
    if (node.strategy === 'conflict')
      applyLiteralOrComputed(node, scalar, undefined, wp, output, limits);
    else {
      if (node.strategy !== 'computed') {
        const child = node.literals.get(scalar);
        if (child) applyNode(child, scalar, undefined, wp, output, limits);
      }
      if (node.strategy !== 'literals')
        applyComputed(node.computed, scalar, undefined, wp, output, limits);
    }
  }
}

function applyLiteralOrComputed(
  node: ShiftComposite,
  key: string,
  value: JoltValue | undefined,
  wp: WalkedPath,
  output: JoltMap,
  limits: JoltLimits,
): void {
  const literal = node.literals.get(key);
  if (literal) applyNode(literal, key, value, wp, output, limits);
  else applyComputed(node.computed, key, value, wp, output, limits);
}

function applyComputed(
  computed: ShiftNode[],
  key: string,
  value: JoltValue | undefined,
  wp: WalkedPath,
  output: JoltMap,
  limits: JoltLimits,
): void {
  for (const child of computed) if (applyNode(child, key, value, wp, output, limits)) break;
}
