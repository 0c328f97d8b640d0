// Code, types and docs kept in step: generated pages match the descriptors, every code is documented.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInConnectors } from '../src/connectors/index.js';
import { generatedDocs } from '../src/docs/generate-docs.js';
import { allCodes } from '../src/errors/index.js';

const docs = join(import.meta.dirname, '../docs');

describe('generated documentation', () => {
  for (const [rel, content] of generatedDocs(builtInConnectors)) {
    it(`docs/${rel} is up to date (run "npx pipegate docs" to regenerate)`, () => {
      expect(readFileSync(join(docs, rel), 'utf8')).toBe(content);
    });
  }

  it('docs/errors.md lists every registered code', () => {
    const page = readFileSync(join(docs, 'errors.md'), 'utf8');
    for (const code of allCodes()) expect(page).toContain(`\`${code}\``);
  });

  it('every connector parameter has a description', () => {
    for (const c of builtInConnectors) {
      for (const [name, p] of Object.entries(c.parameters)) expect(p.description, `${c.type}.${name}`).not.toBe('');
    }
  });
});
