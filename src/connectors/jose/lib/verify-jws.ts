// Operation verify-jws: checks signature, algorithm allow-list, key fit, header policy and claims.
import type { JsonObject } from '../../../core/json.js';
import type { JwsAlg } from './algorithms.js';
import { verifyCompact } from './jws-core.js';
import { lookupFor, payloadMembers, readToken, type OpInput } from './op-input.js';

/** `{ success: true, verified: true, claims, header }` (SPEC §5.2). */
export async function verifyJws(input: OpInput): Promise<JsonObject> {
  const { prepared } = input;
  const result = await verifyCompact(readToken(input.params), prepared.algorithms as JwsAlg[], lookupFor(input, 'key'), prepared.limits);
  return { success: true, verified: true, ...payloadMembers(input, result.payload, result.header, true), header: result.header };
}
