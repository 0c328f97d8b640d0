// Compiles expression trees into closures; resolves functions, checks arity and literal kinds at load.
import { defineOwn, getOwn, isJsonObject, jsonTypeOf } from '../core/json.js';
import type { JsonObject, JsonValue } from '../core/json.js';
import { PlatformError, isPlatformError } from '../errors/index.js';
import type { ExprNode, Scope } from './ast.js';
import type { ArgKind, EvalServices } from './function-def.js';
import { functionNames, lookupFunction } from './functions/index.js';
import type { EvalScope } from './scope.js';

/** A compiled expression. */
export type Evaluator = (scope: EvalScope) => JsonValue;

/** What the compiler learns about the expressions it compiles. */
export interface CompileInfo {
  /** Step aliases that may be referenced; undefined disables the check. */
  knownAliases?: ReadonlySet<string>;
  /** Collects the account labels referenced (resolved before the step runs). */
  accounts: Set<string>;
  /** Collects the step aliases referenced. */
  aliases: Set<string>;
}

/** A compiled node plus whether it is a load-time constant. */
export interface Compiled {
  run: Evaluator;
  constant: boolean;
  value?: JsonValue;
}

const frozenServices: EvalServices = {
  now: () => {
    throw new TypeError('impure function folded');
  },
  uuid: () => {
    throw new TypeError('impure function folded');
  },
  random: () => {
    throw new TypeError('impure function folded');
  },
};

/**
 * Compiles one expression node; `constant` is set when it was folded at load. Throws
 * PlatformError (with `details.offset`) for load-time problems.
 */
export function compileNode(node: ExprNode, info: CompileInfo): Compiled {
  return compile(node, info);
}

function constant(value: JsonValue): Compiled {
  return { run: () => value, constant: true, value };
}

function compile(node: ExprNode, info: CompileInfo): Compiled {
  switch (node.t) {
    case 'lit':
      return constant(node.value);
    case 'ref':
      return { run: compileRef(node.root, node.path, node.start, info), constant: false };
    case 'arr': {
      const items = node.items.map((n) => compile(n, info));
      if (items.every((c) => c.constant)) return constant(items.map((c) => c.value as JsonValue));
      const runs = items.map((c) => c.run);
      return { run: (s) => runs.map((r) => r(s)), constant: false };
    }
    case 'obj': {
      const entries = node.entries.map(([k, n]) => [k, compile(n, info)] as const);
      const build = (values: JsonValue[]): JsonObject => {
        const out: JsonObject = {};
        entries.forEach(([k], i) => defineOwn(out, k, values[i] ?? null));
        return out;
      };
      if (entries.every(([, c]) => c.constant)) return constant(build(entries.map(([, c]) => c.value as JsonValue)));
      const runs = entries.map(([, c]) => c.run);
      return { run: (s) => build(runs.map((r) => r(s))), constant: false };
    }
    case 'call':
      return compileCall(node, info);
  }
}

function compileRef(root: Scope, rawPath: (string | number)[], start: number, info: CompileInfo): Evaluator {
  // `message.$` is the whole message; `message.$.a` is `message.a` (compatible forms).
  const path = root === 'message' && rawPath[0] === '$' ? rawPath.slice(1) : rawPath;
  if (root === 'account') {
    if (path.length < 2) throw new PlatformError('ERR_EXPR_SYNTAX', { column: start + 1, offset: start, reason: 'account references take the form account.<label>.<field>' });
    info.accounts.add(String(path[0]));
  }
  if (root === 'step') {
    const alias = path[0];
    if (alias === undefined) throw new PlatformError('ERR_EXPR_SYNTAX', { column: start + 1, offset: start, reason: 'step references take the form step.<alias>' });
    if (info.knownAliases && !info.knownAliases.has(String(alias))) {
      throw new PlatformError('ERR_PIPELINE_UNKNOWN_ALIAS', { alias: String(alias), column: start + 1, offset: start });
    }
    info.aliases.add(String(alias));
  }
  return (scope) => walk(scope[root] as JsonValue, path);
}

/** Follows a path through own properties only; anything missing yields null. */
export function walk(value: JsonValue | undefined, path: readonly (string | number)[]): JsonValue {
  let cur: unknown = value;
  for (let i = 0; i < path.length; i++) {
    if (cur === null || typeof cur !== 'object') return null;
    const key = path[i]!;
    cur = getOwn(cur, typeof key === 'number' ? String(key) : key);
    if (cur === undefined) return null;
  }
  return (cur ?? null) as JsonValue;
}

function compileCall(node: Extract<ExprNode, { t: 'call' }>, info: CompileInfo): Compiled {
  const def = lookupFunction(node.name);
  if (!def) {
    throw new PlatformError('ERR_EXPR_UNKNOWN_FUNCTION', {
      name: node.name,
      hint: suggestion(node.name.toUpperCase(), functionNames()),
      column: node.start + 1,
      offset: node.start,
    });
  }
  const n = node.args.length;
  const arityRule = def.checkArity?.(n);
  if (n < def.minArgs || n > def.maxArgs || arityRule !== undefined) {
    const expected =
      arityRule ?? (def.minArgs === def.maxArgs ? `${def.minArgs}` : def.maxArgs === Infinity ? `at least ${def.minArgs}` : `${def.minArgs} to ${def.maxArgs}`);
    throw new PlatformError('ERR_EXPR_ARITY', { name: def.name, expected, actual: n, column: node.start + 1, offset: node.start });
  }
  const args = node.args.map((a) => compile(a, info));
  args.forEach((a, i) => {
    const kind = def.args?.[Math.min(i, (def.args?.length ?? 1) - 1)];
    if (a.constant && kind && !literalFits(kind, a.value ?? null)) {
      throw new PlatformError('ERR_EXPR_ARGUMENT_TYPE', {
        name: def.name,
        position: i + 1,
        expected: kind,
        actual: jsonTypeOf(a.value),
        column: node.args[i]!.start + 1,
        offset: node.args[i]!.start,
      });
    }
  });
  const runs = args.map((a) => a.run);
  const call = def.call;
  const run: Evaluator =
    runs.length === 0
      ? (s) => call([], s.services)
      : runs.length === 1
        ? (s) => call([runs[0]!(s)], s.services)
        : (s) => call(runs.map((r) => r(s)), s.services);
  if (def.pure !== false && args.every((a) => a.constant)) {
    try {
      return constant(call(args.map((a) => a.value ?? null), frozenServices));
    } catch (err) {
      if (!isPlatformError(err)) throw err;
      // A literal call that fails stays a run-time error, subject to Fail On Error.
    }
  }
  return { run, constant: false };
}

/** Whether a literal can be passed where `kind` is declared (lenient where functions coerce). */
function literalFits(kind: ArgKind, value: JsonValue): boolean {
  if (value === null || kind === 'any') return true;
  switch (kind) {
    case 'string':
      return typeof value !== 'object';
    case 'number':
      return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)));
    case 'integer':
      return Number.isInteger(typeof value === 'string' ? Number(value) : value);
    case 'boolean':
      return typeof value === 'boolean' || (typeof value === 'string' && /^(true|false)$/i.test(value));
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isJsonObject(value);
  }
}

/** " (did you mean X?)" for a near-miss name, else "". */
export function suggestion(name: string, candidates: readonly string[]): string {
  let best = '';
  let bestDist = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return bestDist <= Math.max(1, Math.floor(name.length / 3)) ? ` (did you mean ${best}?)` : '';
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}
