// Error codes of the jose area (see docs/errors.md and docs/jose.md).
import type { ErrorTable } from '../registry.js';

export const joseCodes = {
  // --- configuration (load time or rendered parameters) ---
  ERR_JOSE_PARAMETER: {
    status: 400,
    message: 'jose parameter "{parameter}" is invalid: {reason}',
    doc: 'A jose step parameter has a value the operation cannot use (an unknown operation, a list of issuers when generating, text that is not JSON of an object); fix the step. A value of the wrong type is ERR_STEP_PARAMETER_INVALID.',
  },
  ERR_JOSE_ALGORITHMS_REQUIRED: {
    status: 400,
    message: 'jose operation {operation} needs the "{parameter}" allow-list',
    doc: 'verify-jws, decode-jwe and verify-nested need an explicit algorithm allow-list; tokens never choose their own algorithm.',
  },
  ERR_JOSE_ALG_UNSUPPORTED: {
    status: 400,
    message: 'Algorithm "{alg}" is not supported for {use}',
    doc: 'The algorithm is not a JWS/JWE algorithm Pipegate supports for this use (see docs/jose.md for the list).',
  },
  ERR_JOSE_ALG_DISABLED: {
    status: 400,
    message: 'Algorithm "{alg}" is disabled; set {flag}: true to allow it',
    doc: 'RSA1_5 and PBES2 are off by default (RFC 8725); enable them explicitly with allowRsa1_5 / allowPbes2.',
  },
  ERR_JOSE_KEY_SOURCE: {
    status: 400,
    message: 'jose parameter "{parameter}" must hold exactly one of account, jwk, jwksUrl: {reason}',
    doc: 'The key object must name exactly one key source; jwksUrl must be an https URL (http only for loopback hosts).',
  },
  ERR_JOSE_CLAIM_CONFLICT: {
    status: 400,
    message: 'Claim "{claim}" is given twice ({reason})',
    doc: 'A claim is set both by a claim parameter and by the payload or customClaims; a claim is never silently overridden.',
  },
  ERR_JOSE_HEADER_RESERVED: {
    status: 400,
    message: 'Header "{header}" cannot be set through customHeaders',
    doc: 'customHeaders may not set alg, enc, crit, zip, b64, key-reference headers or key-management parameters.',
  },
  ERR_JOSE_PAYLOAD_INVALID: {
    status: 400,
    message: 'Payload is invalid: {reason}',
    doc: 'The payload is missing, or is text while claim parameters need a JSON object payload.',
  },
  // --- keys ---
  ERR_JOSE_ACCOUNTS_UNAVAILABLE: {
    status: 500,
    message: 'Account "{label}" cannot be read: this host has no accounts store',
    doc: 'The step names an account but the process runs without an accounts store; configure the store or use an inline JWK.',
  },
  ERR_JOSE_ACCOUNT_TYPE: {
    status: 500,
    message: 'Account "{label}" of type {type} holds no key usable by jose ({reason})',
    doc: 'Key accounts for jose are secret-key, private-key, public-key, certificate-chain or jwk, and must suit the operation.',
  },
  ERR_JOSE_KEY_INVALID: {
    status: 500,
    message: 'Key from {source} cannot be imported: {reason}',
    doc: 'The key material is malformed (bad PEM, bad JWK, invalid curve point, wrong passphrase); the key value is never shown.',
  },
  ERR_JOSE_KEY_WEAK: {
    status: 500,
    message: 'Key from {source} is too weak for {alg}: {reason}',
    doc: 'RSA keys need 2048 bits, HMAC keys at least the hash size, and ROCA-vulnerable RSA keys are refused.',
  },
  ERR_JOSE_KEY_SET_INVALID: {
    status: 500,
    message: 'Key set from {source} is invalid: {reason}',
    doc: 'A JWK Set is empty, mixes symmetric and asymmetric keys, or repeats a kid.',
  },
  ERR_JOSE_KEY_MISMATCH: {
    status: 401,
    message: 'Key does not fit algorithm {alg}: {reason}',
    doc: 'The key type, curve, use, key_ops or alg does not allow this algorithm (prevents HS/RS confusion and key reuse).',
  },
  ERR_JOSE_KEY_NOT_FOUND: {
    status: 401,
    message: 'No key in {source} matches the token (kid {kid}, alg {alg})',
    doc: 'No key of the configured source has the token\'s kid and fits its algorithm (after one JWKS refetch, if allowed).',
  },
  ERR_JOSE_JWKS_FETCH: {
    status: 502,
    message: 'JWKS {url} could not be fetched: {reason}',
    doc: 'The JWKS URL failed (network, status, timeout or invalid JSON) and no cached copy could stand in.',
  },
  // --- token checks ---
  ERR_JOSE_TOKEN_TOO_LARGE: {
    status: 413,
    message: 'Token of {size} bytes exceeds maxTokenBytes ({limit})',
    doc: 'The token is larger than maxTokenBytes; it is rejected before any parsing.',
  },
  ERR_JOSE_TOKEN_FORMAT: {
    status: 401,
    message: 'Token is not a compact {kind}: {reason}',
    doc: 'The token is not a well-formed compact serialization (wrong segment count, non-canonical base64url, JSON serialization).',
  },
  ERR_JOSE_HEADER_INVALID: {
    status: 401,
    message: 'Token header is invalid: {reason}',
    doc: 'The protected header is not a JSON object or misses a required member.',
  },
  ERR_JOSE_ALG_NONE: {
    status: 401,
    message: 'Unsecured tokens (alg "none") are never accepted',
    doc: 'The token declares alg none; Pipegate never accepts unsigned tokens.',
  },
  ERR_JOSE_ALG_NOT_ALLOWED: {
    status: 401,
    message: 'Token {member} "{alg}" is not in the allow-list',
    doc: 'The token\'s alg or enc is not listed in algorithms / jweAlgorithms / encryptions.',
  },
  ERR_JOSE_CRIT_UNSUPPORTED: {
    status: 401,
    message: 'Token marks header(s) critical that are not understood: {names}',
    doc: 'The crit header lists extensions Pipegate does not implement (RFC 7515 §4.1.11), e.g. b64.',
  },
  ERR_JOSE_KEY_REFERENCE_HEADER: {
    status: 401,
    message: 'Token carries key-reference header "{header}", which is never followed',
    doc: 'jku, x5u, jwk and x5c headers are rejected (set allowKeyReferenceHeaders to ignore them instead); keys come only from the step.',
  },
  ERR_JOSE_PBES2_COUNT: {
    status: 401,
    message: 'PBES2 iteration count {count} is outside 1000..{limit}',
    doc: 'The p2c of a PBES2 token is missing, below 1000 or above maxPbes2Count (denial-of-service guard).',
  },
  ERR_JOSE_COMPRESSION: {
    status: 401,
    message: 'Compressed payload rejected: {reason}',
    doc: 'A zip:DEF payload inflates past maxDecompressedBytes, compression is disabled (0), or zip is not in the protected header.',
  },
  ERR_JOSE_SIGNATURE_INVALID: {
    status: 401,
    message: 'JWS signature verification failed',
    doc: 'The signature does not match the token with the configured key.',
  },
  ERR_JOSE_DECRYPTION_FAILED: {
    status: 401,
    message: 'JWE decryption failed',
    doc: 'The JWE cannot be decrypted with the configured key (wrong key, tampered ciphertext, tag or header).',
  },
  ERR_JOSE_TOKEN_INVALID: {
    status: 401,
    message: 'Token is invalid: {reason}',
    doc: 'The token is structurally invalid for its algorithm (bad IV or tag length, bad epk, unsupported member).',
  },
  ERR_JOSE_TYP_MISMATCH: {
    status: 401,
    message: 'Token typ "{actual}" is not the expected "{expected}"',
    doc: 'The typ header differs from the step\'s typ (compared case-insensitively, without "application/").',
  },
  // --- claims ---
  ERR_JOSE_TOKEN_EXPIRED: {
    status: 401,
    message: 'Token expired at {exp} (now {now}, tolerance {tolerance}s)',
    doc: 'The exp claim is in the past beyond clockToleranceSec.',
  },
  ERR_JOSE_TOKEN_NOT_YET_VALID: {
    status: 401,
    message: 'Token is not valid before {nbf} (now {now}, tolerance {tolerance}s)',
    doc: 'The nbf claim is in the future beyond clockToleranceSec.',
  },
  ERR_JOSE_TOKEN_TOO_OLD: {
    status: 401,
    message: 'Token issued at {iat} is older than maxTokenAgeSec ({limit}s)',
    doc: 'The iat claim is older than maxTokenAgeSec, or in the future.',
  },
  ERR_JOSE_CLAIM_INVALID: {
    status: 401,
    message: 'Claim "{claim}" is invalid: {reason}',
    doc: 'A registered claim has the wrong type (exp, nbf, iat must be numbers; iss, sub, jti strings; aud string or list).',
  },
  ERR_JOSE_CLAIM_MISMATCH: {
    status: 401,
    message: 'Claim "{claim}" does not match the expected value',
    doc: 'iss, aud, sub or jti differs from the value the step expects.',
  },
  ERR_JOSE_CLAIM_MISSING: {
    status: 401,
    message: 'Required claim "{claim}" is missing',
    doc: 'A claim listed in requiredClaims (or needed by an expectation) is absent.',
  },
  ERR_JOSE_EXP_MISSING: {
    status: 401,
    message: 'The token has no "exp" claim; tokens that never expire are refused (set requireExp: false on the step to accept them)',
    doc: 'verify-jws and verify-nested require a numeric exp by default; set requireExp: false only for tokens that are meant never to expire.',
  },
  ERR_JOSE_CLAIMS_NOT_JSON: {
    status: 401,
    message: 'Payload is not a JSON claims set, but claim checks were requested',
    doc: 'Claim expectations (issuer, audience, requiredClaims…) need a JSON object payload.',
  },
  ERR_JOSE_OPERATION_FAILED: {
    status: 500,
    message: 'jose {operation} failed: {reason}',
    doc: 'An unexpected cryptographic failure; the cause is kept for the execution record, never key material.',
  },
} as const satisfies ErrorTable;
