// What a running step may use: time, randomness, logging, session memory, host services, the response.
import type { JsonObject, JsonValue } from './json.js';
import type { EvalServices } from '../expr/function-def.js';

/** Log levels of the `log` connector and platform warnings. */
export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

/** One log line written during an execution (already masked). */
export interface ExecutionLogLine {
  timestamp: number;
  level: LogLevel;
  message: string;
  executionKey: string;
  pipeline: string;
  step?: string;
}

/**
 * Services provided by the host (CLI, gateway, worker). Each edge module adds its own members by
 * declaration merging (`declare module … { interface HostServices { … } }`), so the engine stays
 * independent of the store and of HTTP. Every member is optional: a connector that needs one and
 * does not find it fails with a coded error.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface HostServices {}

/** The request that started the execution, as far as connectors may see it. */
export interface TriggerRequest {
  /** The bearer token of the request, if any (never logged). */
  bearerToken?: string;
  /** Client address, for usage records. */
  clientIp?: string;
  userAgent?: string;
  route?: string;
  /**
   * RFC 7638 thumbprint of the key of a valid DPoP proof the request carried (RFC 9449 §5): the jwt
   * connector binds the token it mints to that key (`cnf.jkt`).
   */
  dpopJkt?: string;
}

/** Authentication facts for protected executions (`metadata.auth`). */
export interface AuthInfo {
  method: 'apiKey' | 'basic' | 'jwt' | 'none';
  consumer: string | null;
  scopes: string[];
  claims: JsonObject | null;
  /** jti of the verified token, if any. */
  tokenId?: string;
  /** Expiry (epoch seconds) of the verified token, if any. */
  tokenExp?: number;
  /** Id of the credential (API key id, basic username). */
  credentialId?: string;
  /** Name of the external issuer of the token (`pipegate issuers`); absent for platform tokens. */
  issuer?: string;
  /** `sub` of an external token. */
  subject?: string;
}

/** Response side effects a step may request (headers of the trigger's HTTP response). */
export interface ResponseControl {
  setHeader(name: string, value: string): void;
  headers: Record<string, string>;
}

/** Session memory of one execution (local) or one token (global). */
export interface SessionStore {
  get(field: string): JsonValue | undefined;
  put(field: string, value: JsonValue): void;
  delete(field: string): void;
}

/** The EventEmitter form of an abort signal (see StepContext.abortEvents). */
export interface AbortEventsLike extends NodeJS.EventEmitter {
  readonly aborted: boolean;
  readonly reason: unknown;
}

/** Everything a connector's `run` may use besides its parameters and message. */
export interface StepContext {
  readonly executionKey: string;
  readonly signal: AbortSignal;
  /**
   * The same cancellation as `signal`, as an EventEmitter (`aborted`, `reason`, one `abort` event)
   * that undici accepts as a request signal at a fraction of an AbortSignal's cost. Optional: a
   * context without it (tests) is read through `signal`.
   */
  readonly abortEvents?: AbortEventsLike;
  readonly clock: EvalServices;
  readonly metadata: JsonObject;
  readonly pipeline: {
    name: string;
    versionMajor: number;
    versionMinor: number;
    realm: string;
    environment: string;
    sensitiveFields: readonly string[];
  };
  readonly request: TriggerRequest;
  readonly auth: AuthInfo | null;
  readonly response: ResponseControl;
  readonly localSession: SessionStore;
  readonly host: HostServices;
  /** Path of the running step in the pipeline document, e.g. `/steps/3`. */
  readonly stepPath: string;
  /** Identifies the current sub-process (loop iteration) for scoped session data; '' at top level. */
  readonly sessionFrame: string;
  /** Writes a log line tied to the execution key; sensitive values are masked by the engine. */
  log(level: LogLevel, message: string): void;
  /** Masks sensitive fields in a text for logging. */
  mask(text: string): string;
}
