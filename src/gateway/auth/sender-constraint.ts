// RFC 9449 on protected routes: the DPoP scheme, proofs bound to tokens, and refusals in the client's scheme.
import { DPOP_ALGORITHMS, verifyDpopProof } from '../../security/dpop/index.js';
import type { DpopNonces } from '../../security/dpop/index.js';
import type { VerifiedToken } from '../../security/tokens/token-service.js';
import { PlatformError } from '../../errors/index.js';
import type { PlatformErrorCode } from '../../errors/index.js';
import type { AuthPolicy } from '../../deployments/trigger-config.js';
import type { AuthServices, PresentedCredentials, RequestTarget } from './authenticate.js';
import { dpopChallenge, dpopDenied, tokenDenied, unavailable } from './denials.js';
import type { Denial } from './denials.js';

/** A token refusal in the scheme the client used (and, for a missing token, every accepted scheme). */
export function tokenRefusal(
  s: AuthServices,
  policy: AuthPolicy,
  creds: PresentedCredentials,
  reason: string,
): Denial {
  if (creds.tokenScheme === 'dpop' && reason !== 'missing')
    return {
      ...dpopDenied(
        DPOP_ALGORITHMS,
        'invalid_token',
        'ERR_GATEWAY_UNAUTHORIZED',
        'the access token is not valid',
      ),
      reason,
    };
  const denial = tokenDenied(s.realm, reason);
  if (reason !== 'missing' || policy.dpop === null) return denial;
  // RFC 9449 §7.1: a route that requires DPoP challenges with DPoP only; optional offers both.
  const dpop = dpopChallenge(DPOP_ALGORITHMS);
  const bearer = denial.headers['WWW-Authenticate']!;
  return {
    ...denial,
    headers: { 'WWW-Authenticate': policy.dpop === 'required' ? dpop : `${bearer}, ${dpop}` },
  };
}

export function dpopRefusal(
  code: PlatformErrorCode,
  details: Record<string, string | number> = {},
  nonces: DpopNonces | null = null,
): Denial {
  const error =
    code === 'ERR_DPOP_USE_NONCE'
      ? 'use_dpop_nonce'
      : code.startsWith('ERR_DPOP_PROOF_') || code === 'ERR_DPOP_KEY_MISMATCH'
        ? 'invalid_dpop_proof'
        : 'invalid_token';
  const denial = dpopDenied(DPOP_ALGORITHMS, error, code, new PlatformError(code, details).message);
  // RFC 9449 §9: the challenge for a missing or stale nonce carries a fresh one.
  if (nonces) denial.headers['DPoP-Nonce'] = nonces.current();
  return denial;
}

/**
 * RFC 9449 §7: a bound token (`cnf.jkt`) only under the DPoP scheme with a proof for this request
 * whose key has that thumbprint and whose `ath` is the token's hash; the DPoP scheme only with a
 * bound token; `dpop: required` refuses unbound tokens. Null when the token may be used.
 */
export async function checkSenderConstraint(
  s: AuthServices,
  policy: AuthPolicy,
  creds: PresentedCredentials,
  verified: VerifiedToken,
  target: RequestTarget | undefined,
): Promise<Denial | null> {
  if (creds.tokenScheme !== 'dpop') {
    if (verified.jkt !== null) return dpopRefusal('ERR_DPOP_BOUND_TOKEN_AS_BEARER');
    return policy.dpop === 'required' ? dpopRefusal('ERR_DPOP_REQUIRED') : null;
  }
  if (verified.jkt === null) return dpopRefusal('ERR_DPOP_NOT_BOUND');
  if (!target) throw new TypeError('authenticate: a DPoP request needs its method and path');
  let r;
  try {
    r = await verifyDpopProof({
      header: creds.dpopProof,
      method: target.method,
      url: `${s.dpop.publicUrl()}${target.path}`,
      accessToken: creds.bearer!,
      boundJkt: verified.jkt,
      nowSec: s.dpop.nowSec(),
      leewaySec: s.dpop.leewaySec,
      replay: s.dpop.replay,
      nonces: s.dpop.nonces,
    });
  } catch {
    // The replay cache (Redis) could not answer: the caller is not at fault.
    return unavailable('replay_cache_unavailable');
  }
  return r.ok ? null : dpopRefusal(r.code, r.details, s.dpop.nonces);
}
