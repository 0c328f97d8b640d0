// CLI entry: dispatches `pipegate <command>`, turns errors into coded messages and exit codes.
import { PipelineInvalidError, formatIssue } from '../core/loader/index.js';
import { ConfigInvalidError } from '../config/index.js';
import { isPlatformError } from '../errors/index.js';
import type { CliIo, Command } from './command.js';
import { EXIT } from './command.js';
import { commands } from './commands/index.js';
import { commandHelp } from './command-help.js';

function helpText(list: readonly Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  const lines = list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Pipegate: integration pipelines served by an API gateway.

Usage: pipegate <command> [options]

Commands:
${lines.join('\n')}

Run "pipegate <command> --help" for the options of a command.
`;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText(commands));
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    io.stdout('pipegate 0.1.0\n');
    return EXIT.ok;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`error: ERR_CLI_USAGE unknown command "${name}"\n\n${helpText(commands)}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(command, rest));
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    return reportError(err, io);
  }
}

function reportError(err: unknown, io: CliIo): number {
  if (err instanceof PipelineInvalidError || err instanceof ConfigInvalidError) {
    for (const issue of err.issues) io.stderr(`${formatIssue(issue)}\n`);
    io.stderr(`${err.issues.length} problem(s) found\n`);
    return EXIT.usage;
  }
  if (isPlatformError(err)) {
    io.stderr(`error: ${err.code} ${err.message}\n`);
    return err.status >= 500 ? EXIT.failed : EXIT.usage;
  }
  const code = (err as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    io.stderr(`error: ERR_CLI_USAGE ${(err as Error).message}\n`);
    return EXIT.usage;
  }
  // Never a stack trace to the user; the details go to stderr only when debugging is asked for.
  io.stderr(
    'error: ERR_EXECUTION_INTERNAL an unexpected error occurred (set PIPEGATE_DEBUG=1 for details)\n',
  );
  if (io.env.PIPEGATE_DEBUG) io.stderr(`${String((err as Error)?.stack ?? err)}\n`);
  return EXIT.failed;
}

function processIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    ...(process.stderr.isTTY ? { terminal: (t: string) => void process.stderr.write(t) } : {}),
    stdoutIsTerminal: process.stdout.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}
