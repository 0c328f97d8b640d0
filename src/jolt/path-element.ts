// JOLT path elements: parsing one spec key into a typed element, matching it against input keys, evaluating it.
import {
  KeySyntaxError,
  endOfReference,
  parseReference,
  removeEscapeChars,
  removeEscapedValues,
  starParts,
  starMatch,
  type Reference,
} from './key-syntax.js';
import {
  type MatchedElement,
  type WalkedPath,
  javaParseInt,
  matched,
  subKey,
} from './walked-path.js';
import type { JoltValue } from './tree.js';
import type { PathTraversal } from './traversal.js';
import { spendMatch } from './budget.js';

export type AmpToken = string | Reference;

/** One element of a spec key or output path. */
export type PathElement =
  | { kind: 'literal'; raw: string }
  | { kind: 'at' }
  | { kind: 'starAll' }
  /** stars: 1 = StarSingle, 2 = StarDouble, more = StarRegex (they only differ in precedence). */
  | { kind: 'star'; raw: string; parts: string[]; stars: number }
  /** orderForm: upstream's canonical form (drops a trailing literal), used only for precedence. */
  | { kind: 'amp'; canonical: string; orderForm: string; tokens: AmpToken[] }
  | { kind: 'dollar'; ref: Reference }
  | { kind: 'hash'; value: string }
  | ArrayElement
  | TransposeElement;

export type ArrayElement =
  | { kind: 'array'; type: 'auto' }
  | { kind: 'array'; type: 'explicit'; index: string }
  | { kind: 'array'; type: 'ref'; ref: Reference }
  | { kind: 'array'; type: 'hash'; pathIndex: number }
  | { kind: 'array'; type: 'transpose'; transpose: TransposeElement };

export interface TransposeElement {
  kind: 'transpose';
  upLevel: number;
  reader: PathTraversal | null;
  canonical: string;
}

/** Builds the reader of `@(n,sub.path)`; injected by traversal.ts to keep the module graph acyclic. */
let readerFactory: ((path: string) => PathTraversal) | undefined;
export function setReaderFactory(factory: (path: string) => PathTraversal): void {
  readerFactory = factory;
}

/** JOLT's canonical form of an element (used for ordering, duplicate detection and output steps). */
export function canonicalForm(pe: PathElement): string {
  switch (pe.kind) {
    case 'literal':
      return pe.raw;
    case 'at':
      return '@';
    case 'starAll':
      return '*';
    case 'star':
      return pe.raw;
    case 'amp':
      return pe.canonical;
    case 'dollar':
      return `$(${pe.ref.pathIndex},${pe.ref.keyGroup})`;
    case 'hash':
      return `#(${pe.value})`;
    case 'transpose':
      return pe.canonical;
    case 'array':
      switch (pe.type) {
        case 'auto':
          return '[]';
        case 'explicit':
          return `[${pe.index}]`;
        case 'ref':
          return `[&(${pe.ref.pathIndex},${pe.ref.keyGroup})]`;
        case 'hash':
          return `[#${pe.pathIndex}]`;
        case 'transpose':
          return `[${pe.transpose.canonical}]`;
      }
  }
}

/** Parses one key the way JOLT's PathElementBuilder does (escapes, then the first rule that applies). */
export function parseKey(origKey: string): PathElement {
  const inspect = origKey.includes('\\') ? removeEscapedValues(origKey) : origKey;
  const key = origKey.includes('\\') ? removeEscapeChars(origKey) : origKey;
  if (inspect === '@') return { kind: 'at' };
  if (inspect === '*') return { kind: 'starAll' };
  if (inspect.startsWith('[')) {
    checkOneBracketPair(inspect, origKey);
    return parseArrayElement(key);
  }
  if (inspect.startsWith('@') || inspect.includes('@(')) return parseTranspose(origKey);
  if (inspect.includes('@'))
    throw new KeySyntaxError(`key "${origKey}" can not have an '@' other than at the front`);
  if (inspect.includes('$')) return { kind: 'dollar', ref: parseReference(key, '$') };
  if (inspect.includes('[')) {
    checkOneBracketPair(inspect, origKey);
    return parseArrayElement(key);
  }
  if (inspect.includes('&')) {
    if (inspect.includes('*'))
      throw new KeySyntaxError(`key "${origKey}" can not mix '*' with '&'`);
    return parseAmp(key);
  }
  if (inspect.includes('*')) {
    const parts = starParts(key);
    return { kind: 'star', raw: key, parts, stars: parts.length - 1 };
  }
  if (inspect.includes('#')) return parseHash(key);
  return { kind: 'literal', raw: key };
}

