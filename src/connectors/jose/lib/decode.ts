// Operation decode: reads header and payload without verifying anything; the output says verified: false.
import { isJsonObject, type JsonObject } from '../../../core/json.js';
import { parseJsonPayload } from './claims.js';
import { readToken, utf8Text, type OpInput } from './op-input.js';
import { parseCompact } from './token-guard.js';

/**
 * `{ success: true, verified: false, header, claims | payload }` for a JWS; for a JWE only the
 * header is readable: `{ success: true, verified: false, header, encrypted: true }`.
 */
export async function decodeToken(input: OpInput): Promise<JsonObject> {
  const token = parseCompact(readToken(input.params), 'any', input.prepared.limits);
  if (token.kind === 'jwe') return { success: true, verified: false, header: token.header, encrypted: true };
  const bytes = Buffer.from(token.segments[1] ?? '', 'base64url');
  const text = utf8Text(bytes);
  if (text === undefined) {
    return { success: true, verified: false, header: token.header, claims: null, payload: null, payloadBase64: token.segments[1] ?? '' };
  }
  const json = parseJsonPayload(text);
  const body: JsonObject = isJsonObject(json)
    ? { claims: json }
    : { claims: null, payload: text, ...(json !== undefined && { payloadJson: json }) };
  return { success: true, verified: false, header: token.header, ...body };
}
