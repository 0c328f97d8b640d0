// The shape of a CLI command and the output channels it writes to.
import { PlatformError } from '../errors/index.js';

/** Where a command writes; tests pass buffers, the binary passes the process streams. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Writes to the user's terminal; absent when stderr is not a terminal (redirected to a file, a
   * pipe, a log collector). Secrets shown once (the generated admin password) go here only.
   */
  terminal?(text: string): void;
  /** True when stdout is a terminal: `serve` then prints human lines instead of JSON lines. */
  stdoutIsTerminal?: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Help of a sub-command (`pipegate tokens usage --help`). */
export interface SubcommandHelp {
  summary: string;
  usage: string;
  /** One line per option: `{ '--since ISO|EPOCH|15m': 'only events from then on' }`. */
  options?: Readonly<Record<string, string>>;
  examples?: readonly string[];
}

/** One `pipegate <name>` command. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /**
   * Option descriptions shown by `--help`, one line each (`{ '--port N': 'listen on port N' }`).
   * Every flag of `usage` is listed even without an entry here (see command-help.ts).
   */
  options?: Readonly<Record<string, string>>;
  /** Example command lines shown by `--help`. */
  examples?: readonly string[];
  /** Sub-commands with their own usage and options. */
  subcommands?: Readonly<Record<string, SubcommandHelp>>;
  /** Returns the process exit code. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Exit codes: 0 success, 1 the pipeline or operation failed, 2 bad input or usage. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** A usage error for `command`. */
export function usageError(reason: string): PlatformError {
  return new PlatformError('ERR_CLI_USAGE', { reason });
}
