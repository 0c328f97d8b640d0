// `pipegate run` end to end: the real binary prints only the final message on stdout, logs on stderr.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cli, tempFile } from './cli-support.js';

const run = promisify(execFile);
const bin = join(import.meta.dirname, '../../bin/pipegate.js');

const pipeline = `name: cli-demo
version: "1.0"
steps:
  - type: log
    level: INFO
    message: "hello {{ message.name }} in {{ metadata.runtime.environment }}"
  - type: json-generator
    json:
      greeting: "Hello {{ message.name }}"
      limit: "{{ global.limit }}"
      env: "{{ metadata.runtime.environment }}"
`;

describe('pipegate run', () => {
  it('prints the final message as JSON on stdout and logs on stderr (real process)', async () => {
    const file = tempFile('p.yaml', pipeline);
    const { stdout, stderr } = await run(process.execPath, [bin, 'run', file, '--message', '{"name":"Ana"}', '--global', 'limit=5', '--environment', 'prod']);
    expect(JSON.parse(stdout)).toEqual({ greeting: 'Hello Ana', limit: 5, env: 'prod' });
    const log = JSON.parse(stderr.trim().split('\n')[0]!) as Record<string, unknown>;
    expect(log).toMatchObject({ level: 'INFO', message: 'hello Ana in prod', pipeline: 'cli-demo' });
    expect(log.executionKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reads the message from a file with @', async () => {
    const file = tempFile('p.yaml', pipeline);
    const msg = tempFile('m.json', '{"name":"Bo"}');
    const out = await cli(['run', file, '--message', `@${msg}`]);
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ greeting: 'Hello Bo' });
  });

  it('prints the error object and exits 1 when the pipeline fails', async () => {
    const file = tempFile('p.yaml', 'name: fails\nversion: "1.0"\nsteps:\n  - type: throw-error\n    errorMessage: nope\n    httpStatusCode: 409\n');
    const out = await cli(['run', file]);
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({ error: 'nope', code: 409, exception: 'ERR_THROWN' });
  });

  it('--help lists the commands (real process)', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    expect(stdout).toContain('run');
    expect(stdout).toContain('validate');
    expect(stdout).toContain('schema');
  });

  it('schema prints a JSON Schema naming every connector', async () => {
    const out = await cli(['schema']);
    const schema = JSON.parse(out.stdout) as { definitions: Record<string, unknown> };
    expect(Object.keys(schema.definitions)).toEqual(expect.arrayContaining(['step-log', 'step-json-generator', 'step-for-each']));
  });
});
