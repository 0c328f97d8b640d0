// The outbound HTTP port connectors receive through HostServices: one request in, one buffered answer out.
import type { AbortEventsLike } from '../core/step-context.js';
import type { EgressPolicy } from '../security/egress/index.js';

/** A client TLS identity (mTLS) and extra trusted roots, all PEM. */
export interface TlsOptions {
  /** Client certificate chain, leaf first. */
  cert?: string;
  /** Private key of the leaf certificate. */
  key?: string;
  passphrase?: string;
  /** CA certificates trusted in addition to the system roots (a private PKI). */
  ca?: string;
}

/** One request. Timeouts and limits have the connector's defaults applied already. */
export interface OutboundRequest {
  /** Text, or an already parsed URL (not modified by the client; checked like text). */
  url: string | URL;
  method: string;
  /** Header names in any case; the client adds `accept-encoding` unless present. */
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** An AbortSignal, or the cheaper EventEmitter form undici also accepts (StepContext.abortEvents). */
  signal?: AbortSignal | AbortEventsLike;
  connectTimeoutMs: number;
  /** Longest silence while waiting for the headers or between body chunks. */
  readTimeoutMs: number;
  /** Largest body accepted, counted after decompression. */
  maxResponseBytes: number;
  /** Redirects followed (0: a 3xx is returned as is). Each hop is checked by the egress policy. */
  maxRedirects: number;
  tls?: TlsOptions;
  /**
   * Extra header names (besides Authorization, Cookie, Proxy-Authorization) dropped when a redirect
   * leaves the original origin: custom credential headers must not follow a redirect elsewhere.
   */
  credentialHeaders?: readonly string[];
}

/** The answer, body decompressed and fully read. */
export interface OutboundResponse {
  status: number;
  /** Lower-case names; repeated headers as arrays (set-cookie). A new object per answer, the caller's to keep. */
  headers: Record<string, string | string[]>;
  body: Buffer;
  /** The URL that answered (after redirects). */
  url: string;
}

/** The service: pooled keep-alive connections shared by every execution of the process. */
export interface OutboundHttp {
  readonly policy: EgressPolicy;
  request(req: OutboundRequest): Promise<OutboundResponse>;
  /** Closes pooled connections (host shutdown). */
  close(): Promise<void>;
}
