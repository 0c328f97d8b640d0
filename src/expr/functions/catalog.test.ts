// Keeps the function table, SPEC §4, the executable examples and docs/expressions.md in step.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { callFunction, ok } from './frozen-services.js';
import { functionExamples } from './function-examples.js';
import { REFERENCE_END, REFERENCE_START, renderFunctionReference } from './function-reference.js';
import { functionGroups, functionNames, lookupFunction } from './index.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const docPath = join(repoRoot, 'docs/expressions.md');

/** The function list of SPEC §4, group by group. */
const SPEC_FUNCTIONS = `AND OR NOT XOR
EQUALTO GREATERTHAN GREATERTHANEQUAL LESSTHAN LESSTHANEQUAL IF ISOBJECT ISARRAY ISBOOLEAN ISSTRING ISNUMBER ISNULL SWITCHCASE
FORMATNUMBER TONUMBER TODOUBLE TOINT TOLONG RANDOMNUMBERS
ABS CEIL DIVIDE LOG MAX MIN MOD MULTIPLY POW ROUND SQRT SUBTRACT SUM
CAPITALIZE CONCAT CONTAINS DEFAULT ESCAPE UNESCAPE INDEXOF LASTINDEXOF JOIN LEFTPAD RIGHTPAD LOWERCASE UPPERCASE MATCHES NORMALIZE RANDOMSTRINGS REPLACE SPLIT STRINGMATCHES SUBSTRING TOSTRING TRIM
NOW FORMATDATE TOISODATE SUMDATE DIFFDATE
JSONPATH TOJSON UNESCAPEJSON GETELEMENTAT LASTELEMENT REMOVEAT PUSH POP NEWEMPTYOBJECT NEWEMPTYARRAY CARDINALITYONE CARDINALITYMANY ARRAYTOOBJECT OBJECTTOARRAY
BASEENCODE BASEDECODE BASEURLENCODE BASEURLDECODE URIENCODE URIDECODE UUID TOBOOLEAN SIZE`.split(
  /\s+/,
);

describe('function catalogue', () => {
  it('registers exactly the functions of SPEC §4', () => {
    expect(functionNames()).toEqual([...SPEC_FUNCTIONS].sort());
  });

  it('looks names up case-insensitively', () => {
    expect(lookupFunction('formatDate')?.name).toBe('FORMATDATE');
    expect(lookupFunction('nope')).toBeUndefined();
  });

  it('declares consistent arities and argument kinds', () => {
    const bad = functionGroups
      .flat()
      .filter(
        (d) =>
          d.minArgs > d.maxArgs ||
          (Number.isFinite(d.maxArgs) && (d.args?.length ?? 0) > d.maxArgs) ||
          !d.summary ||
          !d.signature.startsWith(`${d.name}(`),
      );
    expect(bad.map((d) => d.name)).toEqual([]);
  });

  it('has an example for every function, and every example evaluates to its documented result', () => {
    for (const name of functionNames()) {
      const examples = functionExamples[name] ?? [];
      expect(examples.length, name).toBeGreaterThan(0);
      for (const [args, result] of examples)
        expect(callFunction(name, args), `${name}(${JSON.stringify(args)})`).toEqual(ok(result));
    }
    expect(Object.keys(functionExamples).filter((n) => !lookupFunction(n))).toEqual([]);
  });

  it('pure functions never read the services (they may be folded at load, where the clock is refused)', () => {
    const refusing = {
      now: (): number => {
        throw new TypeError('clock refused');
      },
      uuid: (): string => {
        throw new TypeError('uuid refused');
      },
      random: (): number => {
        throw new TypeError('random refused');
      },
    };
    for (const def of functionGroups.flat().filter((d) => d.pure !== false)) {
      for (const [args, result] of functionExamples[def.name] ?? [])
        expect(callFunction(def.name, args, refusing), def.name).toEqual(ok(result));
    }
    expect(callFunction('FORMATDATE', ['29/02/24', 'dd/MM/yy', 'MM'], refusing)).toEqual(ok('02'));
  });

  it('docs/expressions.md holds the current generated reference (UPDATE_DOCS=1 rewrites it)', () => {
    const doc = readFileSync(docPath, 'utf8');
    const start = doc.indexOf(REFERENCE_START);
    const end = doc.indexOf(REFERENCE_END);
    expect(start, 'markers present').toBeGreaterThanOrEqual(0);
    const current = doc.slice(start, end + REFERENCE_END.length);
    const generated = renderFunctionReference();
    if (process.env.UPDATE_DOCS === '1' && current !== generated) {
      writeFileSync(
        docPath,
        doc.slice(0, start) + generated + doc.slice(end + REFERENCE_END.length),
      );
      return;
    }
    expect(current).toBe(generated);
    for (const name of functionNames()) expect(doc).toContain(`\`${name}(`);
  });
});