function checkOneBracketPair(inspect: string, origKey: string): void {
  const opens = inspect.split('[').length - 1;
  const closes = inspect.split(']').length - 1;
  if (opens !== 1 || closes !== 1)
    throw new KeySyntaxError(`key "${origKey}" has too many [] references`);
}

function parseAmp(key: string): PathElement {
  const tokens: AmpToken[] = [];
  let canonical = '';
  let literal = '';
  let i = 0;
  while (i < key.length) {
    const c = key[i]!;
    if (c === '&') {
      if (literal.length > 0) {
        tokens.push(literal);
        canonical += literal;
        literal = '';
      }
      const end = endOfReference(key, i + 1);
      const ref = parseReference(key.slice(i, end), '&');
      tokens.push(ref);
      canonical += `&(${ref.pathIndex},${ref.keyGroup})`;
      i = end;
    } else {
      literal += c;
      i++;
    }
  }
  const orderForm = canonical;
  if (literal.length > 0) {
    tokens.push(literal);
    canonical += literal;
  }
  // Upstream leaves a trailing literal out of its canonical form: kept for identical ordering, but
  // duplicate detection uses the full form so that "&1-a" and "&1-b" are not reported as duplicates.
  return { kind: 'amp', canonical, orderForm, tokens };
}

function parseHash(key: string): PathElement {
  if (key.trim().length === 0 || !key.startsWith('#') || key.length <= 1) {
    throw new KeySyntaxError(`invalid '#' key "${key}"`);
  }
  if (key[1] === '(') {
    if (!key.endsWith(')')) throw new KeySyntaxError(`mismatched parentheses in "${key}"`);
    return { kind: 'hash', value: key.slice(2, -1) };
  }
  return { kind: 'hash', value: key.slice(1) };
}

/** `[]`, `[3]`, `[&1]`, `[&(1,2)]`, `[#2]`, `[@(1,idx)]`. */
export function parseArrayElement(key: string): ArrayElement {
  if (!key.startsWith('[') || !key.endsWith(']'))
    throw new KeySyntaxError(`invalid array key "${key}"`);
  if (key.length === 2) return { kind: 'array', type: 'auto' };
  const meat = key.slice(1, -1);
  const first = meat[0];
  if (first === '&') return { kind: 'array', type: 'ref', ref: parseReference(meat, '&') };
  if (first === '#')
    return { kind: 'array', type: 'hash', pathIndex: parseReference(meat, '#', false).pathIndex };
  if (first === '@') return { kind: 'array', type: 'transpose', transpose: parseTranspose(meat) };
  const n = javaParseInt(meat);
  if (n === null || n < 0)
    throw new KeySyntaxError(`bad explicit array index "${meat}" in "${key}"`);
  return { kind: 'array', type: 'explicit', index: meat };
}

/** `@`-lookups: `@(2,a.b)`, `@(a.b)`, `@a`, `@2`. */
export function parseTranspose(key: string): TransposeElement {
  if (key.length < 2 || key[0] !== '@') throw new KeySyntaxError(`invalid '@' key "${key}"`);
  let meat = key.slice(1);
  if (meat.includes('@'))
    throw new KeySyntaxError(`'@' element can not contain a nested '@': "${key}"`);
  if (meat.includes('*') || meat.includes('[]')) {
    throw new KeySyntaxError(
      `'@' element can not contain expansion wildcards (* and []): "${key}"`,
    );
  }
  if (meat.startsWith('(')) {
    if (!meat.endsWith(')')) throw new KeySyntaxError(`'@(' without matching ')' in "${key}"`);
    meat = meat.slice(1, -1);
  }
  if (meat.length === 0) throw new KeySyntaxError(`empty '@' element "${key}"`);
  if (/[0-9]/.test(meat[0]!)) {
    const comma = meat.indexOf(',');
    const digits = comma < 0 ? meat : meat.slice(0, comma);
    if (!/^[0-9]+$/.test(digits))
      throw new KeySyntaxError(`'@' element with a non-numeric level: "${key}"`);
    return makeTranspose(Number(digits), comma < 0 ? '' : meat.slice(comma + 1));
  }
  return makeTranspose(0, meat);
}

