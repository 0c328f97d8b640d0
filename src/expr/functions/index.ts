// The function table: every Double Braces function, by upper-case name. Adding one is one entry here.
import type { FunctionDef } from '../function-def.js';
import { comparisonFunctions } from './comparison.js';
import { conditionalFunctions } from './conditional.js';
import { dateFunctions } from './date.js';
import { jsonFunctions } from './json.js';
import { mathFunctions } from './math.js';
import { numericalFunctions } from './numerical.js';
import { escapeFunctions } from './string-escape.js';
import { regexFunctions } from './string-regex.js';
import { stringFunctions } from './string.js';
import { utilityFunctions } from './utilities.js';

/** All function groups in documentation order. */
export const functionGroups: FunctionDef[][] = [
  comparisonFunctions,
  conditionalFunctions,
  numericalFunctions,
  mathFunctions,
  [...stringFunctions, ...escapeFunctions, ...regexFunctions].sort((a, b) =>
    a.name.localeCompare(b.name),
  ),
  dateFunctions,
  jsonFunctions,
  utilityFunctions,
];

const table = new Map<string, FunctionDef>();
for (const group of functionGroups) {
  for (const def of group) {
    if (table.has(def.name)) throw new TypeError(`duplicate function ${def.name}`);
    table.set(def.name, def);
  }
}

/** The function named `name` (case-insensitive), or undefined. */
export function lookupFunction(name: string): FunctionDef | undefined {
  return table.get(name.toUpperCase());
}

/** Every function name, sorted. */
export function functionNames(): string[] {
  return [...table.keys()].sort();
}
