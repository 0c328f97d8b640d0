// Builds the URL, headers and body of an http-request step from its rendered parameters.
import { isJsonObject } from '../../core/json.js';
import type { JsonValue } from '../../core/json.js';
import { PlatformError } from '../../errors/index.js';
import type { HttpRequestParams } from './parameters.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The URL with `queryParams` and query credentials appended; ERR_HTTP_URL when it is not an absolute URL.
 * Returned parsed: the outbound client takes the URL object as is instead of parsing its text again.
 */
export function buildUrl(params: HttpRequestParams, extraQuery: readonly [string, string][]): URL {
  let url: URL;
  try {
    url = new URL(params.url);
  } catch (err) {
    throw new PlatformError(
      'ERR_HTTP_URL',
      { url: '(not a URL)', reason: 'it is not an absolute URL' },
      { cause: err },
    );
  }
  if (params.queryParams !== undefined) {
    for (const [name, value] of Object.entries(params.queryParams)) {
      for (const v of Array.isArray(value) ? value : [value])
        if (v !== null && v !== undefined) url.searchParams.append(name, scalarText(v));
    }
  }
  for (const [name, value] of extraQuery) url.searchParams.set(name, value);
  return url;
}

function scalarText(v: JsonValue): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Rendered headers, names lower-cased; CR, LF and NUL in values refused (header injection). */
export function buildHeaders(headers: HttpRequestParams['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (headers === undefined) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value === null) continue;
    if (!TOKEN.test(name))
      throw new PlatformError('ERR_HTTP_BODY', {
        reason: `header name "${name.slice(0, 64)}" is not a valid token`,
      });
    const text = scalarText(value);
    if (/[\r\n\0]/.test(text))
      throw new PlatformError('ERR_HTTP_BODY', {
        reason: `header "${name}" contains a line break or NUL`,
      });
    out[name.toLowerCase()] = text;
  }
  return out;
}

/** The encoded body and its content type, or undefined when there is none. */
export function buildBody(
  params: HttpRequestParams,
  headers: Record<string, string>,
): { body: string; contentType: string } | undefined {
  const body = params.body;
  if (body === undefined || body === null) return undefined;
  if (params.method === 'GET' || params.method === 'HEAD')
    throw new PlatformError('ERR_HTTP_BODY', {
      reason: `${params.method} requests carry no body; remove "body" or use POST`,
    });
  const given =
    params.contentType !== undefined && params.contentType !== ''
      ? params.contentType
      : headers['content-type'];
  if (typeof body === 'string') return { body, contentType: given ?? 'text/plain; charset=utf-8' };
  const type = given ?? 'application/json';
  if (/^application\/x-www-form-urlencoded/i.test(type)) {
    if (!isJsonObject(body))
      throw new PlatformError('ERR_HTTP_BODY', { reason: 'a form-encoded body must be an object' });
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(body)) {
      for (const v of Array.isArray(value) ? value : [value])
        if (v !== null) form.append(name, scalarText(v));
    }
    return { body: form.toString(), contentType: type };
  }
  if (!/json/i.test(type))
    throw new PlatformError('ERR_HTTP_BODY', {
      reason: `a JSON body cannot be sent as "${type.slice(0, 64)}"; give text or a JSON content type`,
    });
  return { body: JSON.stringify(body), contentType: type };
}
