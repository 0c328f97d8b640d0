// The parameter declarations of the jose connector: schema, description, expression mode (docs read these).
import type { ParameterSpec } from '../../core/connector.js';
import { contentEncryptions, jweAlgorithms, jwsAlgorithms } from './lib/algorithms.js';
import { limitDefaults, operations } from './prepare.js';

const keySchema = {
  type: 'object',
  properties: {
    account: { type: 'string', minLength: 1 },
    jwk: { type: ['object', 'string'] },
    jwksUrl: { type: 'string', minLength: 1 },
  },
  additionalProperties: false,
  minProperties: 1,
  maxProperties: 1,
};
// Empty text is "not given" (the engine leaves an optional parameter out when its value fails the schema).
const text = { type: 'string', minLength: 1 };
const textOrList = { type: ['string', 'array'], minLength: 1, items: { type: 'string' } };
const objectOrJson = { type: ['object', 'string'], minLength: 1 };
// Numeric text is accepted too: the engine turns "1700000000000" into a number before `run`.
const msSchema = { type: 'number', minimum: 0 };
const algList = (names: readonly string[]) => ({ type: 'array', items: { enum: [...names] }, minItems: 1, uniqueItems: true });

/**
 * Every parameter of the jose connector. Names of SPEC §5.2 are stable; the rest are Pipegate additions.
 * `failOnError` (default false, `failOnErrorDefault`) is a step-level parameter the engine adds to every connector.
 */
