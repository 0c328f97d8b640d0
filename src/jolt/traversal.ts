// Output paths and `@(n,path)` lookups: evaluate a dot-notation path against the walk, then write or read.
import { PlatformError } from '../errors/index.js';
import { KeySyntaxError, fixLeadingBracketSugar, splitDotNotation } from './key-syntax.js';
import {
  type PathElement,
  canonicalForm,
  evaluate,
  parseKey,
  setReaderFactory,
} from './path-element.js';
import { type JoltValue, isMap } from './tree.js';
import type { WalkedPath } from './walked-path.js';
import { spendWrites } from './budget.js';

type StepKind = 'map' | 'array' | 'auto';

/** The root key every written path starts with (JOLT writes under an implicit "root"). */
export const ROOT_KEY = 'root';

/** A parsed dot-notation path (`a.&1.[#2].@(1,id)`), built once at compile time. */
export class PathTraversal {
  readonly elements: PathElement[];
  private readonly steps: StepKind[];
  readonly canonical: string;

  constructor(dotNotation: string) {
    if (
      (dotNotation.includes('*') && !dotNotation.includes('\\*')) ||
      (dotNotation.includes('$') && !dotNotation.includes('\\$'))
    ) {
      throw new KeySyntaxError(`an output path can not contain '*' or '$': "${dotNotation}"`);
    }
    const parts =
      dotNotation.trim().length === 0 ? [] : splitDotNotation(fixLeadingBracketSugar(dotNotation));
    this.elements = parts.map((part) => {
      const pe = parseKey(part);
      if (pe.kind === 'at')
        throw new KeySyntaxError(`'.@.' is not valid in an output path: "${dotNotation}"`);
      if (pe.kind === 'star' || pe.kind === 'starAll' || pe.kind === 'hash') {
        throw new KeySyntaxError(`"${part}" is not valid in an output path`);
      }
      return pe;
    });
    const canon = this.elements.map(canonicalForm);
    this.steps = canon.map((c) =>
      c === '[]' ? 'auto' : c.startsWith('[') && c.endsWith(']') ? 'array' : 'map',
    );
    this.canonical = canon.join('.');
  }

  /** The concrete keys for this point of the walk, or null when an element yields nothing. */
  evaluateKeys(wp: WalkedPath): string[] | null {
    const keys: string[] = [];
    for (const pe of this.elements) {
      const key = evaluate(pe, wp);
      if (key === null) return null;
      keys.push(key);
    }
    return keys;
  }

  /** Reads the value at this path below `tree`; undefined when absent. */
  read(tree: JoltValue, wp: WalkedPath): JoltValue | undefined {
    const keys = this.evaluateKeys(wp);
    if (keys === null) return undefined;
    let node: JoltValue | undefined = tree;
    for (let i = 0; i < keys.length; i++) {
      if (node === undefined || node === null || !fits(this.steps[i]!, node)) return undefined;
      node = getAt(this.steps[i]!, node, keys[i]!);
      if (i < keys.length - 1 && node === null) return undefined;
    }
    return node;
  }

  /**
   * Shift-style write: creates missing containers on the way; at the end sets the value, appends to
   * an existing list, or turns an existing value into a list of both.
   */
  write(data: JoltValue, output: JoltValue, wp: WalkedPath, maxArrayIndex: number): void {
    const keys = this.evaluateKeys(wp);
    if (keys === null) return;
    spendWrites();
    let node: JoltValue = output;
    for (let i = 0; i < keys.length; i++) {
      const step = this.steps[i]!;
      const key = keys[i]!;
      if (!fits(step, node)) return;
      if (i === keys.length - 1) {
        const existing = getAt(step, node, key);
        if (existing === undefined || existing === null)
          setAt(step, node, key, data, maxArrayIndex);
        else if (Array.isArray(existing)) existing.push(data);
        else setAt(step, node, key, [existing, data], maxArrayIndex);
        return;
      }
      let sub = getAt(step, node, key);
      if (sub === undefined || sub === null) {
        sub = this.steps[i + 1] === 'map' ? new Map() : [];
        setAt(step, node, key, sub, maxArrayIndex);
      }
      node = sub;
    }
  }
}

function fits(step: StepKind, node: JoltValue): boolean {
  return step === 'map' ? isMap(node) : Array.isArray(node);
}

function getAt(step: StepKind, node: JoltValue, key: string): JoltValue | undefined {
  if (step === 'map') return (node as Map<string, JoltValue>).get(key);
  if (step === 'auto') return undefined;
  const list = node as JoltValue[];
  const idx = Number(key);
  return idx < list.length ? list[idx] : undefined;
}

function setAt(
  step: StepKind,
  node: JoltValue,
  key: string,
  value: JoltValue,
  maxArrayIndex: number,
): void {
  if (step === 'map') {
    (node as Map<string, JoltValue>).set(key, value);
    return;
  }
  const list = node as JoltValue[];
  if (step === 'auto') {
    if (list.length > maxArrayIndex) throw arrayLimit(maxArrayIndex);
    list.push(value);
    return;
  }
  const idx = Number(key);
  if (idx > maxArrayIndex) throw arrayLimit(maxArrayIndex);
  while (list.length <= idx) list.push(null);
  list[idx] = value;
}

function arrayLimit(max: number): PlatformError {
  return new PlatformError('ERR_JOLT_LIMIT', {
    what: 'output array index',
    limit: 'maxArrayIndex',
    max,
  });
}

/** A write path as JOLT builds it from a spec value: prefixed with the implicit root key. */
export function buildRootedPath(rhs: string): PathTraversal {
  return new PathTraversal(rhs.trim().length === 0 ? ROOT_KEY : `${ROOT_KEY}.${rhs}`);
}

setReaderFactory((path) => new PathTraversal(path));
