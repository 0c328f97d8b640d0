// DNS resolution that applies the egress policy to every resolved address, for net/tls `lookup` (pinning).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import type { EgressPolicy } from './egress-policy.js';
import { egressDenied, normalizeHost } from './egress-policy.js';

/** The shape of `dns.lookup` with `all: true`, injectable for tests (a name resolving to 10.0.0.1…). */
export type ResolveAll = (hostname: string, callback: (err: Error | null, addresses: LookupAddress[]) => void) => void;

/** The system resolver. */
export const systemResolveAll: ResolveAll = (hostname, callback) =>
  dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => callback(err, addresses ?? []));

type LookupCallback = (err: Error | null, address: string | LookupAddress[], family?: number) => void;

/** The `lookup` option of net.connect / tls.connect. */
export type SocketLookup = (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback) => void;

/**
 * A `lookup` for sockets: resolves the name, drops every address the policy refuses, and hands the
 * socket only the allowed ones. The socket connects to an address that was checked (no second
 * resolution can swap it: DNS rebinding), and every new connection resolves and checks again. When
 * every address is refused the connection fails with ERR_EGRESS_DENIED naming the first rule.
 */
export function egressLookup(policy: EgressPolicy, resolveAll: ResolveAll = systemResolveAll): SocketLookup {
  return (hostname, options, callback) => {
    const literal = isIP(normalizeHost(hostname));
    const resolve: ResolveAll = literal ? (h, cb) => cb(null, [{ address: normalizeHost(h), family: literal }]) : resolveAll;
    resolve(hostname, (err, addresses) => {
      if (err) return callback(err, []);
      const wanted = options.family === 6 || options.family === 'IPv6' ? 6 : options.family === 4 || options.family === 'IPv4' ? 4 : 0;
      const candidates = wanted === 0 ? addresses : addresses.filter((a) => a.family === wanted);
      const allowed = candidates.filter((a) => !policy.denial(hostname, a.address));
      if (allowed.length === 0) {
        const first = candidates[0];
        const denial = first ? policy.denial(hostname, first.address) : undefined;
        if (denial) return callback(egressDenied(hostname, denial), []);
        const notFound = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
        return callback(notFound, []);
      }
      if (options.all) return callback(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}
