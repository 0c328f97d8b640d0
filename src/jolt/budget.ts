// Work budget of one chain run: bounds writes, copies and key matches so a spec x input product cannot hang.
import { PlatformError } from '../errors/index.js';
import type { JoltLimits, JoltValue } from './tree.js';

interface Budget {
  writes: number;
  matches: number;
  maxNodes: number;
}

const unlimited: Budget = { writes: Infinity, matches: Infinity, maxNodes: Infinity };
let current: Budget = unlimited;

/**
 * Runs `fn` with a fresh budget: 2 x maxNodes values written or copied (an output can not hold more
 * anyway) and 50 x maxNodes key matches. Runs are synchronous, so a module-level budget is safe; the
 * previous one is restored for nested runs.
 */
export function withBudget<T>(limits: JoltLimits, fn: () => T): T {
  const saved = current;
  current = {
    writes: 2 * limits.maxNodes,
    matches: 50 * limits.maxNodes,
    maxNodes: limits.maxNodes,
  };
  try {
    return fn();
  } finally {
    current = saved;
  }
}

function exceeded(what: string): PlatformError {
  return new PlatformError('ERR_JOLT_LIMIT', { what, limit: 'maxNodes', max: current.maxNodes });
}

/** Accounts for `n` values written to the output. */
export function spendWrites(n = 1): void {
  current.writes -= n;
  if (current.writes < 0) throw exceeded('number of values written by the transform');
}

/** Accounts for one attempt to match a spec key against an input key. */
export function spendMatch(): void {
  if (--current.matches < 0) throw exceeded('number of key matches of the transform');
}

/** Deep copy that spends one write per copied value. */
export function budgetedCopy(value: JoltValue): JoltValue {
  spendWrites();
  if (Array.isArray(value)) return value.map(budgetedCopy);
  if (value instanceof Map) {
    const out = new Map<string, JoltValue>();
    for (const [k, v] of value) out.set(k, budgetedCopy(v));
    return out;
  }
  return value;
}
