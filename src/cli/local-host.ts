// The host services `pipegate run` gives a pipeline: no store by default, local globals, a test consumer.
import type { JsonObject } from '../core/json.js';
import type { AuthInfo, HostServices } from '../core/step-context.js';

/** Options of the local host. */
export interface LocalHostOptions {
  cwd: string;
  dataDir?: string;
  environment: string;
  realm: string;
  consumer: string;
  env: NodeJS.ProcessEnv;
}

/** What `run` gets from the local host. */
export interface LocalHost {
  host: HostServices;
  globals: JsonObject;
  auth: AuthInfo | null;
  close(): Promise<void>;
}

/**
 * Builds the host for local runs. The gateway module extends this with the store-backed token
 * service, accounts and globals when a data directory exists.
 */
export async function createLocalHost(options: LocalHostOptions): Promise<LocalHost> {
  void options;
  return { host: {}, globals: {}, auth: null, close: async () => undefined };
}
