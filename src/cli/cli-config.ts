// Reads pipegate.yaml for a CLI command (--config, PIPEGATE_* variables, the command's flags) and prints its warnings.
import { formatIssue } from '../core/loader/index.js';
import { loadConfig } from '../config/index.js';
import type { EffectiveConfig } from '../config/index.js';
import type { ValidationIssue } from '../core/loader/index.js';
import type { CliIo } from './command.js';

/** The `--config FILE` option every configuration-aware command accepts. */
export const CONFIG_OPTION = { config: { type: 'string' } } as const;

/**
 * The effective configuration of one command run; secret-looking values are reported on stderr,
 * or to `warn` (serve: a log record in its output stream).
 */
export async function readCliConfig(
  io: CliIo,
  values: { config?: string } & Record<string, unknown>,
  warn: (w: ValidationIssue) => void = (w) => io.stderr(`warning: ${formatIssue(w)}\n`),
): Promise<EffectiveConfig> {
  const cfg = await loadConfig({ cwd: io.cwd, env: io.env, file: values.config, flags: values });
  for (const w of cfg.warnings) warn(w);
  return cfg;
}
