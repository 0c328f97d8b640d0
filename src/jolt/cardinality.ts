// The `cardinality` operation (JOLT CardinalityTransform): makes values single (ONE) or lists (MANY), in place.
import { KeySyntaxError } from './key-syntax.js';
import { type PathElement, match } from './path-element.js';
import { orderComputed } from './spec-order.js';
import { type JoltValue, isMap, scalarToString } from './tree.js';
import { WalkedPath, matched, pointer, specError } from './walked-path.js';
import { starParts } from './key-syntax.js';

interface CardinalityLeaf {
  kind: 'leaf';
  pe: PathElement;
  many: boolean;
}

interface CardinalityComposite {
  kind: 'composite';
  pe: PathElement;
  special: CardinalityLeaf | null;
  literals: Map<string, CardinalityNode>;
  computed: CardinalityNode[];
}

type CardinalityNode = CardinalityLeaf | CardinalityComposite;

/** Compiles a cardinality spec; the returned function mutates and returns its input. */
export function compileCardinality(spec: JoltValue, path: string): (input: JoltValue) => JoltValue {
  if (!isMap(spec)) throw specError(path, 'a cardinality spec must be an object');
  const root = buildNode('root', spec, path);
  return (input) => {
    applyNode(root, 'root', input, new WalkedPath(), null);
    return input;
  };
}

function parseCardinalityKey(key: string, path: string): PathElement {
  if (key.includes('@')) {
    if (key !== '@') throw specError(path, `"${key}": '@' can only be used alone`);
    return { kind: 'at' };
  }
  if (key === '*') return { kind: 'starAll' };
  if (key.includes('*')) {
    const parts = starParts(key);
    return { kind: 'star', raw: key, parts, stars: parts.length - 1 };
  }
  return { kind: 'literal', raw: key };
}

function buildNode(key: string, rhs: JoltValue, path: string): CardinalityNode {
  const pe = parseCardinalityKey(key, path);
  if (!isMap(rhs)) {
    if (rhs !== 'ONE' && rhs !== 'MANY') {
      throw specError(
        path,
        `invalid cardinality type ${JSON.stringify(rhs)}: expected "ONE" or "MANY"`,
      );
    }
    return { kind: 'leaf', pe, many: rhs === 'MANY' };
  }
  if (pe.kind === 'at') throw specError(path, "an '@' cardinality key can not have children");
  if (rhs.size === 0) throw specError(path, 'an empty object is not a valid cardinality value');
  const node: CardinalityComposite = {
    kind: 'composite',
    pe,
    special: null,
    literals: new Map(),
    computed: [],
  };
  for (const [k, v] of rhs) {
    const child = buildNode(k, v, pointer(path, k));
    // Upstream files every child under its raw key as a literal too (harmless: only an input key
    // spelled exactly like the pattern reaches it that way).
    node.literals.set(k, child);
    if (child.pe.kind === 'at') {
      if (child.kind !== 'leaf')
        throw specError(pointer(path, k), "an '@' cardinality key can not have children");
      node.special = child;
    } else if (child.pe.kind !== 'literal') node.computed.push(child);
  }
  orderComputed(node.computed, { amp: 1, star1: 2, star2: 2, star3: 2, starAll: 2 });
  return node;
}

type Parent = JoltValue | null;

function applyNode(
  node: CardinalityNode,
  key: string,
  input: JoltValue,
  wp: WalkedPath,
  parent: Parent,
): boolean {
  let thisLevel;
  try {
    thisLevel = wp.size === 0 ? matched(key) : match(node.pe, key, wp);
  } catch (err) {
    if (err instanceof KeySyntaxError) return false;
    throw err;
  }
  if (thisLevel === null) return false;
  if (node.kind === 'leaf') {
    adjust(node, key, input, parent);
    return true;
  }
  wp.add(input, thisLevel);
  let data: JoltValue = input;
  if (node.special !== null) data = adjust(node.special, key, input, parent);
  process(node, data, wp);
  wp.removeLast();
  return true;
}

/** Applies ONE/MANY to `parent[key]`; returns the new value (null when nothing was done). */
function adjust(leaf: CardinalityLeaf, key: string, input: JoltValue, parent: Parent): JoltValue {
  let result: JoltValue = null;
  if (leaf.many) {
    if (Array.isArray(input)) result = input;
    else if (input === null) result = [];
    else result = [input];
    put(parent, key, result);
  } else if (Array.isArray(input)) {
    result = input.length > 0 ? input[0]! : null;
    put(parent, key, result);
  }
  return result;
}

function put(parent: Parent, key: string, value: JoltValue): void {
  if (isMap(parent)) parent.set(key, value);
  else if (Array.isArray(parent)) {
    const idx = Number(key);
    if (Number.isInteger(idx) && idx >= 0 && idx < parent.length) parent[idx] = value;
  }
}

function process(node: CardinalityComposite, input: JoltValue, wp: WalkedPath): void {
  if (isMap(input)) {
    for (const [k, v] of [...input]) applyLiteralOrComputed(node, k, v, wp, input);
  } else if (Array.isArray(input)) {
    for (let i = 0; i < input.length; i++)
      applyLiteralOrComputed(node, String(i), input[i]!, wp, input);
  } else if (input !== null) {
    const scalar = scalarToString(input);
    applyLiteralOrComputed(node, scalar, null, wp, scalar);
  }
}

function applyLiteralOrComputed(
  node: CardinalityComposite,
  key: string,
  value: JoltValue,
  wp: WalkedPath,
  parent: Parent,
): void {
  const literal = node.literals.get(key);
  if (literal) {
    applyNode(literal, key, value, wp, parent);
    return;
  }
  for (const child of node.computed) if (applyNode(child, key, value, wp, parent)) break;
}
