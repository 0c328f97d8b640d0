// `pipegate validate` diagnostics a newcomer meets: exact columns past escapes, "did you mean" for parameters, alias errors beside other errors.
import { describe, expect, it } from 'vitest';
import { cli, tempFile } from './cli-support.js';

/** The validate issues of one file, as `line:column code message` after the file name. */
async function issues(name: string, text: string): Promise<string[]> {
  const file = tempFile(name, text);
  const r = await cli(['validate', file]);
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith(file))
    .map((l) => l.slice(file.length + 1));
}

/** 1-based column of the first `needle` on line `line` (1-based) of `text`. */
const columnOf = (text: string, line: number, needle: string): number =>
  text.split('\n')[line - 1]!.indexOf(needle) + 1;

describe('validate', () => {
  it('reports the source column of an expression error after \\" escapes in a double-quoted YAML string', async () => {
    const text = `name: p\nversion: "1.0"\nsteps:\n  - type: log\n    message: "{{ CONCAT(\\"a\\", \\"b\\") }} {{ NOPE() }}"\n`;
    const [issue] = await issues('p.yaml', text);
    expect(issue).toBe(
      `5:${columnOf(text, 5, 'NOPE')} ERR_EXPR_UNKNOWN_FUNCTION Unknown function NOPE (at /steps/0/message)`,
    );
  });

  it('…and after other escapes, in single-quoted YAML and in JSON files', async () => {
    const yaml = `name: p\nversion: "1.0"\nsteps:\n  - type: log\n    message: "\\u00e9\\t\\x41 {{ NOPE() }}"\n  - type: log\n    message: '{{ "it''s" }} {{ NOPE() }}'\n`;
    const found = await issues('q.yaml', yaml);
    expect(found[0]).toMatch(
      new RegExp(`^5:${columnOf(yaml, 5, 'NOPE')} ERR_EXPR_UNKNOWN_FUNCTION`),
    );
    expect(found[1]).toMatch(
      new RegExp(`^7:${columnOf(yaml, 7, 'NOPE')} ERR_EXPR_UNKNOWN_FUNCTION`),
    );
    const json = `{"name": "p", "version": "1.0", "steps": [\n  {"type": "log", "message": "{{ CONCAT(\\"a\\\\\\\\\\", 1) }} {{ NOPE() }}"}\n]}\n`;
    const [inJson] = await issues('p.json', json);
    expect(inJson).toMatch(new RegExp(`^2:${columnOf(json, 2, 'NOPE')} ERR_EXPR_UNKNOWN_FUNCTION`));
  });

  it('suggests the parameter meant for an unknown trigger or step parameter', async () => {
    const text = `name: p\nversion: "1.0"\ntrigger:\n  type: rest\n  routes: [/x]\n  auth:\n    apikey: true\nsteps:\n  - type: json-generator\n    json: {}\n    failOnErorr: true\n`;
    const found = await issues('s.yaml', text);
    expect(found).toContain(
      '7:13 ERR_PIPELINE_UNKNOWN_PARAMETER Unknown parameter "apikey" (did you mean apiKey?) (at /trigger/auth/apikey)',
    );
    expect(found).toContain(
      '11:18 ERR_PIPELINE_UNKNOWN_PARAMETER Unknown parameter "failOnErorr" (did you mean failOnError?) (at /steps/0/failOnErorr)',
    );
  });

  it('reports an alias error of a step that has another error, without a cascade on later references', async () => {
    const text = [
      'name: p',
      'version: "1.0"',
      'steps:',
      '  - type: json-generator',
      '    json: {}',
      '    alias: first',
      '  - type: json-generatr',
      '    alias: first',
      '  - type: json-generatr',
      '    alias: Bad_Alias',
      '  - type: json-generatr',
      '    alias: later',
      '  - type: log',
      '    message: "{{ step.later }}"',
      '',
    ].join('\n');
    const found = await issues('a.yaml', text);
    expect(found).toEqual([
      expect.stringMatching(/^7:\d+ ERR_PIPELINE_UNKNOWN_STEP_TYPE/),
      '8:12 ERR_PIPELINE_DUPLICATE_ALIAS Step alias "first" is already used at /steps/0 (at /steps/1/alias)',
      expect.stringMatching(/^9:\d+ ERR_PIPELINE_UNKNOWN_STEP_TYPE/),
      expect.stringMatching(/^10:12 ERR_PIPELINE_SCHEMA "alias" must be lowercase/),
      expect.stringMatching(/^11:\d+ ERR_PIPELINE_UNKNOWN_STEP_TYPE/),
    ]);
  });
});
