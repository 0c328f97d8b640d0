// Turns the effective configuration into gateway options and the table's flags into parseArgs options.
import type { ParseArgsConfig } from 'node:util';
import type { JsonValue } from '../core/json.js';
import { CONFIG_ROWS } from './config-table.js';
import type { ConfigRow } from './config-table.js';
import type { EffectiveConfig } from './load-config.js';

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

/** parseArgs options for every row that has a flag (`serve` accepts them all). */
export function configFlagOptions(rows: readonly ConfigRow[] = CONFIG_ROWS): ParseOptions {
  const out: ParseOptions = {};
  for (const row of rows) {
    if (row.flag === null) continue;
    out[row.flag] =
      row.text === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: row.text === 'list' };
  }
  return out;
}

/** The usage text of the table's flags, e.g. `[--port N] [--host ADDR] …`. */
export function configFlagUsage(rows: readonly ConfigRow[] = CONFIG_ROWS): string {
  return rows
    .filter((r) => r.flag !== null)
    .map((r) => {
      const arg = r.text === 'boolean' ? '' : r.text === 'integer' ? ' N' : r.text === 'list' ? ' VALUE…' : ' VALUE';
      return `[--${r.flag}${arg}]`;
    })
    .join(' ');
}

/**
 * The options object of startGateway: every value set by the file, a variable or a flag at its
 * row's `option` path (dotted paths make nested objects, e.g. `tokenPolicy.leewaySec`). Defaults are
 * left to the gateway (a test keeps the table's documented defaults equal to them). Rows whose
 * feature is not merged yet (`pending`) are passed too; the gateway ignores members it does not know.
 */
export function gatewayOptionsFrom(cfg: EffectiveConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { row, value, source } of cfg.entries) {
    if (value === null || source.kind === 'default') continue;
    const parts = row.option.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value as JsonValue;
  }
  return out;
}
