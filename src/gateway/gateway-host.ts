// What executions get from a gateway: tokens, accounts, token-scoped session memory, globals.
import type { AccountService } from '../accounts/index.js';
import type { JsonObject } from '../core/json.js';
import type { HostServices } from '../core/step-context.js';
import type { DatabasePools } from '../connectors/db/database-pools.js';
import type { OutboundHttp } from '../http-client/index.js';
import type { TokenService } from '../security/tokens/token-service.js';
import type { Store } from '../store/store.js';
import { loadGlobalValues } from '../globals/global-admin.js';

/** Host services of gateway executions in `environment`. */
export function gatewayHost(
  store: Store,
  environment: string,
  tokens: TokenService,
  accounts: AccountService,
  outboundHttp?: OutboundHttp,
  databases?: DatabasePools,
): HostServices {
  const host = {
    tokens,
    outboundHttp,
    databases,
    accounts: accounts.resolver(environment),
    accountScope: (labels: readonly string[], env: string) => accounts.scope(labels, env),
    globalSessions: {
      async get(key: string) {
        return (await store.globalSessions.get(environment, key))?.data;
      },
      async put(key: string, data: JsonObject, expiresAtSec: number) {
        await store.globalSessions.put(environment, key, data, expiresAtSec * 1000);
      },
    },
  };
  // Members declared by other modules (jwt, jose, session-management) through declaration merging.
  return host as HostServices;
}

/** The environment's globals as `{ name: value }` for `{{ global.<name> }}`. */
export async function loadGlobals(store: Store, environment: string): Promise<JsonObject> {
  return loadGlobalValues(store, environment);
}
