// Deterministic EvalServices and a one-call helper, for tests and benchmarks of the function table.
import type { JsonValue } from '../../core/json.js';
import { isPlatformError } from '../../errors/index.js';
import type { EvalServices } from '../function-def.js';
import { lookupFunction } from './index.js';

/** 2024-02-29T12:00:00.000Z, a leap day. */
export const FROZEN_NOW = Date.UTC(2024, 1, 29, 12, 0, 0);

/** Services with a fixed clock, a fixed UUID and a fixed "random" sequence (0.5, 0.25, 0.75, …). */
export function frozenServices(now = FROZEN_NOW): EvalServices {
  const sequence = [0.5, 0.25, 0.75, 0, 0.999];
  let i = 0;
  return Object.freeze({
    now: () => now,
    uuid: () => '123e4567-e89b-42d3-a456-426614174000',
    random: () => sequence[i++ % sequence.length] as number,
  });
}

/** Outcome of one call: the value, or the error code it threw. */
export type CallOutcome = { value: JsonValue } | { code: string };

/** Calls function `name` through the table with `args`; PlatformErrors become `{ code }`. */
export function callFunction(
  name: string,
  args: JsonValue[],
  services: EvalServices = frozenServices(),
): CallOutcome {
  const def = lookupFunction(name);
  if (!def) throw new TypeError(`no function ${name}`);
  try {
    return { value: def.call(args, services) };
  } catch (err) {
    if (isPlatformError(err)) return { code: err.code };
    throw err;
  }
}

/** Expected outcome: a value. */
export const ok = (value: JsonValue): CallOutcome => ({ value });
/** Expected outcome: an error code. */
export const fails = (code: string): CallOutcome => ({ code });

/** One table-driven case: function, arguments, expected outcome. */
export type FunctionCase = [name: string, args: JsonValue[], expected: CallOutcome];

/**
 * Names of `defs` with fewer than four table cases (the coverage rule). A function without arguments
 * (NOW, UUID, NEWEMPTYOBJECT, NEWEMPTYARRAY) has no null or wrong-type input, so it needs two.
 */
export function thinlyTested(
  defs: { name: string; maxArgs: number }[],
  cases: FunctionCase[],
): string[] {
  return defs
    .filter((d) => cases.filter((c) => c[0] === d.name).length < (d.maxArgs === 0 ? 2 : 4))
    .map((d) => d.name);
}
