// The contract of a Double Braces function: one table entry (name, arity, argument kinds) plus its body.
import type { JsonValue } from '../core/json.js';
import { jsonTypeOf } from '../core/json.js';
import { PlatformError } from '../errors/index.js';

/** Argument kinds a function may declare, checked at load time for literal arguments. */
export type ArgKind = 'any' | 'string' | 'number' | 'boolean' | 'array' | 'object' | 'integer';

/** Services a function may use; injected so tests can freeze time and randomness. */
export interface EvalServices {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** A random v4 UUID. */
  uuid(): string;
  /** Uniform random float in [0, 1). */
  random(): number;
}

/** One entry of the function table. */
export interface FunctionDef {
  /** Upper-case name; calls are case-insensitive. */
  name: string;
  /** Documentation group (comparison, conditional, numerical, math, string, date, json, utilities). */
  group: string;
  minArgs: number;
  /** `Infinity` for variadic functions. */
  maxArgs: number;
  /**
   * Expected kind per position (the last entry repeats for variadic tails). A literal argument of
   * another kind is a load-time ERR_EXPR_ARGUMENT_TYPE; `null` is always allowed through.
   */
  args?: ArgKind[];
  /** False when the result depends on time or randomness (never folded at load). Default true. */
  pure?: boolean;
  /** One-line signature and behaviour for docs/expressions.md. */
  signature: string;
  summary: string;
  /** Extra load-time arity rule (e.g. "an odd count"); returns the expected-count text when `n` is wrong. */
  checkArity?(n: number): string | undefined;
  /** The body: receives evaluated arguments (missing references are null). */
  call(args: JsonValue[], services: EvalServices): JsonValue;
}

/** Throws the runtime type error for argument `index` (0-based) of `fn`. */
export function argTypeError(fn: string, index: number, expected: string, actual: unknown): never {
  throw new PlatformError('ERR_EXPR_ARGUMENT_TYPE', {
    name: fn,
    position: index + 1,
    expected,
    actual: jsonTypeOf(actual),
  });
}

/** Throws ERR_EXPR_ARGUMENT_VALUE for `fn` with a reason. */
export function argValueError(fn: string, reason: string): never {
  throw new PlatformError('ERR_EXPR_ARGUMENT_VALUE', { name: fn, reason });
}

/** Throws ERR_EXPR_LIMIT for `fn` with a reason. */
export function limitError(fn: string, reason: string): never {
  throw new PlatformError('ERR_EXPR_LIMIT', { name: fn, reason });
}
