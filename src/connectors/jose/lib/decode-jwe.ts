// Operation decode-jwe: decrypts a compact JWE under the alg/enc allow-lists and the PBES2 and zip caps.
import type { JsonObject } from '../../../core/json.js';
import type { JweAlg } from './algorithms.js';
import { decryptCompact } from './jwe-core.js';
import { lookupFor, payloadMembers, readToken, utf8Text, type OpInput } from './op-input.js';

/**
 * `{ success: true, payload, payloadJson?, header }` (SPEC §5.2); a JSON object payload is checked as
 * claims; a binary (non-UTF-8) plaintext gives `payload: null` and `payloadBase64`.
 */
export async function decodeJwe(input: OpInput): Promise<JsonObject> {
  const { prepared } = input;
  const result = await decryptCompact(
    readToken(input.params),
    prepared.algorithms as JweAlg[],
    prepared.encryptions,
    lookupFor(input, 'key'),
    prepared.limits,
  );
  const members = payloadMembers(input, result.plaintext, result.header);
  const json = members.claims ?? members.payloadJson;
  return {
    success: true,
    payload: utf8Text(result.plaintext) ?? null,
    ...(json !== undefined && json !== null && { payloadJson: json }),
    ...(members.payloadBase64 !== undefined && { payloadBase64: members.payloadBase64 }),
    header: result.header,
  };
}
