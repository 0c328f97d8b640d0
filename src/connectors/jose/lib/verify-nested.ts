// Operation verify-nested: decrypts with `encryptionKey`, then verifies the inner JWS with `key`.
import type { JsonObject } from '../../../core/json.js';
import type { JwsAlg } from './algorithms.js';
import { decryptCompact } from './jwe-core.js';
import { verifyCompact } from './jws-core.js';
import { lookupFor, payloadMembers, readToken, type OpInput } from './op-input.js';

/** `{ success: true, verified: true, claims, header, jweHeader }`: header is the inner JWS header. */
export async function verifyNested(input: OpInput): Promise<JsonObject> {
  const { prepared } = input;
  const outer = await decryptCompact(
    readToken(input.params),
    prepared.jweAlgorithms,
    prepared.encryptions,
    lookupFor(input, 'encryptionKey'),
    prepared.limits,
  );
  const inner = new TextDecoder().decode(outer.plaintext);
  const result = await verifyCompact(inner, prepared.algorithms as JwsAlg[], lookupFor(input, 'key'), prepared.limits);
  return {
    success: true,
    verified: true,
    ...payloadMembers(input, result.payload, result.header, true),
    header: result.header,
    jweHeader: outer.header,
  };
}
