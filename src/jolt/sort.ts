// The `sort` operation (JOLT Sortr): orders object keys recursively ('~' keys first); array order is kept.
import type { JoltMap, JoltValue } from './tree.js';
import { isMap } from './tree.js';

/** Compares two keys: keys starting with '~' come first, then code-unit order (Java's compareTo). */
export function compareKeys(a: string, b: string): number {
  const aTilde = a.startsWith('~');
  const bTilde = b.startsWith('~');
  if (aTilde !== bTilde) return aTilde ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Returns the sorted value: new maps, arrays sorted element-wise in place. */
export function sortTree(value: JoltValue): JoltValue {
  if (isMap(value)) {
    const out: JoltMap = new Map();
    for (const key of [...value.keys()].sort(compareKeys)) out.set(key, sortTree(value.get(key)!));
    return out;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = sortTree(value[i]!);
  }
  return value;
}
