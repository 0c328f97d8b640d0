// Operation generate-jws: signs the payload and claims as a compact JWS.
import type { JsonObject } from '../../../core/json.js';
import type { JwsAlg } from './algorithms.js';
import { signCompact } from './jws-core.js';
import { lookupFor, type OpInput } from './op-input.js';
import { readHeaders, readPayloadBytes } from './read-params.js';

/** `{ success: true, jws }` (SPEC §5.2). */
export async function generateJws(input: OpInput): Promise<JsonObject> {
  return { success: true, jws: await signFromParams(input) };
}

/** Signs with `key` and `algorithm`; shared with generate-nested. */
export async function signFromParams(input: OpInput): Promise<string> {
  const alg = input.prepared.algorithm as JwsAlg;
  const requested = readHeaders(input.params, undefined).kid;
  const [fitted] = await lookupFor(input, 'key')({ alg, usage: 'sign' }, typeof requested === 'string' ? requested : undefined);
  const header = { alg, ...readHeaders(input.params, fitted?.kid) };
  return signCompact(readPayloadBytes(input.params), header, fitted!.key);
}
