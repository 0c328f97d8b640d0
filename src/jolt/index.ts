// Public surface of the JOLT engine: compile a spec once, get a transform function.
import type { JsonValue } from '../core/json.js';
import { type ChainOptions, type CustomTransform, compileSteps, runSteps } from './chain.js';
import type { JoltFunction } from './modify-functions.js';
import { type JoltLimits, type JoltValue, defaultLimits, fromJson, toJson } from './tree.js';

export { STOCK_OPERATIONS, type CustomTransform, type TreeTransform } from './chain.js';
export { stockFunctions, type JoltFunction } from './modify-functions.js';
export {
  type JoltLimits,
  type JoltMap,
  type JoltValue,
  defaultLimits,
  deepCopy,
  fromJson,
  isMap,
  toJson,
  treeEquals,
} from './tree.js';

/** Options of {@link compileChain}. */
export interface CompileOptions {
  limits?: Partial<JoltLimits>;
  /** Extra modify functions (`=name(...)`), e.g. for tests or embedding applications. */
  customFunctions?: Record<string, JoltFunction>;
  /** Extra chain operations by name. */
  customTransforms?: Record<string, CustomTransform>;
}

/** A compiled JOLT chain. Calling it never mutates its arguments. */
export interface JoltTransform {
  (input: JsonValue, context?: JsonValue): JsonValue;
  /** Number of operations in the chain. */
  readonly size: number;
  /** Number of operations that read the context (modify-* and context-aware custom transforms). */
  readonly contextAwareCount: number;
  /**
   * Runs operations [from, to) on an engine tree that the caller hands over (it may be mutated);
   * used to keep integer-like key order from an order-preserving parser.
   */
  applyTree(input: JoltValue, context?: JoltValue, from?: number, to?: number): JoltValue;
}

/**
 * Compiles a chain spec: an array of `{ "operation": name, "spec": … }` or a single such object.
 * The spec may be plain JSON or an engine tree (Maps, which keep integer-like keys in document
 * order). Throws PlatformError ERR_JOLT_SPEC_INVALID / ERR_JOLT_UNKNOWN_OPERATION with the JSON
 * path into the spec, or ERR_JOLT_LIMIT when the spec itself is too large.
 */
export function compileChain(spec: unknown, options: CompileOptions = {}): JoltTransform {
  const limits: JoltLimits = { ...defaultLimits, ...options.limits };
  const chainOptions: ChainOptions = {
    limits,
    customFunctions: options.customFunctions ?? {},
    customTransforms: options.customTransforms ?? {},
  };
  const steps = compileSteps(fromJson(spec, limits, 'spec'), chainOptions);
  const applyTree = (
    input: JoltValue,
    context: JoltValue = null,
    from?: number,
    to?: number,
  ): JoltValue => runSteps(steps, input, context, limits, from, to);
  const transform = (input: JsonValue, context?: JsonValue): JsonValue => {
    const tree = fromJson(input, limits, 'input');
    const ctx = context === undefined ? null : fromJson(context, limits, 'context');
    return toJson(applyTree(tree, ctx), limits, 'output');
  };
  return Object.assign(transform, {
    size: steps.length,
    contextAwareCount: steps.filter((s) => s.contextAware).length,
    applyTree,
  });
}

/** Compiles a single operation with its spec (`compileOperation('shift', {...})`). */
export function compileOperation(
  operation: string,
  spec: unknown,
  options: CompileOptions = {},
): JoltTransform {
  const entry = spec === undefined ? { operation } : { operation, spec };
  return compileChain([entry], options);
}
