// The YAML examples of docs/jose.md load as pipeline steps (docs kept in step with the descriptor).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { joseConnector } from '../src/connectors/jose/jose-connector.js';
import { createRegistry } from '../src/core/registry.js';
import { loadPipelineText } from '../src/core/loader/index.js';

const page = readFileSync(join(import.meta.dirname, '../docs/jose.md'), 'utf8');
const blocks = [...page.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const registry = createRegistry([joseConnector]);

describe('docs/jose.md examples', () => {
  it('has examples', () => expect(blocks.length).toBeGreaterThanOrEqual(3));

  it.each(blocks.map((b, i) => [i + 1, b] as const))('example %i loads', (_n, block) => {
    const steps = block.split('\n').map((line) => `  ${line}`).join('\n');
    expect(() => loadPipelineText('example.yaml', `name: jose-doc-example\nversion: "1.0"\nsteps:\n${steps}\n`, { registry })).not.toThrow();
  });
});
