// The one error class users see: a stable code, an HTTP status, JSON-safe details and a cause.
import { lookupCode } from './registry.js';
import type { PlatformErrorCode } from './registry.js';

/** JSON-safe details attached to an error (never secrets). */
export type ErrorDetails = Record<string, string | number | boolean | null | undefined | string[]>;

/** Options of a PlatformError. */
export interface PlatformErrorOptions {
  cause?: unknown;
  /** Replaces the rendered template (still never a secret). */
  message?: string;
  /** Overrides the table's HTTP status (assert and throw-error take it from the pipeline). */
  status?: number;
  exception?: string | null;
  /** A complete error object replacing the standard one (throw-error's custom error). */
  body?: Record<string, unknown>;
}

/** Marks PlatformErrors of every copy of the package (custom connectors may import another one). */
const BRAND = Symbol.for('pipegate.PlatformError');

/** An error a user can cause; `code` is stable and documented in docs/errors.md. */
export class PlatformError extends Error {
  /**
   * `x instanceof PlatformError` holds for errors built by any copy of Pipegate (a custom connector
   * importing `pipegate` from its own node_modules); subclasses keep the ordinary prototype check.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== PlatformError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true;
  }

  declare readonly [BRAND]: true;
  override readonly name = 'PlatformError';
  readonly code: PlatformErrorCode;
  readonly status: number;
  readonly details: ErrorDetails;

  /**
   * The `exception` member of the pipeline error object: the code by default; `null` omits it
   * (assert keeps the reference platform's shape).
   */
  readonly exception: string | null;
  /** A custom error object, when the pipeline defined one. */
  readonly body: Record<string, unknown> | undefined;

  constructor(code: PlatformErrorCode, details: ErrorDetails = {}, options?: PlatformErrorOptions) {
    const def = lookupCode(code);
    super(options?.message ?? renderTemplate(def.message, details), { cause: options?.cause });
    this.code = code;
    this.status = options?.status ?? def.status;
    this.details = details;
    this.exception = options?.exception === undefined ? code : options.exception;
    this.body = options?.body;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** The JSON form used by the CLI and the admin API. */
  toJSON(): { code: PlatformErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Replaces `{name}` placeholders with detail values. */
export function renderTemplate(template: string, details: ErrorDetails): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    const value = details[key];
    if (value === undefined) return whole;
    return Array.isArray(value) ? value.join(', ') : String(value);
  });
}

/** True when `err` is a PlatformError (also across realm boundaries). */
export function isPlatformError(err: unknown): err is PlatformError {
  return err instanceof PlatformError;
}
