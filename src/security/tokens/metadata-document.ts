// The RFC 8414 authorization server metadata that lets standard libraries find the JWKS and the OAuth endpoints.
import type { JsonObject } from '../../core/json.js';
import { DPOP_ALGORITHMS } from '../dpop/dpop-proof.js';

/** Path of the JWKS under the server's base URL. */
export const JWKS_PATH = '/.well-known/jwks.json';
/** Path of the RFC 8414 document. */
export const METADATA_PATH = '/.well-known/oauth-authorization-server';
/** Paths of the OAuth 2.0 endpoints (docs/oauth.md). */
export const TOKEN_PATH = '/oauth2/token';
export const INTROSPECTION_PATH = '/oauth2/introspect';
export const REVOCATION_PATH = '/oauth2/revoke';

/**
 * RFC 8414 §2 metadata. Tokens come from login pipelines or from the token endpoint's client
 * credentials grant (RFC 6749 §4.4); there is no authorization endpoint, so no response type is
 * advertised (`response_types_supported` is required and therefore present, empty). Clients
 * authenticate with HTTP Basic (`client_secret_basic`); the `apikey` header is accepted too but has
 * no registered method name. `dpop_signing_alg_values_supported` (RFC 9449 §5.1) lists the proof
 * algorithms the token endpoint and protected routes accept.
 */
export function metadataDocument(issuer: string, baseUrl: string): JsonObject {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    issuer,
    jwks_uri: `${base}${JWKS_PATH}`,
    token_endpoint: `${base}${TOKEN_PATH}`,
    introspection_endpoint: `${base}${INTROSPECTION_PATH}`,
    revocation_endpoint: `${base}${REVOCATION_PATH}`,
    response_types_supported: [],
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic'],
    introspection_endpoint_auth_methods_supported: ['client_secret_basic'],
    revocation_endpoint_auth_methods_supported: ['client_secret_basic'],
    dpop_signing_alg_values_supported: [...DPOP_ALGORITHMS],
  };
}

/**
 * The issuer's path without a trailing slash (`/realms/local`): RFC 8414 §3 puts its metadata at
 * `/.well-known/oauth-authorization-server` + this path.
 */
export function issuerPath(issuer: string): string {
  return new URL(issuer).pathname.replace(/\/+$/, '');
}
