// The parallel tree walk's stack (matched keys, their data, '#' counters) and errors shared by the operations.
import { PlatformError } from '../errors/index.js';
import type { JoltValue } from './tree.js';

/** The result of matching one spec key against one input key (JOLT's MatchedElement). */
export interface MatchedElement {
  /** The input key; `subKeys[0]` is the same string. */
  rawKey: string;
  /** Index 0 is the whole key, then one entry per '*' capture. */
  subKeys: string[];
  /** How many children of this level have matched so far (the value of `[#n]`). */
  hashCount: number;
  /** Size of the array at this level before a modify spec expanded it (ArrayMatchedElement). */
  origSize?: number;
}

export function matched(
  rawKey: string,
  captures: string[] = [],
  origSize?: number,
): MatchedElement {
  const el: MatchedElement = { rawKey, subKeys: [rawKey, ...captures], hashCount: 0 };
  if (origSize !== undefined) el.origSize = origSize;
  return el;
}

/** One level of the walk: the data at that level and the key that matched it. */
export interface PathStep {
  treeRef: JoltValue;
  matched: MatchedElement;
}

/** A stack of PathSteps; `&n`, `$n`, `@(n,…)` and `#n` look n levels up from the end. */
export class WalkedPath {
  private readonly steps: PathStep[] = [];

  add(treeRef: JoltValue, element: MatchedElement): void {
    this.steps.push({ treeRef, matched: element });
  }

  removeLast(): void {
    this.steps.pop();
  }

  get size(): number {
    return this.steps.length;
  }

  /** The step `n` levels up (0 = the last one); a transform error when the walk is not that deep. */
  fromEnd(n: number): PathStep {
    const step = this.steps[this.steps.length - 1 - n];
    if (step === undefined)
      throw transformError(`reference ${n} levels up goes above the root of the input`);
    return step;
  }

  /** Like fromEnd, but undefined instead of an error. */
  tryFromEnd(n: number): PathStep | undefined {
    return this.steps[this.steps.length - 1 - n];
  }

  last(): PathStep {
    return this.fromEnd(0);
  }
}

/** The sub key `group` of a matched element (`&(n,group)`); a transform error when it does not exist. */
export function subKey(element: MatchedElement, group: number): string {
  const value = element.subKeys[group];
  if (value === undefined) {
    throw transformError(`key "${element.rawKey}" has no wildcard capture number ${group}`);
  }
  return value;
}

/** ERR_JOLT_SPEC_INVALID at a JSON path into the spec. */
export function specError(path: string, reason: string): PlatformError {
  return new PlatformError('ERR_JOLT_SPEC_INVALID', { path: path === '' ? '/' : path, reason });
}

/** ERR_JOLT_TRANSFORM: the spec is valid but cannot be applied to this input. */
export function transformError(reason: string): PlatformError {
  return new PlatformError('ERR_JOLT_TRANSFORM', { reason });
}

/** Appends one key to a JSON Pointer (RFC 6901 escaping). */
export function pointer(base: string, key: string | number): string {
  return `${base}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

/** Java's Integer.parseInt: optional sign, decimal digits, 32-bit range; null when it would throw. */
export function javaParseInt(text: string): number | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const n = Number(text);
  return n >= -2147483648 && n <= 2147483647 ? n : null;
}