function makeTranspose(upLevel: number, subPath: string): TransposeElement {
  if (subPath.length === 0)
    return { kind: 'transpose', upLevel, reader: null, canonical: `@(${upLevel},)` };
  if (!readerFactory) throw new TypeError('path-element: reader factory not installed');
  const reader = readerFactory(subPath);
  return { kind: 'transpose', upLevel, reader, canonical: `@(${upLevel},${reader.canonical})` };
}

/** Reads the value an `@(n,path)` element points at; undefined when there is nothing there. */
export function transposeRead(pe: TransposeElement, wp: WalkedPath): JoltValue | undefined {
  const step = wp.tryFromEnd(pe.upLevel);
  if (step === undefined) return undefined;
  if (pe.reader === null) return step.treeRef;
  return pe.reader.read(step.treeRef, wp);
}

/** The string an `@(…)` element yields inside an output path (numbers as integers), or null. */
function transposeEvaluate(pe: TransposeElement, wp: WalkedPath): string | null {
  const data = transposeRead(pe, wp);
  if (typeof data === 'number') return String(Math.trunc(data));
  if (typeof data === 'boolean') return String(data);
  return typeof data === 'string' ? data : null;
}

/** Evaluates an element of an output path (or an `&` key) to a concrete key; null aborts the write. */
export function evaluate(pe: PathElement, wp: WalkedPath): string | null {
  switch (pe.kind) {
    case 'literal':
      return pe.raw;
    case 'amp': {
      let out = '';
      for (const t of pe.tokens)
        out += typeof t === 'string' ? t : subKey(wp.fromEnd(t.pathIndex).matched, t.keyGroup);
      return out;
    }
    case 'dollar':
      return subKey(wp.fromEnd(pe.ref.pathIndex).matched, pe.ref.keyGroup);
    case 'transpose':
      return transposeEvaluate(pe, wp);
    case 'array':
      return evaluateArray(pe, wp);
    default:
      throw new TypeError(`element ${pe.kind} can not be evaluated`);
  }
}

function nonNegativeIntString(key: string | null): string | null {
  if (key === null) return null;
  const n = javaParseInt(key);
  return n !== null && n >= 0 ? key : null;
}

function evaluateArray(pe: ArrayElement, wp: WalkedPath): string | null {
  switch (pe.type) {
    case 'auto':
      return '[]';
    case 'explicit':
      return pe.index;
    case 'hash':
      return String(wp.fromEnd(pe.pathIndex).matched.hashCount);
    case 'transpose':
      return nonNegativeIntString(transposeEvaluate(pe.transpose, wp));
    case 'ref':
      return nonNegativeIntString(subKey(wp.fromEnd(pe.ref.pathIndex).matched, pe.ref.keyGroup));
  }
}

/** Matches a spec key against an input key; null when it does not match. */
export function match(pe: PathElement, key: string, wp: WalkedPath): MatchedElement | null {
  spendMatch();
  switch (pe.kind) {
    case 'literal':
      return pe.raw === key ? matched(key) : null;
    case 'starAll':
      return matched(key, [], wp.last().matched.origSize);
    case 'star': {
      const captures = starMatch(pe.parts, key);
      return captures === null ? null : matched(key, captures);
    }
    case 'amp': {
      const value = evaluate(pe, wp);
      return value === key ? matched(value) : null;
    }
    case 'at':
    case 'transpose':
      return wp.last().matched;
    case 'dollar':
      return matched(evaluate(pe, wp)!);
    case 'hash':
      return matched(pe.value);
    case 'array': {
      const value = evaluate(pe, wp);
      if (value === null || value !== key) return null;
      const origSize = wp.last().matched.origSize;
      return origSize === undefined ? null : matched(value, [], origSize);
    }
  }
}

/** True when a '*' element would match the literal `key` (used to pick an execution strategy). */
export function starStringMatch(pe: PathElement, key: string): boolean {
  if (pe.kind === 'starAll') return true;
  if (pe.kind === 'star') return starMatch(pe.parts, key) !== null;
  return false;
}
