// The per-request state of a pipeline route, carried from the guard to the handler and the response hooks.
import type { AuthInfo } from '../core/step-context.js';
import type { CredentialFacts } from './auth/authenticate.js';
import type { ServedPipeline } from '../deployments/compile-deployment.js';

/** An authentication decision, recorded as a usage event when the response ends. */
export interface AuthDecisionRecord {
  readonly facts: CredentialFacts;
  readonly outcome: 'allowed' | 'denied';
  readonly reason: string | null;
}

/** What the guard knows when it accepts a request for a pipeline route. */
export interface RequestStateInit {
  served: ServedPipeline;
  route: string;
  path: string;
  /** The raw query string after `?` ('' when none). */
  rawQuery: string;
  params: Record<string, string>;
  executionKey: string;
  started: number;
  headers: Record<string, string>;
}

/**
 * One request's state: every field exists from construction (one shape for every request), and the
 * few that change do so through the named transitions below.
 */
export class RequestState {
  readonly served: ServedPipeline;
  /** The matched route pattern (for logs and usage records). */
  readonly route: string;
  readonly path: string;
  readonly rawQuery: string;
  readonly params: Record<string, string>;
  readonly executionKey: string;
  /** performance.now() when the guard accepted the request. */
  readonly started: number;
  /** Headers every response of this request carries (CORS, RateLimit-*, execution key). */
  readonly headers: Record<string, string>;
  /** Credentials the gateway consumed are not passed on to the pipeline. */
  readonly strip: { readonly apiKey: boolean; readonly authorization: boolean };
  auth: AuthInfo | null = null;
  bearerToken: string | undefined = undefined;
  /** Thumbprint of the key of a valid DPoP proof on a route without `auth.jwt` (a login pipeline). */
  dpopJkt: string | undefined = undefined;
  /** Set when an authentication decision was taken. */
  decision: AuthDecisionRecord | null = null;
  /** Set when the pipeline ran (its result, not the gateway, decided the response). */
  executed = false;
  #query: URLSearchParams | null = null;

  constructor(init: RequestStateInit) {
    this.served = init.served;
    this.route = init.route;
    this.path = init.path;
    this.rawQuery = init.rawQuery;
    this.params = init.params;
    this.executionKey = init.executionKey;
    this.started = init.started;
    this.headers = init.headers;
    const auth = init.served.trigger.auth;
    this.strip = { apiKey: auth.apiKey, authorization: auth.basicAuth || auth.jwt };
  }

  /** The query parameters, parsed on first use (most requests have none). */
  get query(): URLSearchParams {
    this.#query ??= new URLSearchParams(this.rawQuery);
    return this.#query;
  }

  /** Authentication let the request through. */
  allow(facts: CredentialFacts, info: AuthInfo, bearerToken: string | undefined): void {
    this.auth = info;
    this.bearerToken = bearerToken;
    this.decision = { facts, outcome: 'allowed', reason: null };
  }

  /** Authentication (or the rate limit after it) refused the request for `reason`. */
  deny(facts: CredentialFacts, reason: string | null): void {
    this.decision = { facts, outcome: 'denied', reason };
  }

  /** The rate limit refused an authenticated (or anonymous) request. */
  rateLimited(): void {
    if (this.decision) this.deny(this.decision.facts, 'rate_limited');
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    pg: RequestState | null;
  }
}
