// Error codes of outbound HTTP: the http-request connector and the pooled client behind it (docs/http-request.md).
import type { ErrorTable } from '../registry.js';

export const httpCodes = {
  ERR_HTTP_UNAVAILABLE: {
    status: 500,
    message: 'Outbound HTTP is not available in this host',
    doc: 'The host running the pipeline gave connectors no outbound HTTP client (embedding code must pass `outboundHttp` in HostServices; the CLI and the gateway always do).',
  },
  ERR_HTTP_URL: {
    status: 400,
    message: 'Invalid request URL "{url}": {reason}',
    doc: 'The rendered `url` is not an absolute http(s) URL, or a redirect pointed to one that is not.',
  },
  ERR_HTTP_BODY: {
    status: 400,
    message: 'Cannot send the request body: {reason}',
    doc: 'The `body` does not fit the method or `contentType` (e.g. a body on GET, or an object with a text content type).',
  },
  ERR_HTTP_ACCOUNT_TYPE: {
    status: 400,
    message: 'Account "{label}" of type {type} cannot be used for {use}; use {expected}',
    doc: 'The account named by an http-request step has a type that step cannot use in that place.',
  },
  ERR_HTTP_CONNECT: {
    status: 502,
    message: 'Cannot connect to {origin}: {reason}',
    doc: 'The upstream refused the connection, its name does not resolve, or the TLS handshake failed (certificate not trusted, name mismatch, client certificate required).',
  },
  ERR_HTTP_CONNECT_TIMEOUT: {
    status: 504,
    message: 'Connecting to {origin} took longer than {timeoutMs} ms',
    doc: 'No connection within `connectTimeoutMs` (default 5 s); check the host, port and firewalls, or raise the timeout.',
  },
  ERR_HTTP_READ_TIMEOUT: {
    status: 504,
    message: '{origin} sent nothing for {timeoutMs} ms',
    doc: 'The upstream stayed silent for `readTimeoutMs` (default 30 s) while we waited for its headers or body.',
  },
  ERR_HTTP_NETWORK: {
    status: 502,
    message: 'The connection to {origin} failed during the request: {reason}',
    doc: 'The upstream closed or reset the connection before the answer was complete.',
  },
  ERR_HTTP_RESPONSE_TOO_LARGE: {
    status: 502,
    message: 'The answer of {origin} exceeds {limit} bytes (after decompression)',
    doc: 'The response body, counted after decompression, is larger than `maxResponseBytes` (default 10 MB).',
  },
  ERR_HTTP_TOO_MANY_REDIRECTS: {
    status: 502,
    message: 'More than {limit} redirects, last to {origin}',
    doc: 'The upstream redirected more than 5 times (or `followRedirects` is false and no redirect is followed; then the 3xx is the output).',
  },
  ERR_HTTP_STATUS: {
    status: 502,
    message: '{method} {origin}{path} answered HTTP {status}',
    doc: 'With `failOnError: true` a 4xx or 5xx answer is an error; with false (the default) it is the step output `{ status, headers, body }`.',
  },
  ERR_HTTP_OAUTH_TOKEN: {
    status: 502,
    message: 'OAuth 2.0 token request for account "{label}" failed: {reason}',
    doc: 'The token endpoint of an `oauth-client-credentials` account refused the client (wrong id or secret, scope not allowed) or answered without an `access_token`.',
  },
} as const satisfies ErrorTable;
