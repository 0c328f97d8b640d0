// Maps undici, socket and TLS failures to coded errors, and tells which failures are safe to retry.
import { PlatformError, isPlatformError } from '../errors/index.js';
import type { OutboundRequest } from './outbound-http.js';

/** scheme://host[:port] — never user info, path or query (they may carry credentials). */
export function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

function isTlsFailure(code: string, message: string): boolean {
  return (
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code) ||
    /certificate|handshake|alert/i.test(message)
  );
}

/** The coded error for a failed exchange with `url`. Platform errors (egress denials) pass through. */
export function classifyError(err: unknown, url: URL, req: OutboundRequest): PlatformError {
  if (isPlatformError(err)) return err;
  const origin = originOf(url);
  const code = codeOf(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return new PlatformError('ERR_HTTP_CONNECT_TIMEOUT', { origin, timeoutMs: req.connectTimeoutMs }, { cause: err });
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return new PlatformError('ERR_HTTP_READ_TIMEOUT', { origin, timeoutMs: req.readTimeoutMs }, { cause: err });
  }
  if (CONNECT_CODES.has(code)) return new PlatformError('ERR_HTTP_CONNECT', { origin, reason: `${code} (${reasonText(code)})` }, { cause: err });
  if (isTlsFailure(code, message)) {
    return new PlatformError('ERR_HTTP_CONNECT', { origin, reason: `TLS: ${code || 'handshake failed'}` }, { cause: err });
  }
  if (err instanceof Error && err.name === 'AbortError') return new PlatformError('ERR_HTTP_NETWORK', { origin, reason: 'the request was aborted' }, { cause: err });
  return new PlatformError('ERR_HTTP_NETWORK', { origin, reason: code || 'connection closed' }, { cause: err });
}

function reasonText(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'nothing listens on that port';
    case 'ENOTFOUND':
      return 'the host name does not resolve';
    case 'EAI_AGAIN':
      return 'name resolution failed temporarily';
    default:
      return 'the host is unreachable';
  }
}

/** True when the request never reached the server (safe to retry for any method). */
export function isConnectFailure(err: PlatformError): boolean {
  if (err.code === 'ERR_HTTP_CONNECT_TIMEOUT') return true;
  if (err.code !== 'ERR_HTTP_CONNECT') return false;
  return !String(err.details.reason ?? '').startsWith('TLS');
}
