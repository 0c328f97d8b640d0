// Runs the transformer-jolt golden pipelines (test/golden/jolt-*) with this connector registered, as the lead's driver does.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInConnectors } from '../index.js';
import { runPipeline } from '../../core/engine/index.js';
import type { JsonObject } from '../../core/json.js';
import { loadPipelineFile } from '../../core/loader/index.js';
import { createRegistry } from '../../core/registry.js';
import { frozenClock } from '../../../test/support/frozen-clock.js';
import { transformerJolt } from './index.js';

const root = join(import.meta.dirname, '../../../test/golden');
const cases = readdirSync(root).filter(
  (d) => d.startsWith('jolt-') && existsSync(join(root, d, 'pipeline.yaml')),
);
const registry = createRegistry([
  ...builtInConnectors.filter((c) => c.type !== transformerJolt.type),
  transformerJolt,
]);

describe('transformer-jolt golden pipelines', () => {
  it('has at least three cases, one of them the claim extraction', () => {
    expect(cases.length).toBeGreaterThanOrEqual(3);
    expect(cases).toContain('jolt-claim-extraction');
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(root, name);
      const read = (f: string): unknown => JSON.parse(readFileSync(join(dir, f), 'utf8'));
      const pipeline = await loadPipelineFile(join(dir, 'pipeline.yaml'), { registry });
      const result = await runPipeline(pipeline, {
        message: read('input.json') as JsonObject,
        clock: frozenClock(),
      });
      expect(result.output).toEqual(read('expected.json'));
      expect(result.status).toBe('success');
    });
  }
});
