// Public surface of outbound HTTP: the port connectors use and its undici implementation.
export type { OutboundHttp, OutboundRequest, OutboundResponse, TlsOptions } from './outbound-http.js';
export { createOutboundHttp, type OutboundHttpOptions } from './undici-client.js';
export { classifyError, isConnectFailure, originOf } from './http-errors.js';
export { fetchThrough } from './fetch-through.js';
