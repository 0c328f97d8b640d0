// Public surface of the egress (SSRF) policy: reused by every connector that opens outbound connections.
export {
  BLOCKED_RANGES,
  EgressPolicy,
  defaultEgressPolicy,
  egressDenied,
  embeddedIpv4,
  normalizeHost,
  parseAllowEgress,
  type EgressDenial,
} from './egress-policy.js';
export { egressLookup, systemResolveAll, type ResolveAll, type SocketLookup } from './egress-lookup.js';
