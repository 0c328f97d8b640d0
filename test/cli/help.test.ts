// `pipegate <command> --help`: every command lists each of its options on one described line, with an example.
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { usageFlags } from '../../src/cli/command-help.js';
import { cli } from './cli-support.js';

/** The option lines of a help text: `  --flag ARG  description`. */
function optionLines(help: string): Map<string, string> {
  const section = help.split('\nOptions:\n')[1]?.split('\n\n')[0] ?? '';
  const out = new Map<string, string>();
  for (const line of section.split('\n')) {
    const m = /^ {2}(--[a-z0-9-]+)(?: \S+)?\s{2,}(.+)$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

describe('command help', () => {
  it.each(commands.map((c) => [c.name, c] as const))('%s --help', async (name, command) => {
    const r = await cli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: ${command.usage}`);
    const lines = optionLines(r.stdout);
    for (const spec of usageFlags(command.usage)) {
      const flag = spec.split(' ')[0]!;
      expect(
        lines.get(flag),
        `${name} ${flag}: describe it in the command's options (serve: src/cli/commands/serve-help.ts)`,
      ).toBeDefined();
      expect(lines.get(flag)).not.toBe('see docs/cli.md');
    }
    expect(r.stdout).toMatch(/\nExamples:\n {2}pipegate /);
    expect(r.stdout).not.toMatch(/\n {2}pipegate (?!\w)/);
  });

  it('a sub-command shows its own usage and options: tokens usage --help', async () => {
    const r = await cli(['tokens', 'usage', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Query the token usage log/);
    expect(r.stdout).toContain('Usage: pipegate tokens usage [--jti ID]');
    expect([...optionLines(r.stdout).keys()]).toEqual([
      '--jti',
      '--consumer',
      '--pipeline',
      '--since',
      '--limit',
      '--environment',
      '--realm',
      '--data-dir',
      '--store',
      '--config',
      '--json',
    ]);
    expect(r.stdout).not.toContain('--before');
    expect(r.stdout).toContain('pipegate tokens usage --consumer acme --since 2h');
  });

  it('help of a command with sub-commands lists them', async () => {
    const r = await cli(['tokens', '-h']);
    expect(r.stdout).toMatch(/Sub-commands:\n {2}revoke +Revoke/);
    expect(r.stdout).toContain('pipegate tokens <sub-command> --help');
  });

  it('a command without help data still lists the flags of its usage line', () => {
    expect(
      usageFlags(
        'pipegate x [--port N] [--admin-port N] [--allow-egress HOST,…] [--demo] | --server URL',
      ),
    ).toEqual(['--port N', '--admin-port N', '--allow-egress HOST', '--demo', '--server URL']);
  });
});
