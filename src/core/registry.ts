// A connector registry: the explicit, typed list of connectors a loader accepts.
import type { AnyConnector } from './connector.js';

/** Connectors by `type`. */
export type ConnectorRegistry = ReadonlyMap<string, AnyConnector>;

/** Builds a registry from a list; a duplicate type is a programmer mistake. */
export function createRegistry(connectors: readonly AnyConnector[]): ConnectorRegistry {
  const map = new Map<string, AnyConnector>();
  for (const c of connectors) {
    if (map.has(c.type)) throw new TypeError(`connector type ${c.type} registered twice`);
    map.set(c.type, c);
  }
  return map;
}
