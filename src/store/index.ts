// Public surface of the store: the Store port, its records, and openStore.
export type * from './store.js';
export {
  openStore,
  parseStoreUrl,
  redactStoreUrl,
  defaultStoreUrl,
  DEFAULT_DATA_DIR,
  DEFAULT_DB_FILE,
  type ParsedStoreUrl,
} from './open-store.js';
