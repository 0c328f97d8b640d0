// Renders the "Function reference" section of docs/expressions.md from the function table and examples.
import type { JsonValue } from '../../core/json.js';
import { functionExamples } from './function-examples.js';
import { functionGroups } from './index.js';

export const REFERENCE_START =
  '<!-- function-reference:start (generated from src/expr/functions; do not edit by hand) -->';
export const REFERENCE_END = '<!-- function-reference:end -->';

const TITLES: Record<string, string> = {
  comparison: 'Comparison',
  conditional: 'Conditional',
  numerical: 'Numerical',
  math: 'Math',
  string: 'String',
  date: 'Date',
  json: 'JSON',
  utilities: 'Utilities',
};

/** A literal as Double Braces source: JSON syntax (strings double-quoted). */
const literal = (v: JsonValue): string => JSON.stringify(v);
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The generated markdown, between the start and end markers. */
export function renderFunctionReference(): string {
  const lines = [REFERENCE_START, ''];
  for (const group of functionGroups) {
    const first = group[0];
    if (!first) continue;
    lines.push(
      `### ${TITLES[first.group] ?? first.group}`,
      '',
      '| Function | Behaviour | Example |',
      '|---|---|---|',
    );
    for (const def of group) {
      const examples = (functionExamples[def.name] ?? [])
        .map(
          ([args, result]) =>
            `\`{{ ${def.name}(${args.map(literal).join(', ')}) }}\` → \`${literal(result)}\``,
        )
        .join('<br>');
      const flags =
        def.pure === false ? ' *(not folded at load: depends on time or randomness)*' : '';
      lines.push(
        `| \`${cell(def.signature)}\` | ${cell(def.summary)}${flags} | ${cell(examples)} |`,
      );
    }
    lines.push('');
  }
  lines.push(REFERENCE_END);
  return lines.join('\n');
}
