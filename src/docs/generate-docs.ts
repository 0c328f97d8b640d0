// Produces every generated documentation file (path → content) so the CLI can write them and a test can check drift.
import type { AnyConnector } from '../core/connector.js';
import { connectorIndex, connectorPage } from './connector-page.js';
import { configurationSettingsPage } from './configuration-page.js';
import { errorsPage } from './errors-page.js';

/** Generated files relative to the repository's docs/ folder. */
export function generatedDocs(connectors: readonly AnyConnector[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const c of connectors) files.set(`connectors/${c.type}.md`, connectorPage(c));
  files.set('connectors/README.md', connectorIndex(connectors));
  files.set('errors.md', errorsPage());
  files.set('configuration-settings.md', configurationSettingsPage());
  return files;
}