export const joseParameters: Record<string, ParameterSpec> = {
  operation: {
    schema: { enum: [...operations] },
    default: 'generate-jws',
    description:
      'What to do: `generate-jws` (sign), `generate-jwe` (encrypt), `verify-jws` (check a signature and the claims), ' +
      '`decode-jwe` (decrypt), `decode` (read header and payload WITHOUT verifying; output has `verified: false`), ' +
      '`generate-nested` (sign with `key`, then encrypt to `encryptionKey`), `verify-nested` (the reverse).',
  },
  algorithm: {
    schema: { enum: [...jwsAlgorithms, ...jweAlgorithms] },
    description:
      'Generate operations: the JWS `alg` (generate-jws, generate-nested: HS256/384/512, RS256/384/512, PS256/384/512, ' +
      'ES256/384/512, ES256K, EdDSA with Ed25519 or Ed448) or the JWE key-management `alg` (generate-jwe). RSA1_5 needs `allowRsa1_5`, PBES2 needs `allowPbes2`.',
  },
  encryption: {
    schema: { enum: [...contentEncryptions] },
    default: 'A256GCM',
    description: 'JWE content encryption `enc` used when generating: A128CBC-HS256, A192CBC-HS384, A256CBC-HS512, A128GCM, A192GCM, A256GCM.',
  },
  jweAlgorithm: {
    schema: { enum: [...jweAlgorithms] },
    description: 'generate-nested only: the JWE key-management `alg` of the outer encryption (the inner signature uses `algorithm`).',
  },
  key: {
    schema: keySchema,
    expression: 'render',
    description:
      'The key, an object with exactly one of: `account` (label of an account: secret-key, private-key, public-key, ' +
      'certificate-chain or jwk), `jwk` (expression or literal yielding a JWK or JWK Set, as an object or JSON text), ' +
      '`jwksUrl` (literal https URL of a JWK Set; cached, refetched once per cooldown on an unknown kid, stale copy ' +
      'served when the URL fails). Signs, encrypts to, verifies or decrypts depending on the operation; for nested ' +
      'operations it is the signing / verification key. `account` and `jwksUrl` must be literals.',
  },
  encryptionKey: {
    schema: keySchema,
    expression: 'render',
    description: 'Nested operations only: the JWE key (recipient public key for generate-nested, our private key for verify-nested), same shape as `key`.',
  },
  token: {
    schema: text,
    expression: 'render',
    description: 'The compact JWS or JWE to verify, decrypt or decode (JSON serializations are refused). Usually `{{ message.token }}`.',
  },
  payload: {
    schema: {},
    expression: 'render',
    description:
      'What to sign or encrypt. An object is a JWT claims set and is merged with the claim parameters (a claim given ' +
      'twice is an error); text is protected as is; other JSON values as JSON text. Absent: the claims from the parameters.',
  },
  algorithms: {
    schema: algList([...jwsAlgorithms, ...jweAlgorithms]),
    description:
      'Required for verify-jws, verify-nested (JWS algs) and decode-jwe (JWE key-management algs): the allow-list a ' +
      'token\'s `alg` must belong to. `none` is never accepted; the key must also fit the algorithm.',
  },
  jweAlgorithms: {
    schema: algList(jweAlgorithms),
    description: 'Required for verify-nested: allow-list of the outer JWE key-management algorithms.',
  },
  encryptions: {
    schema: algList(contentEncryptions),
    description: 'decode-jwe and verify-nested: allow-list of content encryptions (`enc`); default all six.',
  },
  issuer: {
    schema: textOrList,
    expression: 'render',
    description: 'Generate: the `iss` claim. Verify: the expected `iss` (text or list of accepted issuers).',
  },
  subject: { schema: text, expression: 'render', description: 'Generate: the `sub` claim. Verify: the expected `sub`.' },
  audience: {
    schema: textOrList,
    expression: 'render',
    description: 'Generate: the `aud` claim (text or list). Verify: accepted audiences; the token\'s `aud` must contain one of them.',
  },
  jwtId: { schema: text, expression: 'render', description: 'Generate: the `jti` claim. Verify: the expected `jti`.' },
  expirationMs: {
    schema: msSchema,
    expression: 'render',
    description: 'Generate: expiration as epoch MILLISECONDS (compatible), written to `exp` in seconds, e.g. `{{ SUM(metadata.execution.startTimestamp, 900000) }}`.',
  },
  notBeforeMs: { schema: msSchema, expression: 'render', description: 'Generate: not-before as epoch milliseconds, written to `nbf` in seconds.' },
  issuedAtMs: { schema: msSchema, expression: 'render', description: 'Generate: issued-at as epoch milliseconds, written to `iat` in seconds.' },
  customClaims: {
    schema: objectOrJson,
    expression: 'render',
    description: 'Generate: extra claims (object or JSON text). A claim that another parameter or the payload also sets is an error.',
  },
  customHeaders: {
    schema: objectOrJson,
    expression: 'render',
    description:
      'Generate: extra protected header members (e.g. `kid`, `cty`). `alg`, `enc`, `crit`, `zip`, `b64`, `jku`, `jwk`, ' +
      '`x5u` and key-management members are refused. The key\'s `kid` is added when the JWK has one.',
  },
  clockToleranceSec: {
    schema: { type: 'integer', minimum: 0 },
    default: 0,
    description: 'Verify: seconds of clock skew tolerated when checking `exp`, `nbf` and `iat`.',
  },
  requireExp: {
    schema: { type: 'boolean' },
    default: true,
    description:
      'Verify: the payload must be a JSON claims set with a numeric `exp` (`ERR_JOSE_EXP_MISSING` otherwise). ' +
      '`false` accepts tokens that never expire and payloads that are not claims sets (e.g. plain text).',
  },
  maxTokenAgeSec: {
    schema: { type: 'integer', minimum: 0 },
    description: 'Verify: reject tokens whose `iat` is older than this (then `iat` is required).',
  },
  requiredClaims: {
    schema: { type: 'array', items: { type: 'string' } },
    description: 'Verify: claims that must be present (e.g. `[exp, sub]`).',
  },
  typ: {
    schema: text,
    expression: 'render',
    description: 'Generate: the `typ` header (e.g. `JWT`). Verify: the expected `typ` (case-insensitive, `application/` optional).',
  },
  allowRsa1_5: {
    schema: { type: 'boolean' },
    default: false,
    description:
      'Permit RSA1_5 in `algorithm` / `algorithms` (RFC 8725 §3.2 discourages it: prefer RSA-OAEP-256). Decryption uses ' +
      'implicit rejection: a bad padding is indistinguishable from a bad tag (docs/jose.md).',
  },
  allowPbes2: {
    schema: { type: 'boolean' },
    default: false,
    description: 'Permit the PBES2 password-based algorithms (off by default: a token chooses the iteration count).',
  },
  maxPbes2Count: {
    schema: { type: 'integer', minimum: 1000 },
    default: limitDefaults.maxPbes2Count,
    description: 'PBES2: largest accepted `p2c` when decrypting (denial-of-service guard), and the count used when encrypting.',
  },
  maxTokenBytes: {
    schema: { type: 'integer', minimum: 1 },
    default: limitDefaults.maxTokenBytes,
    description: 'Tokens larger than this many bytes are rejected before parsing.',
  },
  maxDecompressedBytes: {
    schema: { type: 'integer', minimum: 0 },
    default: limitDefaults.maxDecompressedBytes,
    description: 'JWE `zip: DEF`: largest accepted inflated payload in bytes; 0 refuses compressed tokens altogether.',
  },
  allowKeyReferenceHeaders: {
    schema: { type: 'boolean' },
    default: false,
    description:
      'Tokens carrying `jku`, `x5u`, `jwk` or `x5c` headers are rejected by default; true ignores those headers ' +
      'instead. They are never followed either way: keys come only from `key`.',
  },
};
