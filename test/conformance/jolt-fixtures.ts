// Helpers for the JOLT conformance runner: order-preserving JSONC reading and the fixtures' diff rule.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Node, type ParseError, parseTree } from 'jsonc-parser';
import type { JoltValue } from '../../src/jolt/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The fixtures folder (a copy of the upstream suite kept in the repository, see test/fixtures/README.md). */
export const joltFixtureRoot = path.resolve(repoRoot, 'test/fixtures/conformance/jolt');

/**
 * Reads a JSONC fixture into an engine tree. Objects become Maps built from the parse tree's
 * property list, so integer-like keys keep their document order (JSON.parse would reorder them).
 */
export function readFixture(relPath: string): JoltValue {
  const text = readFileSync(path.join(joltFixtureRoot, relPath), 'utf8');
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: false, allowTrailingComma: false });
  if (errors.length > 0 || root === undefined)
    throw new Error(`cannot parse ${relPath}: ${JSON.stringify(errors)}`);
  return toTree(root);
}

function toTree(node: Node): JoltValue {
  switch (node.type) {
    case 'object': {
      const out = new Map<string, JoltValue>();
      for (const prop of node.children ?? []) {
        const [keyNode, valueNode] = prop.children ?? [];
        if (keyNode && valueNode) out.set(String(keyNode.value), toTree(valueNode));
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(toTree);
    case 'null':
      return null;
    default:
      return node.value as JoltValue;
  }
}

export interface DiffOptions {
  arrays: 'ordered' | 'unordered';
  checkKeyOrder?: boolean;
}

/** The README's comparison rule; returns a description of the first mismatch, or null. */
export function diff(
  expected: JoltValue,
  actual: JoltValue | undefined,
  opts: DiffOptions,
  at = '',
): string | null {
  if (expected instanceof Map) {
    if (!(actual instanceof Map)) return `${at}: expected an object, got ${describe(actual)}`;
    for (const [k, v] of expected) {
      if (!actual.has(k)) {
        if (v === null) continue; // upstream quirk: expected null matches an absent key
        return `${at}/${k}: missing`;
      }
      const d = diff(v, actual.get(k), opts, `${at}/${k}`);
      if (d) return d;
    }
    for (const k of actual.keys()) if (!expected.has(k)) return `${at}/${k}: unexpected key`;
    if (opts.checkKeyOrder) {
      const e = [...expected.keys()].join(',');
      const a = [...actual.keys()].join(',');
      if (e !== a) return `${at}: key order ${a} instead of ${e}`;
    }
    return null;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${at}: expected an array, got ${describe(actual)}`;
    if (expected.length !== actual.length)
      return `${at}: array length ${actual.length} instead of ${expected.length}`;
    if (opts.arrays === 'ordered') {
      for (let i = 0; i < expected.length; i++) {
        const d = diff(expected[i]!, actual[i], opts, `${at}[${i}]`);
        if (d) return d;
      }
      return null;
    }
    const used = new Set<number>();
    for (let i = 0; i < expected.length; i++) {
      const j = actual.findIndex(
        (a, idx) => !used.has(idx) && diff(expected[i]!, a, opts) === null,
      );
      if (j < 0)
        return `${at}[${i}]: no matching element for ${JSON.stringify(plain(expected[i]!))}`;
      used.add(j);
    }
    return null;
  }
  return expected === actual ? null : `${at}: ${describe(actual)} instead of ${describe(expected)}`;
}

function describe(v: JoltValue | undefined): string {
  return v === undefined ? 'nothing' : JSON.stringify(plain(v));
}

/** Plain JSON view of a tree, for messages. */
export function plain(v: JoltValue): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [k, plain(x)]));
  if (Array.isArray(v)) return v.map(plain);
  return v;
}

/** Member of a fixture object. */
export function member(tree: JoltValue, key: string): JoltValue | undefined {
  return tree instanceof Map ? tree.get(key) : undefined;
}
