// Renders docs/errors.md from the error table.
import { errorAreas } from '../errors/index.js';

/** The Markdown page listing every error code by area. */
export function errorsPage(): string {
  const sections = Object.entries(errorAreas)
    .filter(([, table]) => Object.keys(table).length > 0)
    .map(([area, table]) => {
      const rows = Object.entries(table)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, def]) => `| \`${code}\` | ${def.status} | ${def.doc.replace(/\|/g, '\\|')} |`);
      return `## ${area[0]!.toUpperCase()}${area.slice(1)}\n\n| Code | HTTP status | Cause and fix |\n|---|---|---|\n${rows.join('\n')}\n`;
    });
  return `<!-- Generated from src/errors by \`pipegate docs\`; do not edit by hand. -->
# Error codes

Every failure a user can cause has a stable \`ERR_…\` code; codes are never renamed or reused. The CLI
prints \`error: CODE message\` (validation problems as \`file:line:column CODE message\`); pipeline error
objects carry the code in \`exception\`; the HTTP status applies when the error reaches a caller.

${sections.join('\n')}`;
}
