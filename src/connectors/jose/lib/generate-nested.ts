// Operation generate-nested: signs a JWT with `key`, then encrypts it to `encryptionKey` (RFC 7519 §5.2, cty JWT).
import type { JsonObject } from '../../../core/json.js';
import type { JweAlg } from './algorithms.js';
import { encryptTo } from './generate-jwe.js';
import { signFromParams } from './generate-jws.js';
import type { OpInput } from './op-input.js';

/** `{ success: true, jwe }` whose plaintext is the signed JWT. */
export async function generateNested(input: OpInput): Promise<JsonObject> {
  const jws = await signFromParams(input);
  const alg = input.prepared.jweAlgorithm as JweAlg;
  const jwe = await encryptTo(input, new TextEncoder().encode(jws), alg, { cty: 'JWT' }, 'encryptionKey');
  return { success: true, jwe };
}
