// `pipegate validate` and `pipegate run` on bad input: file, line:column and a stable code, never a stack trace.
import { describe, expect, it } from 'vitest';
import { cli, tempFile } from './cli-support.js';

const header = 'name: bad-input\nversion: "1.0"\nsteps:\n';

const cases: { name: string; steps: string; code: string; line: number; column?: number }[] = [
  { name: 'unknown step type', steps: '  - type: json-generatr\n    json: {}\n', code: 'ERR_PIPELINE_UNKNOWN_STEP_TYPE', line: 4, column: 11 },
  { name: 'unknown parameter', steps: '  - type: log\n    mesage: hi\n', code: 'ERR_PIPELINE_UNKNOWN_PARAMETER', line: 5 },
  { name: 'missing parameter', steps: '  - type: assert\n    errorMessage: x\n', code: 'ERR_PIPELINE_MISSING_PARAMETER', line: 4 },
  { name: 'expression in a literal parameter', steps: '  - type: log\n    level: "{{ message.level }}"\n    message: x\n', code: 'ERR_PIPELINE_EXPRESSION_NOT_ALLOWED', line: 5 },
  { name: 'expression syntax error', steps: '  - type: log\n    message: "a {{ CONCAT(message.x }}"\n', code: 'ERR_EXPR_SYNTAX', line: 5, column: 37 },
  { name: 'unknown function', steps: '  - type: log\n    message: "{{ UPPERCAS(message.x) }}"\n', code: 'ERR_EXPR_UNKNOWN_FUNCTION', line: 5, column: 18 },
  { name: 'wrong argument count', steps: '  - type: log\n    message: "{{ IF(true, 1) }}"\n', code: 'ERR_EXPR_ARITY', line: 5, column: 18 },
  { name: 'unknown scope', steps: '  - type: log\n    message: "{{ foo.bar }}"\n', code: 'ERR_EXPR_UNKNOWN_SCOPE', line: 5, column: 18 },
  { name: 'unknown step alias', steps: '  - type: log\n    message: "{{ step.nope }}"\n', code: 'ERR_PIPELINE_UNKNOWN_ALIAS', line: 5 },
  {
    name: 'duplicate alias',
    steps: '  - type: log\n    alias: a1\n    message: x\n  - type: log\n    alias: a1\n    message: y\n',
    code: 'ERR_PIPELINE_DUPLICATE_ALIAS',
    line: 8,
  },
  { name: 'literal argument of the wrong kind', steps: '  - type: log\n    message: "{{ AND([1], true) }}"\n', code: 'ERR_EXPR_ARGUMENT_TYPE', line: 5 },
];

describe('bad pipelines', () => {
  for (const c of cases) {
    it(`${c.name}: validate and run exit 2 with location and ${c.code}`, async () => {
      const file = tempFile('p.yaml', header + c.steps);
      for (const argv of [['validate', file], ['run', file, '--message', '{}']]) {
        const out = await cli(argv);
        expect(out.code).toBe(2);
        const expected = c.column === undefined ? `${file}:${c.line}:` : `${file}:${c.line}:${c.column} `;
        const line = out.stderr.split('\n').find((l) => l.includes(c.code));
        expect(line, out.stderr).toBeDefined();
        expect(line!.startsWith(expected), line).toBe(true);
        expect(out.stderr).not.toMatch(/\n\s+at /);
        expect(out.stdout).toBe('');
      }
    });
  }

  it('malformed YAML reports ERR_PIPELINE_SYNTAX with a position', async () => {
    const file = tempFile('p.yaml', 'name: x\nsteps: [\n  - type: log\n');
    const out = await cli(['validate', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(new RegExp(`^${file.replace(/[/.]/g, '\\$&')}:\\d+:\\d+ ERR_PIPELINE_SYNTAX`, 'm'));
  });

  it('malformed JSON pipeline reports ERR_PIPELINE_SYNTAX', async () => {
    const file = tempFile('p.json', '{"name": "x", "version": "1.0", "steps": [}');
    const out = await cli(['validate', file]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('ERR_PIPELINE_SYNTAX');
  });

  it('reports every problem of a file, sorted by position', async () => {
    const file = tempFile('p.yaml', header + cases.map((c) => c.steps.replace(/alias: a1/g, 'alias: a2')).join(''));
    const out = await cli(['validate', '--json', file]);
    expect(out.code).toBe(2);
    const report = JSON.parse(out.stdout) as { issues: { code: string; line: number }[] };
    const codes = new Set(report.issues.map((i) => i.code));
    for (const c of cases.filter((x) => x.code !== 'ERR_PIPELINE_DUPLICATE_ALIAS')) expect(codes).toContain(c.code);
    const lines = report.issues.map((i) => i.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });

  it('a missing file is ERR_PIPELINE_FILE_NOT_FOUND', async () => {
    const out = await cli(['run', '/nonexistent/p.yaml']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('ERR_PIPELINE_FILE_NOT_FOUND');
  });

  it('an invalid --message is ERR_INPUT_MESSAGE', async () => {
    const file = tempFile('p.yaml', `${header}  - type: log\n    message: x\n`);
    const out = await cli(['run', file, '--message', '{nope']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('ERR_INPUT_MESSAGE');
  });

  it('unknown options and commands are ERR_CLI_USAGE', async () => {
    expect((await cli(['run', '--bogus'])).stderr).toContain('ERR_CLI_USAGE');
    expect((await cli(['frobnicate'])).stderr).toContain('ERR_CLI_USAGE');
  });

  it('a valid file validates', async () => {
    const file = tempFile('p.yaml', `${header}  - type: log\n    message: x\n`);
    const out = await cli(['validate', file]);
    expect(out).toMatchObject({ code: 0, stdout: `${file}: ok\n` });
  });
});
