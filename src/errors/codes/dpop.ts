// Error codes of DPoP proofs and DPoP-bound tokens (RFC 9449; docs/oauth.md "DPoP").
import type { ErrorTable } from '../registry.js';

export const dpopCodes = {
  ERR_DPOP_PROOF_MISSING: {
    status: 401,
    message: 'A DPoP proof is required: send a DPoP header with a proof signed by the token key',
    doc: 'The token is DPoP-bound (or the route requires DPoP) and the request has no `DPoP` header (RFC 9449 §7.1); send a fresh proof for this method and URL.',
  },
  ERR_DPOP_PROOF_MULTIPLE: {
    status: 401,
    message: 'More than one DPoP header was sent; send exactly one proof',
    doc: 'RFC 9449 §4.3 check 1: a request carries at most one `DPoP` header.',
  },
  ERR_DPOP_PROOF_MALFORMED: {
    status: 401,
    message: 'The DPoP proof is not a well-formed JWT: {reason}',
    doc: 'The `DPoP` header must be one compact JWS with a JSON header and claims, carrying `jti`, `htm`, `htu` and a numeric `iat` (RFC 9449 §4.2, §4.3 checks 2–3).',
  },
  ERR_DPOP_PROOF_TYP: {
    status: 401,
    message: 'The DPoP proof header typ must be "dpop+jwt"',
    doc: 'RFC 9449 §4.3 check 4: the proof JWT header has `typ: dpop+jwt`.',
  },
  ERR_DPOP_PROOF_ALG: {
    status: 401,
    message: 'The DPoP proof algorithm "{alg}" is not accepted; use one of {algs}',
    doc: 'RFC 9449 §4.3 check 5: `none` and symmetric (HMAC) algorithms are never accepted; the accepted ones are listed in `dpop_signing_alg_values_supported` and in the `algs` of the DPoP challenge.',
  },
  ERR_DPOP_PROOF_JWK: {
    status: 401,
    message: 'The DPoP proof jwk is not a usable public key: {reason}',
    doc: 'RFC 9449 §4.3 check 7: the `jwk` header is a public key matching `alg` and contains no private key material.',
  },
  ERR_DPOP_PROOF_SIGNATURE: {
    status: 401,
    message: 'The DPoP proof signature does not verify with its jwk',
    doc: 'RFC 9449 §4.3 check 6: the proof must be signed by the private key of the `jwk` in its header.',
  },
  ERR_DPOP_PROOF_HTM: {
    status: 401,
    message: 'The DPoP proof htm does not match the request method {method}',
    doc: 'RFC 9449 §4.3 check 8: `htm` is the HTTP method of the request the proof is sent with.',
  },
  ERR_DPOP_PROOF_HTU: {
    status: 401,
    message: 'The DPoP proof htu does not match the request URL {url}',
    doc: 'RFC 9449 §4.3 check 9: `htu` is the request URL without query and fragment, as the gateway is reached (its public URL, PIPEGATE_PUBLIC_URL).',
  },
  ERR_DPOP_PROOF_IAT: {
    status: 401,
    message: 'The DPoP proof iat is outside the accepted window ({windowSec} s)',
    doc: 'RFC 9449 §4.3 check 11: a proof is accepted for a short window after its `iat` (60 s plus the clock leeway) and not from the future; make a fresh proof per request and keep the client clock in sync.',
  },
  ERR_DPOP_USE_NONCE: {
    status: 401,
    message:
      'The DPoP proof must carry the server nonce: retry with a new proof whose nonce claim is the DPoP-Nonce response header',
    doc: 'The gateway requires DPoP server nonces (`dpop.nonce`, RFC 9449 §8 and §9) and the proof has no `nonce` claim, or one that this deployment did not issue or that is older than `dpop.nonceLifetimeSec`. The response carries a fresh nonce in `DPoP-Nonce` and the error `use_dpop_nonce`; make a new proof with it.',
  },
  ERR_DPOP_PROOF_REPLAYED: {
    status: 401,
    message: 'The DPoP proof was already used (jti seen before)',
    doc: 'RFC 9449 §11.1: each proof is single-use; make a new proof, with a new `jti`, for every request.',
  },
  ERR_DPOP_PROOF_ATH: {
    status: 401,
    message: 'The DPoP proof ath does not match the access token',
    doc: 'RFC 9449 §4.3 check 12: with an access token, the proof carries `ath` = base64url(SHA-256(token)).',
  },
  ERR_DPOP_KEY_MISMATCH: {
    status: 401,
    message: 'The DPoP proof key is not the key the token is bound to',
    doc: 'RFC 9449 §7.1: the thumbprint of the proof key must equal the token `cnf.jkt`; a stolen DPoP-bound token cannot be used without its private key.',
  },
  ERR_DPOP_BOUND_TOKEN_AS_BEARER: {
    status: 401,
    message: 'A DPoP-bound token must be sent with "Authorization: DPoP", not as a bearer token',
    doc: 'RFC 9449 §7.2: a token carrying `cnf.jkt` is refused under the Bearer scheme; send `Authorization: DPoP <token>` with a proof.',
  },
  ERR_DPOP_REQUIRED: {
    status: 401,
    message: 'This route requires a DPoP-bound token',
    doc: 'The trigger has `auth.jwt.dpop: required`: get a token at /oauth2/token with a DPoP proof and present it with `Authorization: DPoP` and a proof.',
  },
  ERR_DPOP_NOT_BOUND: {
    status: 401,
    message: 'The token under the DPoP scheme is not DPoP-bound',
    doc: 'RFC 9449 §7.1: `Authorization: DPoP` carries only tokens with `cnf.jkt`; send an unbound token as `Bearer`, or get a bound one by presenting a proof at /oauth2/token.',
  },
} as const satisfies ErrorTable;
