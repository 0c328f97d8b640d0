// Builds the pipeline input message from an HTTP request (SPEC §6.2, compatible envelope).
import type { IncomingHttpHeaders } from 'node:http';
import { defineOwn } from '../core/json.js';
import type { JsonObject, JsonValue } from '../core/json.js';
import { PlatformError } from '../errors/index.js';

/** What the envelope is built from. */
export interface EnvelopeInput {
  triggerType: 'rest' | 'http';
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The query parameters (null: the URL had no query string). */
  query: URLSearchParams | null;
  params: Record<string, string>;
  body: Buffer | undefined;
  /** Credentials the gateway consumed are not passed on (docs/gateway.md "The input message"). */
  strip: { apiKey: boolean; authorization: boolean };
}

function headerObject(headers: IncomingHttpHeaders, strip: EnvelopeInput['strip']): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    if (strip.apiKey && name === 'apikey') continue;
    if (strip.authorization && name === 'authorization') continue;
    defineOwn(out, name, Array.isArray(value) ? value.join(', ') : value);
  }
  return out;
}

/** Query parameters: a repeated name becomes an array. */
function paramsObject(params: URLSearchParams, skip?: string): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of params) {
    if (name === skip) continue;
    const prev = Object.prototype.hasOwnProperty.call(out, name) ? out[name] : undefined;
    if (prev === undefined) defineOwn(out, name, value);
    else defineOwn(out, name, Array.isArray(prev) ? [...prev, value] : [prev as JsonValue, value]);
  }
  return out;
}

function isJsonType(contentType: string): boolean {
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  return base === 'application/json' || base.endsWith('+json');
}

/**
 * The message `{ body, form, headers, queryAndPath, method, contentType, path }`. rest: a JSON body
 * is parsed (ERR_GATEWAY_MALFORMED_JSON when it does not parse), no body gives `{}`, any other
 * content type is kept as text; http: the body is always the raw text (`""` when absent).
 * Form bodies (`application/x-www-form-urlencoded`) also fill `form`. Route params override query
 * parameters of the same name in `queryAndPath`.
 */
export function buildEnvelope(input: EnvelopeInput): JsonObject {
  const contentType =
    typeof input.headers['content-type'] === 'string' ? input.headers['content-type'] : '';
  const text = input.body && input.body.length > 0 ? input.body.toString('utf8') : '';
  let body: JsonValue = text;
  if (input.triggerType === 'rest') {
    if (text === '') body = {};
    else if (isJsonType(contentType) || contentType === '') {
      try {
        body = JSON.parse(text) as JsonValue;
      } catch (err) {
        if (contentType !== '')
          throw new PlatformError('ERR_GATEWAY_MALFORMED_JSON', {}, { cause: err });
      }
    }
  }
  const form = contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')
    ? paramsObject(new URLSearchParams(text))
    : {};
  const queryAndPath: JsonObject = input.query
    ? paramsObject(input.query, input.strip.apiKey ? 'apikey' : undefined)
    : {};
  for (const [name, value] of Object.entries(input.params)) defineOwn(queryAndPath, name, value);
  return {
    body,
    form,
    headers: headerObject(input.headers, input.strip),
    queryAndPath,
    method: input.method,
    contentType,
    path: input.path,
  };
}
