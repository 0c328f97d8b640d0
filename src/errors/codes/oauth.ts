// Error codes of the OAuth 2.0 endpoints (token, introspection, revocation; docs/oauth.md).
import type { ErrorTable } from '../registry.js';

export const oauthCodes = {
  ERR_OAUTH_INVALID_REQUEST: {
    status: 400,
    message: 'Invalid OAuth request: {reason}',
    doc: 'The request to an /oauth2 endpoint is malformed (RFC 6749 §5.2 invalid_request): send the parameters once each, form-encoded (application/x-www-form-urlencoded), with the required ones present.',
  },
  ERR_OAUTH_INVALID_CLIENT: {
    status: 401,
    message:
      "Client authentication failed: send the consumer's Basic credential or its API key (apikey header)",
    doc: "The client of an /oauth2 endpoint is unknown, disabled, sent a wrong secret or none (RFC 6749 §5.2 invalid_client); authenticate with exactly one of the consumer's Basic credential or API key.",
  },
  ERR_OAUTH_UNSUPPORTED_GRANT_TYPE: {
    status: 400,
    message: 'grant_type "{grantType}" is not supported; use client_credentials',
    doc: 'The token endpoint implements the client credentials grant only (RFC 6749 §4.4); send grant_type=client_credentials.',
  },
  ERR_OAUTH_INVALID_SCOPE: {
    status: 400,
    message: 'Requested scope is invalid: {reason}',
    doc: "A requested scope is not a valid scope token or lies outside the consumer's scope ceiling (RFC 6749 §5.2 invalid_scope); ask for fewer scopes or widen the consumer's scopes.",
  },
  ERR_OAUTH_UNAUTHORIZED_CLIENT: {
    status: 400,
    message: 'The token was not issued to this client; a client revokes only its own tokens',
    doc: "A consumer asked to revoke a token of another consumer (RFC 7009 §2.1); revoke it with the owning consumer's credentials or with `pipegate tokens revoke`.",
  },
  ERR_OAUTH_METHOD_NOT_ALLOWED: {
    status: 405,
    message: '{path} accepts POST only',
    doc: 'The OAuth endpoints take form-encoded POST requests (RFC 6749 §3.2, RFC 7662 §2.1, RFC 7009 §2.1).',
  },
  ERR_OAUTH_RATE_LIMITED: {
    status: 429,
    message: 'Too many requests to {path}; retry after {retryAfter} s',
    doc: 'The client (or, before authentication, its address) used up the OAuth endpoint quota (PIPEGATE_OAUTH_RATE_LIMIT); wait for the Retry-After seconds.',
  },
  ERR_OAUTH_UNAVAILABLE: {
    status: 503,
    message: 'The authorization server cannot serve the request now: {reason}',
    doc: 'The store or the realm keys cannot be reached, or the gateway is still starting (RFC 6749 temporarily_unavailable); retry later, and check the store.',
  },
  ERR_OAUTH_INVALID_DPOP_PROOF: {
    status: 400,
    message: 'The DPoP proof is invalid: {reason}',
    doc: 'The token request carried a `DPoP` header that fails a check of RFC 9449 §4.3 (RFC 9449 §5 invalid_dpop_proof); the description names the check (the same as the ERR_DPOP_PROOF_* codes).',
  },
  ERR_OAUTH_USE_DPOP_NONCE: {
    status: 400,
    message:
      'The DPoP proof must carry the server nonce: retry with a new proof whose nonce claim is the DPoP-Nonce response header',
    doc: "The gateway requires DPoP server nonces (`dpop.nonce`) and the token request's proof has no `nonce` claim or a stale one (RFC 9449 §8 use_dpop_nonce). The response carries a fresh nonce in `DPoP-Nonce`.",
  },
  ERR_OAUTH_SERVER_ERROR: {
    status: 500,
    message: 'The authorization server failed to process the request',
    doc: 'An unexpected failure in an /oauth2 endpoint (RFC 6749 server_error); the gateway log has the details.',
  },
} as const satisfies ErrorTable;
