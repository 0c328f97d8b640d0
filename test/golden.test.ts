// Golden pipelines: every folder under test/golden holds pipeline.yaml, input.json, expected.json (and options.json).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipelineFile } from '../src/core/loader/index.js';
import { runPipeline } from '../src/core/engine/index.js';
import type { JsonObject } from '../src/core/json.js';
import { frozenClock } from './support/frozen-clock.js';
import { testRegistry } from './support/test-connectors.js';

interface GoldenOptions {
  globals?: JsonObject;
  timeoutMs?: number;
  environment?: string;
  /** Expected execution status (default success). */
  status?: 'success' | 'error' | 'timeout';
  /** Expected log messages, in order. */
  logs?: string[];
}

const root = join(import.meta.dirname, 'golden');

const cases = readdirSync(root).filter((d) => existsSync(join(root, d, 'pipeline.yaml')));

describe('golden pipelines', () => {
  it('has at least 25 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = join(root, name);
      const read = (f: string): unknown => JSON.parse(readFileSync(join(dir, f), 'utf8'));
      const options = (existsSync(join(dir, 'options.json')) ? read('options.json') : {}) as GoldenOptions;
      const pipeline = await loadPipelineFile(join(dir, 'pipeline.yaml'), { registry: testRegistry() });
      const result = await runPipeline(pipeline, {
        message: read('input.json') as JsonObject,
        freezeMessages: true,
        clock: frozenClock(),
        globals: options.globals,
        timeoutMs: options.timeoutMs,
        environment: options.environment,
      });
      expect(result.output).toEqual(read('expected.json'));
      expect(result.status).toBe(options.status ?? 'success');
      if (options.logs) expect(result.logs.map((l) => l.message)).toEqual(options.logs);
      // Whatever the message held, nothing reached Object.prototype.
      expect(Object.prototype).not.toHaveProperty('polluted');
    });
  }
});
