// A deterministic clock for tests: fixed time, counting UUIDs, seeded randomness.
import type { EvalServices } from '../../src/expr/function-def.js';

export const FROZEN_NOW = 1_700_000_000_000;

/** A fresh deterministic clock; UUIDs count up from ...0001. */
export function frozenClock(now = FROZEN_NOW): EvalServices {
  let n = 0;
  let seed = 42;
  return {
    now: () => now,
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    random: () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    },
  };
}
