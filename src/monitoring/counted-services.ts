// Wraps the usage recorder and the token service so that their events feed the gateway metrics.
import type { TokenService, UsageRecorder } from '../security/tokens/token-service.js';
import type { GatewayMetrics } from './metrics.js';

/*
 * The wrappers delegate through the prototype chain (Object.create) and override one method each,
 * so every other member — including getters such as `dropped` — keeps working unchanged. Denial
 * reasons are the fixed set of the authentication code, so they are bounded label values.
 */

/** A usage recorder that also counts issuances, denials (by reason) and dropped events. */
export function countedUsage<T extends UsageRecorder & { readonly dropped?: number }>(
  usage: T,
  metrics: GatewayMetrics,
): T {
  let seenDropped = 0;
  const counted = Object.create(usage) as T;
  Object.defineProperty(counted, 'record', {
    value(e: Parameters<UsageRecorder['record']>[0]): void {
      if (e.kind === 'issued') metrics.tokensIssued.inc();
      else if (e.outcome === 'denied') metrics.authDenials.inc({ reason: e.reason ?? 'unknown' });
      usage.record(e);
      const dropped = usage.dropped ?? 0;
      if (dropped > seenDropped) {
        metrics.recordsDropped.inc({ kind: 'usage' }, dropped - seenDropped);
        seenDropped = dropped;
      }
    },
  });
  return counted;
}

/** A token service that counts the revocations written through it, by kind. */
export function countedTokens(tokens: TokenService, metrics: GatewayMetrics): TokenService {
  const counted = Object.create(tokens) as TokenService;
  Object.defineProperty(counted, 'revoke', {
    async value(r: Parameters<TokenService['revoke']>[0]): Promise<void> {
      await tokens.revoke(r);
      metrics.tokensRevoked.inc({ kind: r.jti ? 'jti' : r.consumer ? 'consumer' : 'before' });
    },
  });
  return counted;
}
