// Error codes of the platform token area: the jwt connector, the token service and the keys/tokens CLI.
import type { ErrorTable } from '../registry.js';

export const jwtCodes = {
  ERR_JWT_PARAMETER: {
    status: 400,
    message: 'jwt parameter "{parameter}" is invalid: {reason}',
    doc: 'A jwt step input cannot be used (a message nested too deeply to check for sensitive claims); fix the step. A parameter of the wrong type is ERR_STEP_PARAMETER_INVALID.',
  },
  ERR_JWT_CLAIMS_NOT_OBJECT: {
    status: 400,
    message: 'jwt generate needs a JSON object message (its fields become the private claims), got {type}',
    doc: 'The message reaching a jwt generate step must be an object; use a json-generator or transformer to shape it.',
  },
  ERR_JWT_SENSITIVE_CLAIM: {
    status: 400,
    message: 'Field "{field}" matches a sensitive field name and cannot go into a token',
    doc: 'A field of the message (at any depth) matches the sensitive-field list (pipeline, realm policy, built-in); drop it before generating the token.',
  },
  ERR_JWT_RESERVED_CLAIM: {
    status: 400,
    message: 'Field "{claim}" is a registered claim set by the platform and cannot be overridden',
    doc: 'Top-level message fields named like a registered claim (iss, sub, aud, exp, nbf, iat, jti, scope, client_id, consumer_name, realm, scopes, …) are refused; rename the field.',
  },
  ERR_JWT_LIFETIME_INVALID: {
    status: 400,
    message: 'Token lifetime {lifetimeMs} ms is invalid: {reason}',
    doc: 'expirationMs must be a positive integer number of milliseconds, at most 365 days.',
  },
  ERR_JWT_LIFETIME_EXCEEDS_POLICY: {
    status: 400,
    message: 'Token lifetime {lifetimeMs} ms exceeds the realm policy maxTokenLifetimeMs ({maxMs} ms)',
    doc: 'The requested expirationMs is longer than the realm policy allows; ask for less or raise maxTokenLifetimeMs.',
  },
  ERR_JWT_SCOPE_INVALID: {
    status: 400,
    message: 'Scope "{scope}" is not a valid OAuth scope token',
    doc: 'Scopes are comma-separated names of visible ASCII characters without spaces, quotes or backslashes (RFC 6749 §3.3).',
  },
  ERR_JWT_SCOPE_NOT_ALLOWED: {
    status: 403,
    message: 'Scope "{scope}" is outside the scope ceiling of consumer "{consumer}"',
    doc: 'The consumer may only be issued the scopes of its ceiling; change the requested scopes or the consumer (`pipegate consumers`).',
  },
  ERR_JWT_NO_CONSUMER: {
    status: 401,
    message: 'jwt generate needs an authenticated consumer',
    doc: 'Generate runs on a trigger protected by API key or Basic Auth (or under `pipegate run --consumer`); the token is issued to that consumer.',
  },
  ERR_JWT_CONSUMER_UNKNOWN: {
    status: 403,
    message: 'Consumer "{consumer}" does not exist in this environment',
    doc: 'Tokens are issued only to live consumers of the environment.',
  },
  ERR_JWT_CONSUMER_DISABLED: {
    status: 403,
    message: 'Consumer "{consumer}" is disabled',
    doc: 'A disabled consumer is not issued tokens; enable it with `pipegate consumers enable`.',
  },
  ERR_JWT_TOKEN_MISSING: {
    status: 401,
    message: 'The request carries no bearer token',
    doc: 'decode and revoke read the bearer token of the request that started the execution; call with `Authorization: Bearer …` (or give revoke a jti).',
  },
  ERR_JWT_INVALID_TOKEN: {
    status: 401,
    message: 'The bearer token is invalid',
    doc: 'The token failed verification (the precise reason is in the token usage log, never in the response).',
  },
  ERR_JWT_REVOKE_TARGET: {
    status: 400,
    message: 'A revocation needs exactly one of jti, consumer, before: {reason}',
    doc: 'Give one revocation target: a token id, a consumer name, or a cut-off time (ISO 8601 or epoch).',
  },
  ERR_JWT_SERVICE_UNAVAILABLE: {
    status: 503,
    message: 'Platform tokens are unavailable: {reason}',
    doc: 'The token service (signing keys, store) is not available to this execution; check the server logs and the store.',
  },
  ERR_JWT_ALGORITHM: {
    status: 400,
    message: 'Signing algorithm "{alg}" is not supported (use one of {allowed})',
    doc: 'Platform signing keys use ES256 (default), EdDSA, RS256, PS256 or HS256.',
  },
} as const satisfies ErrorTable;
