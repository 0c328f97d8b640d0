// What every jose operation receives, and the helpers they share (key lookup, payload output).
import type { StepContext } from '../../../core/step-context.js';
import { isJsonObject, type JsonObject } from '../../../core/json.js';
import type { PreparedJose } from '../prepare.js';
import { keyLookup, type KeySpec } from '../key-source.js';
import { checkTyp, expectsClaims, parseJsonPayload, validateClaims } from './claims.js';
import { fail } from './jose-error.js';
import type { KeyLookup } from './jws-core.js';
import { readExpectations, type JoseParams } from './read-params.js';

/** The inputs of one operation run. */
export interface OpInput {
  ctx: StepContext;
  params: JoseParams;
  prepared: PreparedJose;
}

/** The key lookup for `key` or `encryptionKey` (a literal JWK was imported at load). */
export function lookupFor(input: OpInput, name: 'key' | 'encryptionKey'): KeyLookup {
  const staticKeys = name === 'key' ? input.prepared.staticKey : input.prepared.staticEncryptionKey;
  return keyLookup(input.ctx, staticKeys ? {} : readKeySpec(input.params[name], name), staticKeys);
}

/** The rendered key: the engine checked it against the key schema (exactly one of account, jwk, jwksUrl). */
function readKeySpec(value: JsonObject | undefined, name: string): KeySpec {
  if (value === undefined) return fail('ERR_JOSE_KEY_SOURCE', { parameter: name, reason: 'the parameter is missing' });
  return value as KeySpec;
}

/** The token parameter (rendered). */
export function readToken(params: JoseParams): string {
  const token = params.token;
  if (token === undefined) return fail('ERR_JOSE_TOKEN_FORMAT', { kind: 'token', reason: 'the token parameter is empty' });
  return token.trim();
}

/** The payload as text, or undefined when it is not valid UTF-8 (binary content). */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The verified payload as output members: a JSON object is a claims set (exp/nbf and the step's
 * expectations are checked; verify operations require `exp` unless `requireExp: false`); any other
 * payload (for verify operations only with `requireExp: false`) is returned as text, plus `payloadJson` when it is
 * JSON. A payload that is not UTF-8 is never mangled into text: `payload` is null and
 * `payloadBase64` (base64url) holds the bytes.
 */
export function payloadMembers(input: OpInput, bytes: Uint8Array, header: JsonObject, isVerify = false): JsonObject {
  const expectations = readExpectations(input.params, isVerify);
  checkTyp(header, input.params.typ);
  const text = utf8Text(bytes);
  const json = text === undefined ? undefined : parseJsonPayload(text);
  if (isJsonObject(json)) {
    validateClaims(json, expectations, input.ctx.clock.now());
    return { claims: json };
  }
  if (expectsClaims(expectations)) fail('ERR_JOSE_CLAIMS_NOT_JSON');
  // Text or binary content has no exp either: accepted only when the step opts out.
  if (expectations.requireExp) fail('ERR_JOSE_EXP_MISSING');
  if (text === undefined) return { claims: null, payload: null, payloadBase64: Buffer.from(bytes).toString('base64url') };
  return json === undefined ? { claims: null, payload: text } : { claims: null, payload: text, payloadJson: json };
}
