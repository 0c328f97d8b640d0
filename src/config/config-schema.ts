// The JSON Schema of pipegate.yaml, assembled from the settings table (`pipegate schema --config`).
import type { JsonSchema } from '../core/connector.js';
import { CONFIG_ROWS } from './config-table.js';
import type { ConfigRow } from './config-table.js';

function objectNode(): JsonSchema & { properties: Record<string, JsonSchema> } {
  return { type: 'object', additionalProperties: false, properties: {} };
}

function leaf(row: ConfigRow): JsonSchema {
  const s: JsonSchema = { ...row.schema, description: row.description };
  if (row.default !== null) s.default = row.default;
  if (row.env) s['x-env'] = row.env;
  if (row.flag) s['x-flag'] = `--${row.flag}`;
  return s;
}

/** The schema (draft 2020-12) of the configuration file: every row except the secrets. */
export function configSchema(rows: readonly ConfigRow[] = CONFIG_ROWS): JsonSchema {
  const root = objectNode();
  for (const row of rows) {
    if (row.secret) continue;
    const parts = row.key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const next = (node.properties[part] ??= objectNode()) as ReturnType<typeof objectNode>;
      node = next;
    }
    node.properties[parts.at(-1)!] = leaf(row);
  }
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://pipegate.dev/schemas/pipegate-config.json',
    title: 'pipegate.yaml',
    description:
      'Pipegate server configuration. PIPEGATE_* environment variables override it and flags override both (docs/configuration.md). Secrets never belong here.',
    ...root,
  };
}
