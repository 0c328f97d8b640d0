// Operation generate-jwe: encrypts the payload (or a claims set) as a compact JWE.
import type { JsonObject } from '../../../core/json.js';
import type { JweAlg } from './algorithms.js';
import { encryptCompact } from './jwe-core.js';
import { lookupFor, type OpInput } from './op-input.js';
import { readHeaders, readPayloadBytes } from './read-params.js';

/** `{ success: true, jwe }` (SPEC §5.2). */
export async function generateJwe(input: OpInput): Promise<JsonObject> {
  const plaintext = readPayloadBytes(input.params);
  const alg = input.prepared.algorithm as JweAlg;
  return { success: true, jwe: await encryptTo(input, plaintext, alg, readHeaders(input.params, undefined)) };
}

/** Encrypts `plaintext` to the key of `keyParam` with `alg` and the step's `encryption`. */
export async function encryptTo(
  input: OpInput,
  plaintext: Uint8Array,
  alg: JweAlg,
  extraHeader: JsonObject,
  keyParam: 'key' | 'encryptionKey' = 'key',
): Promise<string> {
  const enc = input.prepared.encryption;
  const requested = typeof extraHeader.kid === 'string' ? extraHeader.kid : undefined;
  const [fitted] = await lookupFor(input, keyParam)({ alg, enc, usage: 'encrypt' }, requested);
  const header = { alg, enc, ...extraHeader, ...(fitted?.kid !== undefined && extraHeader.kid === undefined && { kid: fitted.kid }) };
  return encryptCompact(plaintext, header, fitted!.key, input.prepared.limits.maxPbes2Count);
}
