// Public surface of the configuration module: the settings table, the file loader, the schema.
export { CONFIG_ROWS, configRow, type ConfigRow, type TextKind } from './config-table.js';
export { configSchema } from './config-schema.js';
export {
  CONFIG_FILE_NAME,
  ConfigInvalidError,
  configFilePath,
  describeSource,
  loadConfig,
  type ConfigEntry,
  type ConfigSource,
  type EffectiveConfig,
  type LoadConfigInput,
} from './load-config.js';
export { configFlagOptions, configFlagUsage, gatewayOptionsFrom } from './gateway-options.js';

