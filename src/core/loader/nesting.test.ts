// Regression found by fuzzing: deeply nested pipeline text is refused before parsing (it made the YAML parser run out of memory).
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../../connectors/index.js';
import { loadPipelineText } from './index.js';
import type { PipelineInvalidError } from './index.js';

describe('pipeline nesting guard', () => {
  it('refuses 2,000 unclosed braces with ERR_PIPELINE_SYNTAX instead of exhausting memory', () => {
    for (const file of ['deep.json', 'deep.yaml']) {
      let err: PipelineInvalidError | undefined;
      try {
        loadPipelineText(file, '{"a":'.repeat(2000), { registry: defaultRegistry });
      } catch (e) {
        err = e as PipelineInvalidError;
      }
      expect(err?.code).toBe('ERR_PIPELINE_INVALID');
      expect(err?.issues[0]).toMatchObject({ code: 'ERR_PIPELINE_SYNTAX' });
      expect(err?.issues[0]?.message).toContain('nested deeper than 64 levels');
    }
  });

  it('still loads flow-style YAML and brackets inside strings', () => {
    const text = `name: ok\nversion: "1.0"\nsteps:\n  - type: log\n    message: "${'['.repeat(80)}"\n  - { type: json-generator, json: { a: [1, [2, [3]]] } }\n`;
    expect(loadPipelineText('ok.yaml', text, { registry: defaultRegistry }).name).toBe('ok');
  });
});
