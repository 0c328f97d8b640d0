// Which window counters one token usage event adds to (pure: the detector's hot path).
import type { AnomalyRule } from '../../store/anomaly-records.js';
import type { NewTokenUsageEvent } from '../../store/records.js';

/** Every authentication that presented a token with a known jti (feeds token_rate_spike and token_multi_ip). */
export const TOKEN_USE = 'token_use';

/** A counter name: a window-count rule, or TOKEN_USE. */
export type CounterName =
  Exclude<AnomalyRule, 'token_multi_ip' | 'token_rate_spike'> | typeof TOKEN_USE;

/** Receives one increment: counter and subject. */
export type AddHit = (counter: CounterName, subject: string) => void;

const FORGED = new Set(['bad_signature', 'alg_not_allowed', 'unknown_kid']);
const GONE_CONSUMER = new Set(['consumer_disabled', 'consumer_unknown']);

/**
 * The counters an event feeds (docs/anomalies.md "Rules"). Refused authentications are the 401s (a
 * 403 is a decision about a known caller, a 429 a quota, a 503 our own failure). A token's consumer
 * and jti are known only when its signature was valid, so forged tokens count per client IP.
 */
export function classifyEvent(e: NewTokenUsageEvent, add: AddHit): void {
  if (e.kind === 'issued') {
    if (e.consumer) add('issuance_burst', `consumer:${e.consumer}`);
    return;
  }
  if (e.jti) add(TOKEN_USE, `jti:${e.jti}`);
  if (e.outcome !== 'denied') return;
  const reason = e.reason ?? '';
  if (reason === 'revoked' && e.jti) add('revoked_token_use', `jti:${e.jti}`);
  else if (reason === 'token_expired' && e.jti) add('expired_token_replay', `jti:${e.jti}`);
  else if (FORGED.has(reason) && e.clientIp) add('forged_token', `ip:${e.clientIp}`);
  else if (GONE_CONSUMER.has(reason) && e.credentialKind === 'jwt' && e.consumer)
    add('disabled_consumer_use', `consumer:${e.consumer}`);
  if (e.status !== 401) return;
  if (e.clientIp) add('auth_failure_burst', `ip:${e.clientIp}`);
  if (e.consumer) add('auth_failure_burst', `consumer:${e.consumer}`);
  else if (e.credentialKind === 'basic' && e.credentialId)
    add('auth_failure_burst', `basic-user:${e.credentialId}`);
}
