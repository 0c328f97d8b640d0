// Chains of JOLT operations: parse and compile a chain spec once, run it many times.
import { PlatformError } from '../errors/index.js';
import { compileCardinality } from './cardinality.js';
import { compileDefault } from './default.js';
import type { JoltFunction } from './modify-functions.js';
import { compileModify } from './modify.js';
import { compileRemove } from './remove.js';
import { compileShift } from './shift.js';
import { sortTree } from './sort.js';
import { type JoltLimits, type JoltValue, checkLimits, isMap } from './tree.js';
import { pointer, specError, transformError } from './walked-path.js';
import { withBudget } from './budget.js';

/** A compiled step: takes the (owned, mutable) input tree and the context, returns the result tree. */
export type TreeTransform = (input: JoltValue, context: JoltValue) => JoltValue;

/** A transform supplied by the embedding application, addressable by name in chain specs. */
export interface CustomTransform {
  /** Needs a `spec` member in its chain entry. */
  specDriven: boolean;
  /** Reads the context passed to the chain. */
  contextAware: boolean;
  /** Builds the transform from the entry's spec; throwing here is a spec error at the entry. */
  build(spec: JoltValue | undefined): TreeTransform;
}

export interface ChainOptions {
  limits: JoltLimits;
  customFunctions: Record<string, JoltFunction>;
  customTransforms: Record<string, CustomTransform>;
}

export interface CompiledStep {
  operation: string;
  contextAware: boolean;
  run: TreeTransform;
}

const STOCK_ALIASES: Record<string, string> = {
  'com.bazaarvoice.jolt.Shiftr': 'shift',
  'com.bazaarvoice.jolt.Defaultr': 'default',
  'com.bazaarvoice.jolt.Removr': 'remove',
  'com.bazaarvoice.jolt.Sortr': 'sort',
  'com.bazaarvoice.jolt.CardinalityTransform': 'cardinality',
  'com.bazaarvoice.jolt.Modifier$Overwritr': 'modify-overwrite-beta',
  'com.bazaarvoice.jolt.Modifier$Defaultr': 'modify-default-beta',
  'com.bazaarvoice.jolt.Modifier$Definr': 'modify-define-beta',
};

/** The stock operation names, as used in chain specs. */
export const STOCK_OPERATIONS = [
  'shift',
  'default',
  'remove',
  'sort',
  'cardinality',
  'modify-overwrite-beta',
  'modify-default-beta',
  'modify-define-beta',
] as const;

/** Compiles one operation; `spec` undefined means the entry had no spec member. */
export function compileStep(
  operation: string,
  spec: JoltValue | undefined,
  path: string,
  options: ChainOptions,
): CompiledStep {
  const name = STOCK_ALIASES[operation] ?? operation;
  const specPath = pointer(path, 'spec');
  const need = (): JoltValue => {
    if (spec === undefined || spec === null)
      throw specError(specPath, `operation "${operation}" needs a spec`);
    return spec;
  };
  const { limits } = options;
  const simple = (fn: (input: JoltValue) => JoltValue): CompiledStep => ({
    operation: name,
    contextAware: false,
    run: (i) => fn(i),
  });
  switch (name) {
    case 'shift':
      return simple(compileShift(need(), specPath, limits));
    case 'default':
      return simple(compileDefault(need(), specPath, limits));
    case 'remove':
      return simple(compileRemove(need(), specPath));
    case 'cardinality':
      return simple(compileCardinality(need(), specPath));
    case 'sort':
      return simple(sortTree);
    case 'modify-overwrite-beta':
    case 'modify-default-beta':
    case 'modify-define-beta': {
      const mode =
        name === 'modify-overwrite-beta'
          ? 'overwrite'
          : name === 'modify-default-beta'
            ? 'default'
            : 'define';
      const run = compileModify(need(), mode, specPath, limits, options.customFunctions);
      return { operation: name, contextAware: true, run };
    }
    default:
      return compileCustom(operation, spec, path, options);
  }
}

function compileCustom(
  operation: string,
  spec: JoltValue | undefined,
  path: string,
  options: ChainOptions,
): CompiledStep {
  const custom = Object.hasOwn(options.customTransforms, operation)
    ? options.customTransforms[operation]
    : undefined;
  if (custom === undefined) {
    throw new PlatformError('ERR_JOLT_UNKNOWN_OPERATION', {
      operation,
      path: pointer(path, 'operation'),
    });
  }
  if (custom.specDriven && (spec === undefined || spec === null)) {
    throw specError(pointer(path, 'spec'), `operation "${operation}" needs a spec`);
  }
  let run: TreeTransform;
  try {
    run = custom.build(spec);
  } catch (err) {
    if (err instanceof PlatformError) throw err;
    throw specError(
      pointer(path, 'spec'),
      `operation "${operation}" can not be built: ${(err as Error).message}`,
    );
  }
  return { operation, contextAware: custom.contextAware, run };
}

/** Compiles a chain spec (an array of `{operation, spec}`, or one such object) into steps. */
export function compileSteps(chainSpec: JoltValue, options: ChainOptions): CompiledStep[] {
  if (isMap(chainSpec)) return [compileEntry(chainSpec, '')];
  if (!Array.isArray(chainSpec))
    throw specError('', 'a JOLT chain must be an array of {"operation", "spec"} objects');
  if (chainSpec.length === 0) throw specError('', 'a JOLT chain must have at least one operation');
  return chainSpec.map((entry, i) => {
    if (!isMap(entry))
      throw specError(
        pointer('', i),
        'a chain entry must be an object with "operation" and "spec"',
      );
    return compileEntry(entry, pointer('', i));
  });

  function compileEntry(entry: Map<string, JoltValue>, path: string): CompiledStep {
    const operation = entry.get('operation');
    if (typeof operation !== 'string')
      throw specError(pointer(path, 'operation'), '"operation" must be a string');
    return compileStep(
      operation,
      entry.has('spec') ? entry.get('spec')! : undefined,
      path,
      options,
    );
  }
}

/** Runs steps [from, to) on an owned input tree, checking limits between steps. */
export function runSteps(
  steps: CompiledStep[],
  input: JoltValue,
  context: JoltValue,
  limits: JoltLimits,
  from = 0,
  to = steps.length,
): JoltValue {
  if (
    !Number.isInteger(from) ||
    !Number.isInteger(to) ||
    from < 0 ||
    to > steps.length ||
    from >= to
  ) {
    throw transformError(
      `invalid chain range [${from}, ${to}) for a chain of ${steps.length} operations`,
    );
  }
  return withBudget(limits, () => {
    let tree = input;
    for (let i = from; i < to; i++) {
      tree = steps[i]!.run(tree, context);
      if (i < to - 1) checkLimits(tree, limits, `result of chain step ${i}`);
    }
    return tree;
  });
}
