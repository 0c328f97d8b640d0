// Which window counters one token usage event adds to (pure: the detector's hot path).
import type { AnomalyRule } from '../../store/anomaly-records.js';
import type { NewTokenUsageEvent } from '../../store/records.js';

/** Every authentication that presented a token with a known jti (feeds token_rate_spike and token_multi_ip). */
export const TOKEN_USE = 'token_use';

/** A counter name: a window-count rule, or TOKEN_USE. */
export type CounterName =
  Exclude<AnomalyRule, 'token_multi_ip' | 'token_rate_spike'> | typeof TOKEN_USE;

/** One increment: counter and subject. */
export interface Hit {
  counter: CounterName;
  subject: string;
}

const FORGED = new Set(['bad_signature', 'alg_not_allowed', 'unknown_kid']);
const GONE_CONSUMER = new Set(['consumer_disabled', 'consumer_unknown']);

/**
 * The counters an event feeds (docs/anomalies.md "Rules"). Refused authentications are the 401s (a
 * 403 is a decision about a known caller, a 429 a quota, a 503 our own failure). A token's consumer
 * and jti are known only when its signature was valid, so forged tokens count per client IP.
 */
export function classifyEvent(e: NewTokenUsageEvent, out: Hit[]): void {
  if (e.kind === 'issued') {
    if (e.consumer) out.push({ counter: 'issuance_burst', subject: `consumer:${e.consumer}` });
    return;
  }
  if (e.jti) out.push({ counter: TOKEN_USE, subject: `jti:${e.jti}` });
  if (e.outcome !== 'denied') return;
  const reason = e.reason ?? '';
  if (reason === 'revoked' && e.jti)
    out.push({ counter: 'revoked_token_use', subject: `jti:${e.jti}` });
  else if (reason === 'token_expired' && e.jti)
    out.push({ counter: 'expired_token_replay', subject: `jti:${e.jti}` });
  else if (FORGED.has(reason) && e.clientIp)
    out.push({ counter: 'forged_token', subject: `ip:${e.clientIp}` });
  else if (GONE_CONSUMER.has(reason) && e.credentialKind === 'jwt' && e.consumer)
    out.push({ counter: 'disabled_consumer_use', subject: `consumer:${e.consumer}` });
  if (e.status !== 401) return;
  if (e.clientIp) out.push({ counter: 'auth_failure_burst', subject: `ip:${e.clientIp}` });
  if (e.consumer) out.push({ counter: 'auth_failure_burst', subject: `consumer:${e.consumer}` });
  else if (e.credentialKind === 'basic' && e.credentialId)
    out.push({ counter: 'auth_failure_burst', subject: `basic-user:${e.credentialId}` });
}
