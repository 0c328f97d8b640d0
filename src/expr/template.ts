// Templates: strings with {{ … }} (typed when the string is exactly one expression) and JSON values holding them.
import { defineOwn } from '../core/json.js';
import type { JsonObject, JsonValue } from '../core/json.js';
import { PlatformError } from '../errors/index.js';
import type { CompileInfo, Evaluator } from './compiler.js';
import { compileNode } from './compiler.js';
import { hasExpression, parseTemplate } from './parser.js';
import type { EvalScope } from './scope.js';

/** A compiled parameter value: a constant, or an evaluator producing a fresh value per run. */
export interface CompiledValue {
  readonly constant: boolean;
  /** The value when `constant`. */
  readonly value: JsonValue;
  evaluate(scope: EvalScope): JsonValue;
}

/** The text form of a value inside a longer string: strings as-is, everything else as JSON. */
export function textForm(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function constantValue(value: JsonValue): CompiledValue {
  return { constant: true, value, evaluate: () => value };
}

/**
 * Compiles a template string. Load-time errors are PlatformErrors whose `details.offset` is the
 * position in `source`.
 */
export function compileTemplate(source: string, info: CompileInfo, jsonText = false): CompiledValue {
  if (!hasExpression(source)) return constantValue(source);
  const { parts } = parseTemplate(source);
  const nodes = parts.map((p) => (typeof p === 'string' ? p : compileNode(p.node, info)));
  const nonBlank = nodes.filter((p) => typeof p !== 'string' || p.trim() !== '');
  if (nonBlank.length === 1 && typeof nonBlank[0] !== 'string') {
    const only = nonBlank[0]!;
    return only.constant ? constantValue(only.value ?? null) : { constant: false, value: null, evaluate: only.run };
  }
  const compiled: (string | Evaluator)[] = nodes.map((n) =>
    typeof n === 'string' ? n : n.constant ? (jsonText ? n.run : textForm(n.value ?? null)) : n.run,
  );
  const renderers = jsonText ? jsonTextRenderers(compiled) : compiled.map((c) => (typeof c === 'string' ? c : (s: EvalScope) => textForm(c(s))));
  const render = (scope: EvalScope): string => {
    let out = '';
    for (const r of renderers) out += typeof r === 'string' ? r : r(scope);
    return out;
  };
  // Every expression folded: render once now, through the very renderers a run would use.
  if (nodes.every((n) => typeof n === 'string' || n.constant)) return constantValue(render(FOLDING_SCOPE));
  return { constant: false, value: null, evaluate: render };
}

/** The scope of load-time rendering: folded expressions never read it, and the services refuse. */
const FOLDING_SCOPE: EvalScope = {
  message: null,
  global: {},
  account: {},
  metadata: {},
  step: {},
  item: null,
  services: {
    now: () => {
      throw new TypeError('impure function folded');
    },
    uuid: () => {
      throw new TypeError('impure function folded');
    },
    random: () => {
      throw new TypeError('impure function folded');
    },
  },
};

/**
 * For JSON text templates: an expression inside a JSON string renders as escaped text, one outside
 * renders as the JSON of its value. Which applies is decided once, from the quotes before it.
 */
function jsonTextRenderers(compiled: (string | Evaluator)[]): (string | ((s: EvalScope) => string))[] {
  let inString = false;
  return compiled.map((c) => {
    if (typeof c === 'string') {
      for (let i = 0; i < c.length; i++) {
        if (c[i] === '\\') i++;
        else if (c[i] === '"') inString = !inString;
      }
      return c;
    }
    return inString ? (s: EvalScope) => JSON.stringify(textForm(c(s))).slice(1, -1) : (s: EvalScope) => JSON.stringify(c(s)) ?? 'null';
  });
}

/**
 * Compiles every string inside a JSON value (object keys are literal). A load-time error gets
 * `details.subPath`, the JSON pointer of the failing string below `value`.
 */
export function compileValue(value: JsonValue, info: CompileInfo, subPath = '', jsonText = false): CompiledValue {
  if (typeof value === 'string') {
    try {
      return compileTemplate(value, info, jsonText && subPath === '');
    } catch (err) {
      if (err instanceof PlatformError && err.details.subPath === undefined) err.details.subPath = subPath;
      throw err;
    }
  }
  if (Array.isArray(value)) {
    const items = value.map((v, i) => compileValue(v, info, `${subPath}/${i}`));
    // Folded: the items' values, never `value` itself (its strings may hold constant expressions).
    if (items.every((i) => i.constant)) return constantValue(items.map((i) => i.value));
    return { constant: false, value: null, evaluate: (s) => items.map((i) => i.evaluate(s)) };
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([k, v]) => [k, compileValue(v, info, `${subPath}/${pointerEscape(k)}`)] as const);
    if (entries.every(([, c]) => c.constant)) {
      const folded: JsonObject = {};
      for (const [k, c] of entries) defineOwn(folded, k, c.value);
      return constantValue(folded);
    }
    return {
      constant: false,
      value: null,
      evaluate: (s) => {
        const out: JsonObject = {};
        for (const [k, c] of entries) defineOwn(out, k, c.evaluate(s));
        return out;
      },
    };
  }
  return constantValue(value);
}

/** Escapes a key for a JSON pointer (RFC 6901). */
export function pointerEscape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A fresh CompileInfo. */
export function newCompileInfo(knownAliases?: ReadonlySet<string>): CompileInfo {
  return { knownAliases, accounts: new Set(), aliases: new Set() };
}
