// The token service contract shared with the gateway: minting, verification, revocation, JWKS, usage recording.
import type { JsonObject } from '../../core/json.js';
import type { SigningAlgorithm, NewTokenUsageEvent } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { SecretBox } from '../envelope.js';

/** Options of createTokenService (one service per server: one realm in one environment). */
export interface TokenServiceOptions {
  store: Store;
  box: SecretBox;
  realm: string;
  environment: string;
  /** The `iss` claim, e.g. `${publicUrl}/realms/${realm}`; `aud` is always `${realm}:${environment}`. */
  issuer: string;
  /** Leeway for `nbf`/`iat` in seconds (default 30). */
  leewaySec?: number;
  /** Lifetime when a request gives none (default 900000 = 15 min). */
  defaultLifetimeMs?: number;
  /** Realm policy cap (default 86400000 = 24 h); also the retiring period of a rotated key. */
  maxTokenLifetimeMs?: number;
  /** Algorithm of a key created on first start (default ES256). */
  signingAlgorithm?: SigningAlgorithm;
  /** Realm policy sensitive-field names, added to the pipeline's and the built-in list. */
  sensitiveFields?: readonly string[];
  /** How often keys, revocations and consumers are refreshed from the store (default 1000 ms). */
  refreshIntervalMs?: number;
  /** Clock in epoch ms (tests); default Date.now. */
  now?: () => number;
  usage: UsageRecorder;
}

/** What the jwt connector asks to mint. */
export interface IssueRequest {
  /** Consumer name (the authenticated consumer of the login call). */
  consumer: string;
  /** `sub`; defaults to the consumer name. */
  subject?: string;
  /** Private claims (the message's top-level fields). */
  claims: JsonObject;
  scopes: string[];
  lifetimeMs?: number;
  /** The login pipeline; null when the token endpoint issues (then `route` names it). */
  pipeline: string | null;
  executionKey: string;
  /** Request facts for the `issued` usage event (the token endpoint sets them). */
  route?: string;
  clientIp?: string;
  userAgent?: string | null;
  /** The pipeline's sensitiveFields. */
  sensitiveFields: readonly string[];
  /**
   * RFC 7638 thumbprint of the client's DPoP key (RFC 9449 §6.1): the token carries
   * `cnf: { jkt }` and is accepted only with a proof signed by that key.
   */
  jkt?: string;
}

/** A minted token. `exp` in epoch seconds, `expiresIn` in seconds. */
export interface IssuedToken {
  token: string;
  jti: string;
  exp: number;
  expiresIn: number;
  scopes: string[];
}

/** Why a token was refused (goes to the usage log, never to the caller). */
export type DenialReason =
  | 'missing'
  | 'malformed'
  | 'bad_signature'
  | 'unknown_kid'
  | 'alg_not_allowed'
  | 'wrong_typ'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'token_expired'
  | 'not_yet_valid'
  | 'revoked'
  | 'consumer_unknown'
  | 'consumer_disabled'
  | 'unavailable';

/** A verified token. `exp`/`iat` in epoch seconds. */
export interface VerifiedToken {
  ok: true;
  claims: JsonObject;
  consumer: string;
  /** The consumer's immutable id (claim `consumer_id`), checked against the live consumer of that name. */
  consumerId: string;
  subject: string;
  /** The token's scopes that the consumer's CURRENT scope ceiling still allows. */
  scopes: string[];
  jti: string;
  exp: number;
  iat: number;
  kid: string;
  /** `cnf.jkt` of a DPoP-bound token (RFC 9449 §6), else null. */
  jkt: string | null;
}

/**
 * A refusal. `jti` and `consumer` are set only when the signature was valid (the token is genuine
 * but expired, revoked, of a disabled consumer, …), so usage records can attribute the attempt.
 */
export type TokenDenial = { ok: false; reason: DenialReason; jti?: string; consumer?: string };

export type VerifyResult = VerifiedToken | TokenDenial;

/** A revocation request: exactly one of jti / consumer / before (epoch ms). */
export interface RevokeRequest {
  jti?: string;
  /**
   * With `jti`: revoke that token only if it belongs to this consumer (a `consumer_jti` row), so a
   * pipeline of one consumer cannot revoke another consumer's token. Absent: any consumer's token.
   */
  owner?: string;
  consumer?: string;
  before?: number;
  /** When the revocation row may be purged (epoch ms); default now + max token lifetime. */
  expiresAt?: number;
}

/** Platform tokens of one realm and environment (SPEC §5.1, §6.3, §6.4). */
export interface TokenService {
  readonly realm: string;
  readonly environment: string;
  readonly issuer: string;
  readonly audience: string;
  /** Mint a platform token (jwt connector generate). Throws PlatformError ERR_JWT_* codes. */
  issue(req: IssueRequest): Promise<IssuedToken>;
  /** Verify a bearer token exactly as SPEC §6.3 says. Never throws for a bad token. */
  verify(token: string | undefined | null): Promise<VerifyResult>;
  /** Revoke by jti / consumer / before; effective on the next request on this node, other nodes within the refresh bound. */
  revoke(r: RevokeRequest): Promise<void>;
  /** Public keys of the active and retiring keys (HS256 keys are never published). */
  jwks(): Promise<{ keys: JsonObject[] }>;
  /** RFC 8414 metadata: issuer, jwks_uri, … for a server reachable at `baseUrl`. */
  metadataDocument(baseUrl: string): JsonObject;
  /** Reloads keys, revocations and consumer changes from the store now (what the timer does). */
  refresh(): Promise<void>;
  /** Stops timers. Does not close the store or the usage recorder. */
  close(): Promise<void>;
}

/** Records token usage events off the request path. */
export interface UsageRecorder {
  /** Queues an event (never blocks, never throws). */
  record(e: NewTokenUsageEvent): void;
  /** Writes every queued event now. */
  flush(): Promise<void>;
  /** Flushes everything and stops the timer; later record() calls are written immediately-ish, never lost silently. */
  close(): Promise<void>;
}

/** Options of createUsageRecorder. */
export interface UsageRecorderOptions {
  /** Flush period (default 200 ms); a flush also starts when `batchSize` events are queued. */
  flushIntervalMs?: number;
  /** Events per insertBatch (default 250); the recorder yields to the event loop between batches. */
  batchSize?: number;
  /** Queue bound while the store is failing (default 100000); beyond it the oldest events are dropped and counted. */
  maxQueue?: number;
  /** Called with a failure of the store (no secret in it); default: ignore. */
  onError?: (err: unknown) => void;
  /** Window over which refused-request events are aggregated (default 60,000 ms; docs/monitoring.md). */
  refusalWindowMs?: number;
}

export { createTokenService } from './create-token-service.js';
export { createUsageRecorder } from './usage-recorder.js';
