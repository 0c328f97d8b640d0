// The RFC 8414 authorization server metadata that lets standard libraries find the JWKS.
import type { JsonObject } from '../../core/json.js';

/** Path of the JWKS under the server's base URL. */
export const JWKS_PATH = '/.well-known/jwks.json';
/** Path of the RFC 8414 document. */
export const METADATA_PATH = '/.well-known/oauth-authorization-server';

/**
 * RFC 8414 §2 metadata. Pipegate issues tokens from pipelines rather than from an OAuth token
 * endpoint, so no grant or response type is advertised (`response_types_supported` is required and
 * therefore present, empty); what matters to verifiers is `issuer` and `jwks_uri`.
 */
export function metadataDocument(issuer: string, baseUrl: string): JsonObject {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    issuer,
    jwks_uri: `${base}${JWKS_PATH}`,
    response_types_supported: [],
    grant_types_supported: [],
  };
}

/**
 * The issuer's path without a trailing slash (`/realms/local`): RFC 8414 §3 puts its metadata at
 * `/.well-known/oauth-authorization-server` + this path.
 */
export function issuerPath(issuer: string): string {
  return new URL(issuer).pathname.replace(/\/+$/, '');
}
