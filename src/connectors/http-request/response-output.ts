// The output message of an http-request step: `{ status, headers, body }` with the body parsed by content type.
import type { JsonObject, JsonValue } from '../../core/json.js';
import { parseJsonSafe } from '../../core/json.js';
import type { OutboundResponse } from '../../http-client/index.js';

const TEXT_TYPES =
  /^(text\/|application\/(xml|javascript|x-www-form-urlencoded|graphql|yaml|x-yaml)|[^;]*\+xml)/i;
const JSON_TYPES = /^(application\/json|[^;]*\+json)/i;

/** `{ status, headers, body }`; `bodyEncoding: "base64"` marks binary bodies. */
export function responseOutput(
  res: OutboundResponse,
  method: string,
  format: 'auto' | 'json' | 'text' | 'base64',
): JsonObject {
  // The client hands over a fresh headers object per answer: it becomes the output's as is.
  const out: JsonObject = { status: res.status, headers: res.headers, body: null };
  if (method === 'HEAD' || res.body.length === 0) return out;
  const type = typeof res.headers['content-type'] === 'string' ? res.headers['content-type'] : '';
  const kind =
    format !== 'auto'
      ? format
      : JSON_TYPES.test(type)
        ? 'json'
        : TEXT_TYPES.test(type) || type === ''
          ? 'text'
          : 'base64';
  const text = (): string => res.body.toString('utf8');
  if (kind === 'json') {
    try {
      out.body = parseJsonSafe(text()) as JsonValue;
    } catch {
      // Declared JSON but not JSON (an HTML error page behind a proxy, …): keep it readable as text.
      out.body = text();
    }
  } else if (kind === 'text') out.body = text();
  else {
    out.body = res.body.toString('base64');
    out.bodyEncoding = 'base64';
  }
  return out;
}
