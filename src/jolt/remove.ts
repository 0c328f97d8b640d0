// The `remove` operation (JOLT Removr): deletes the keys and array indexes the spec names, in place.
import { starMatch, starParts } from './key-syntax.js';
import { type JoltMap, type JoltValue, isMap } from './tree.js';
import { javaParseInt, pointer, specError } from './walked-path.js';
import { splitOr } from './shift.js';

type RemoveKey =
  { kind: 'literal'; raw: string } | { kind: 'starAll' } | { kind: 'star'; parts: string[] };

interface RemoveNode {
  key: RemoveKey;
  /** null for a leaf (the value "" in the spec): remove this key. */
  children: RemoveNode[] | null;
}

/** Compiles a remove spec; the returned function mutates and returns its input. */
export function compileRemove(spec: JoltValue, path: string): (input: JoltValue) => JoltValue {
  if (!isMap(spec)) throw specError(path, 'a remove spec must be an object');
  const children = buildChildren(spec, path);
  return (input) => {
    processChildren(children, input);
    return input;
  };
}

function parseRemoveKey(key: string): RemoveKey {
  if (key === '*') return { kind: 'starAll' };
  if (key.includes('*')) return { kind: 'star', parts: starParts(key) };
  return { kind: 'literal', raw: key };
}

function buildChildren(spec: JoltMap, path: string): RemoveNode[] {
  const out: RemoveNode[] = [];
  for (const [rawKey, rhs] of spec) {
    const childPath = pointer(path, rawKey);
    for (const keyString of splitOr(rawKey)) {
      if (isMap(rhs))
        out.push({ key: parseRemoveKey(keyString), children: buildChildren(rhs, childPath) });
      else if (typeof rhs === 'string' && rhs.trim().length === 0)
        out.push({ key: parseRemoveKey(keyString), children: null });
      else throw specError(childPath, 'a remove value must be an empty string or an object');
    }
  }
  return out;
}

function keyMatches(key: RemoveKey, candidate: string): boolean {
  if (key.kind === 'starAll') return true;
  if (key.kind === 'star') return starMatch(key.parts, candidate) !== null;
  return key.raw === candidate;
}

function literalIndex(key: RemoveKey): number | null {
  if (key.kind !== 'literal') return null;
  const n = javaParseInt(key.raw);
  return n !== null && n >= 0 ? n : null;
}

function processChildren(children: RemoveNode[], input: JoltValue): void {
  if (Array.isArray(input)) {
    const toRemove = new Set<number>();
    for (const child of children) for (const i of applyToList(child, input)) toRemove.add(i);
    for (const i of [...toRemove].sort((a, b) => b - a)) input.splice(i, 1);
  } else if (isMap(input)) {
    const toRemove: string[] = [];
    for (const child of children) toRemove.push(...applyToMap(child, input));
    for (const k of toRemove) input.delete(k);
  }
}

function applyToMap(node: RemoveNode, input: JoltMap): string[] {
  if (node.children === null) {
    if (node.key.kind === 'literal') return input.has(node.key.raw) ? [node.key.raw] : [];
    return [...input.keys()].filter((k) => keyMatches(node.key, k));
  }
  if (node.key.kind === 'literal') {
    if (input.has(node.key.raw)) processChildren(node.children, input.get(node.key.raw)!);
  } else {
    for (const [k, v] of [...input]) if (keyMatches(node.key, k)) processChildren(node.children, v);
  }
  return [];
}

function applyToList(node: RemoveNode, input: JoltValue[]): number[] {
  const index = literalIndex(node.key);
  if (node.children === null) {
    if (index !== null) return index < input.length ? [index] : [];
    return node.key.kind === 'starAll' ? input.map((_, i) => i) : [];
  }
  if (index !== null) {
    if (index < input.length) processChildren(node.children, input[index]!);
  } else if (node.key.kind === 'starAll') {
    for (const item of input) processChildren(node.children, item);
  }
  return [];
}
