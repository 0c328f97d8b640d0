// The `default` operation (JOLT Defaultr): fills in missing or null values from the spec, in place.
import { type JoltLimits, type JoltValue, isMap } from './tree.js';
import { budgetedCopy, spendWrites } from './budget.js';
import { javaParseInt, pointer, specError, transformError } from './walked-path.js';

type Op = 'literal' | 'or' | 'star';

interface DefaultKey {
  op: Op;
  /** The key as written, minus any `[]` marker. */
  rawKey: string;
  /** Literal or alternative keys (for `|`). */
  keyStrings: string[];
  /** This key's value is an array in the output (`key[]`). */
  isArrayOutput: boolean;
  /** Parent is an array: keys are indexes. */
  isArrayKey: boolean;
  keyInts: number[];
  /** Highest literal index among the children, -1 when none (the array is grown to hold it). */
  outputArraySize: number;
  children: DefaultKey[] | null;
  literalValue: JoltValue;
}

const OP_RANK: Record<Op, number> = { literal: 0, or: 1, star: 2 };

/** Compiles a default spec; the returned function mutates and returns its input. */
export function compileDefault(
  spec: JoltValue,
  path: string,
  limits: JoltLimits,
): (input: JoltValue) => JoltValue {
  if (!isMap(spec)) throw specError(path, 'a default spec must be an object');
  const mapRoot = buildKey('root', spec, false, path, limits);
  // Upstream also builds a variant for a top-level array input; it only exists when every
  // top-level key is an index, and is otherwise an error at transform time.
  let arrayRoot: DefaultKey | null = null;
  try {
    arrayRoot = buildKey('root[]', spec, false, path, limits);
  } catch {
    arrayRoot = null;
  }
  return (input) => {
    const target = input === null ? new Map<string, JoltValue>() : input;
    if (Array.isArray(target)) {
      if (arrayRoot === null)
        throw transformError('this default spec can not handle input that is a top-level array');
      applyChildren(arrayRoot, target);
    } else {
      applyChildren(mapRoot, target);
    }
    return target;
  };
}

function buildKey(
  rawJsonKey: string,
  spec: JoltValue,
  isArrayKey: boolean,
  path: string,
  limits: JoltLimits,
): DefaultKey {
  let rawKey = rawJsonKey;
  const isArrayOutput = rawJsonKey.endsWith('[]');
  if (isArrayOutput) rawKey = rawKey.split('[]').join('');
  let op: Op = 'literal';
  if (rawKey.includes('*')) {
    if (rawKey !== '*')
      throw specError(path, `default key "${rawJsonKey}" is invalid: a '*' key can only be '*'`);
    op = 'star';
  } else if (rawKey.includes('|')) op = 'or';
  const keyStrings = op === 'or' ? splitJava(rawKey) : op === 'literal' ? [rawKey] : [];
  let keyInts: number[] = [];
  if (isArrayKey) {
    keyInts = keyStrings.map((k) => {
      const n = javaParseInt(k);
      if (n === null)
        throw specError(path, `"${k}" is not an array index (the parent key ends with [])`);
      if (n > limits.maxArrayIndex)
        throw specError(path, `array index ${n} exceeds maxArrayIndex ${limits.maxArrayIndex}`);
      return n;
    });
  }
  const key: DefaultKey = {
    op,
    rawKey,
    keyStrings,
    isArrayOutput,
    isArrayKey,
    keyInts,
    outputArraySize: -1,
    children: null,
    literalValue: null,
  };
  if (isMap(spec)) {
    key.children = [...spec].map(([k, v]) =>
      buildKey(k, v, isArrayOutput, pointer(path, k), limits),
    );
    if (isArrayOutput) {
      for (const child of key.children) {
        const literalIndex = child.op === 'literal' ? child.keyInts[0]! : -1;
        if (literalIndex > key.outputArraySize) key.outputArraySize = literalIndex;
      }
    }
    key.children.sort((a, b) => {
      if (a.op !== b.op) return OP_RANK[a.op] - OP_RANK[b.op];
      if (a.op === 'or') {
        if (a.keyStrings.length !== b.keyStrings.length)
          return a.keyStrings.length - b.keyStrings.length;
        return a.rawKey < b.rawKey ? -1 : a.rawKey > b.rawKey ? 1 : 0;
      }
      return 0;
    });
  } else {
    key.literalValue = spec;
  }
  return key;
}

function splitJava(text: string): string[] {
  const parts = text.split('|');
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function applyChildren(key: DefaultKey, defaultee: JoltValue): void {
  if (key.isArrayOutput && Array.isArray(defaultee)) {
    while (defaultee.length < key.outputArraySize + 1) defaultee.push(null);
  }
  for (const child of key.children ?? []) applyChild(child, defaultee);
}

function applyChild(key: DefaultKey, container: JoltValue): void {
  if (key.isArrayKey) {
    if (!Array.isArray(container)) return;
    let indexes: number[];
    if (key.op === 'literal') indexes = key.keyInts;
    else if (key.op === 'star') indexes = container.map((_, i) => i);
    else indexes = key.keyInts.filter((i) => i < container.length);
    for (const i of indexes) {
      if (i >= container.length) continue;
      const value = container[i]!;
      const next = applyValue(key, value);
      if (next !== undefined) container[i] = next;
    }
    return;
  }
  if (!isMap(container)) return;
  let keys: string[];
  if (key.op === 'literal') keys = key.keyStrings;
  else if (key.op === 'star') keys = [...container.keys()];
  else keys = key.keyStrings.filter((k) => container.has(k));
  for (const k of keys) {
    const value = container.has(k) ? container.get(k)! : null;
    const next = applyValue(key, value);
    if (next !== undefined) container.set(k, next);
  }
}

/** Returns the value to store when it changes (a default or a new container), else undefined. */
function applyValue(key: DefaultKey, value: JoltValue): JoltValue | undefined {
  if (key.children === null) return value === null ? budgetedCopy(key.literalValue) : undefined;
  let target = value;
  let created = false;
  if (target === null) {
    spendWrites();
    target = key.isArrayOutput ? [] : new Map();
    created = true;
  }
  applyChildren(key, target);
  return created ? target : undefined;
}
